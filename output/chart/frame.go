package chart

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes (points).
const (
	sizeTitle  = 12
	sizeLabel  = 10
	sizeTick   = 9
	sizeLegend = 9
	sizeNote   = 8
)

// newPlot returns a plot with the style's fonts, a title and axis labels.
func newPlot(st *Style, title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = st.Size(sizeTitle)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = st.Size(sizeLabel)
		ax.Tick.Label.Font = st.Size(sizeTick)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = st.Size(sizeLegend)
	return p
}

// textStyle returns a text style of the style's font at size pt.
func textStyle(st *Style, pt float64, c color.Color) text.Style {
	return text.Style{Font: st.Size(pt), Color: c, Handler: plot.DefaultTextHandler}
}

// entry is one legend entry.
type entry struct {
	name  string
	thumb plot.Thumbnailer
}

// splitLegend returns the canvas for the plot and draws the legend in a
// column on the right of c, outside the plot area. The column is as wide
// as the longest name (at most 38 % of c); with more entries than fit in
// the height, the font shrinks.
func splitLegend(c draw.Canvas, st *Style, entries []entry, header string) draw.Canvas {
	if len(entries) == 0 {
		return c
	}
	size := float64(sizeLegend)
	h := c.Max.Y - c.Min.Y
	for size > 5 && vg.Length(len(entries)+1)*vg.Points(size*1.75) > h {
		size--
	}
	leg := plot.NewLegend()
	leg.TextStyle.Font = st.Size(size)
	leg.Top, leg.Left = true, true
	leg.ThumbnailWidth = vg.Points(22)
	leg.Padding = vg.Points(size * 0.45)
	maxW := vg.Length(0)
	for _, e := range entries {
		leg.Add(e.name, e.thumb)
		maxW = max(maxW, leg.TextStyle.Width(e.name))
	}
	hs := textStyle(st, size, color.Black)
	if header != "" {
		maxW = max(maxW, hs.Width(header)-leg.ThumbnailWidth)
	}
	w := leg.ThumbnailWidth + maxW + vg.Points(size*1.5)
	if lim := (c.Max.X - c.Min.X) * 38 / 100; w > lim {
		w = lim
	}
	lc := draw.Crop(c, c.Max.X-c.Min.X-w, 0, 0, -vg.Points(sizeTitle*2.2))
	if header != "" {
		lc.FillText(hs, vg.Point{X: lc.Min.X, Y: lc.Max.Y - hs.Rectangle(header).Size().Y}, header)
		lc = draw.Crop(lc, 0, 0, 0, -vg.Points(size*1.6))
	}
	leg.Draw(lc)
	return draw.Crop(c, 0, -w-vg.Points(6), 0, 0)
}

// drawNotes writes notes in small grey text at the bottom of c and
// returns the canvas above them.
func drawNotes(c draw.Canvas, st *Style, notes []string) draw.Canvas {
	if len(notes) == 0 {
		return c
	}
	ts := textStyle(st, sizeNote, colGrey)
	line := vg.Points(sizeNote * 1.4)
	for i, n := range notes {
		c.FillText(ts, vg.Point{X: c.Min.X + vg.Points(4), Y: c.Min.Y + line*vg.Length(len(notes)-1-i) + vg.Points(3)}, "※ "+n)
	}
	return draw.Crop(c, 0, 0, line*vg.Length(len(notes))+vg.Points(4), 0)
}

// drawMessage writes msg in the middle of c (e.g. "no data").
func drawMessage(c draw.Canvas, st *Style, title, msg string) {
	ts := textStyle(st, sizeTitle, color.Black)
	ts.XAlign = draw.XCenter
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(sizeTitle*1.5)}, title)
	ms := textStyle(st, sizeLabel, colGrey)
	ms.XAlign = draw.XCenter
	c.FillText(ms, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}, msg)
}

// axisLabel joins a quantity and its unit: "最終処分量 (万t)".
func axisLabel(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// plural returns a note on n points left out, or "".
func leftOut(st *Style, n int, what string) string {
	if n == 0 {
		return ""
	}
	return strings.TrimSpace(st.T(what+"の点 "+FormatNumber(float64(n), 0)+" 個を除外", FormatNumber(float64(n), 0)+" "+what+" points left out"))
}
