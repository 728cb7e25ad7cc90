package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sankey is a flow diagram of one year and variant: nodes in columns,
// links drawn as bands whose width is to scale with their value. Unlike
// gonum/plot's Sankey it draws backward and same-column links (reuse back
// to use, residues back to incineration) as explicit loops routed below
// the nodes. Every link is labelled with its value.
type Sankey struct {
	Title string
	Unit  string // unit of the values, e.g. "t"
	Nodes []SankeyNode
	Links []SankeyLink
}

// SankeyNode is one process or sink; Col is its column (0 = left).
type SankeyNode struct {
	Name  string
	Col   int
	Color color.Color
}

// SankeyLink is a flow from node From to node To (indices into Nodes).
// A link whose target column is not right of its source is a loop.
type SankeyLink struct {
	From, To int
	Value    float64
	Label    string // default: the formatted value
}

// SankeyLayout is where [Sankey.Layout] put the links: Scale is the band
// width per unit of value (points per tonne); Width[i] the drawn width of
// link i; Loop[i] whether it is drawn as a loop.
type SankeyLayout struct {
	Scale float64
	Width []vg.Length
	Loop  []bool
}

// IsLoop reports whether link l goes backward or within a column.
func (s *Sankey) IsLoop(l SankeyLink) bool { return s.Nodes[l.To].Col <= s.Nodes[l.From].Col }

func (s *Sankey) check() error {
	for i, l := range s.Links {
		if l.From < 0 || l.From >= len(s.Nodes) || l.To < 0 || l.To >= len(s.Nodes) {
			return fmt.Errorf("chart: sankey link %d: node out of range", i)
		}
		if !finite(l.Value) || l.Value < 0 {
			return fmt.Errorf("chart: sankey link %d (%s → %s): value %v, expected a finite value ≥ 0", i, s.Nodes[l.From].Name, s.Nodes[l.To].Name, l.Value)
		}
	}
	return nil
}

type sankeyGeom struct {
	x0, x1         []vg.Length // node left and right
	top, height    []vg.Length // node top and height
	scale          float64
	outOff, inOff  []vg.Length // link offset from node top at source and target
	width          []vg.Length
	loop           []bool
	loopY          []vg.Length // lane of each loop (centre line)
	bottom         vg.Length
	nodeIn, nodeOu []float64
}

func (s *Sankey) layout(c draw.Canvas, st *Style) (*sankeyGeom, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	n := len(s.Nodes)
	g := &sankeyGeom{x0: make([]vg.Length, n), x1: make([]vg.Length, n), top: make([]vg.Length, n), height: make([]vg.Length, n),
		outOff: make([]vg.Length, len(s.Links)), inOff: make([]vg.Length, len(s.Links)), width: make([]vg.Length, len(s.Links)),
		loop: make([]bool, len(s.Links)), loopY: make([]vg.Length, len(s.Links)), nodeIn: make([]float64, n), nodeOu: make([]float64, n)}
	cols := 0
	for _, nd := range s.Nodes {
		cols = max(cols, nd.Col+1)
	}
	for i, l := range s.Links {
		g.nodeOu[l.From] += l.Value
		g.nodeIn[l.To] += l.Value
		g.loop[i] = s.IsLoop(l)
	}
	size := func(k int) float64 { return math.Max(g.nodeIn[k], g.nodeOu[k]) }
	nloops := 0
	for _, lp := range g.loop {
		if lp {
			nloops++
		}
	}
	// Heights: the fullest column fills the space left for nodes; gaps
	// between nodes; room below for the loop lanes.
	gap := vg.Points(26)
	laneH := vg.Points(26)
	avail := c.Max.Y - c.Min.Y - vg.Points(sizeTitle*2.5) - vg.Points(24) - laneH*vg.Length(nloops) - vg.Points(10)
	colSum := make([]float64, cols)
	colN := make([]int, cols)
	for k, nd := range s.Nodes {
		colSum[nd.Col] += size(k)
		colN[nd.Col]++
	}
	g.scale = math.Inf(1)
	for j := 0; j < cols; j++ {
		if colSum[j] > 0 {
			room := float64(avail - gap*vg.Length(max(colN[j]-1, 0)))
			g.scale = math.Min(g.scale, room/colSum[j])
		}
	}
	if math.IsInf(g.scale, 1) || g.scale <= 0 {
		g.scale = 0
	}
	nodeW := vg.Points(10)
	labelRoom := vg.Points(96)
	loopRoom := vg.Length(0)
	for _, l := range s.Links { // room left of column 0 for loops into it
		if s.IsLoop(l) && s.Nodes[l.To].Col == 0 {
			loopRoom = max(loopRoom, vg.Points(22)+vg.Length(l.Value*g.scale))
		}
	}
	c.Min.X += loopRoom
	span := c.Max.X - c.Min.X - nodeW - labelRoom
	yTop := c.Max.Y - vg.Points(sizeTitle*2.5) - vg.Points(24)
	floor := yTop - vg.Length(float64(avail)) // lowest y nodes may reach
	for k, nd := range s.Nodes {
		x := c.Min.X
		if cols > 1 {
			x += span * vg.Length(nd.Col) / vg.Length(cols-1)
		}
		g.x0[k], g.x1[k] = x, x+nodeW
		g.height[k] = vg.Length(size(k) * g.scale)
	}
	// Place columns left to right: each node near the weighted centre of
	// its sources (fewer crossings), in that order, gap apart, inside
	// [floor, yTop].
	placed := make([]bool, n)
	for j := 0; j < cols; j++ {
		var ks []int
		want := map[int]vg.Length{}
		for k, nd := range s.Nodes {
			if nd.Col != j {
				continue
			}
			ks = append(ks, k)
			var sw, sy float64
			for _, l := range s.Links {
				if l.To == k && placed[l.From] && s.Nodes[l.From].Col < j {
					sw += l.Value
					sy += l.Value * float64(g.top[l.From]-g.height[l.From]/2)
				}
			}
			if sw > 0 {
				want[k] = vg.Length(sy/sw) + g.height[k]/2
			} else {
				want[k] = yTop
			}
		}
		slices.SortStableFunc(ks, func(a, b int) int { return cmpLen(want[b], want[a]) })
		y := yTop
		for _, k := range ks {
			t := min(y, max(want[k], floor+g.height[k]))
			g.top[k] = t
			y = t - g.height[k] - gap
		}
		if last := len(ks) - 1; last >= 0 {
			if low := g.top[ks[last]] - g.height[ks[last]]; low < floor { // overflow: shift up
				up := floor - low
				for _, k := range ks {
					g.top[k] += up
				}
			}
		}
		for _, k := range ks {
			placed[k] = true
		}
	}
	g.bottom = yTop
	for k := range s.Nodes {
		g.bottom = min(g.bottom, g.top[k]-g.height[k])
	}
	// Link order at each node: by the other end's vertical position.
	idx := make([]int, len(s.Links))
	for i := range idx {
		idx[i] = i
		g.width[i] = vg.Length(s.Links[i].Value * g.scale)
	}
	out := slices.Clone(idx)
	slices.SortStableFunc(out, func(a, b int) int {
		la, lb := s.Links[a], s.Links[b]
		if g.loop[a] != g.loop[b] { // loops leave from the bottom
			if g.loop[a] {
				return 1
			}
			return -1
		}
		return cmpLen(g.top[lb.To], g.top[la.To])
	})
	used := make([]vg.Length, n)
	for _, i := range out {
		l := s.Links[i]
		g.outOff[i] = used[l.From]
		used[l.From] += g.width[i]
	}
	in := slices.Clone(idx)
	slices.SortStableFunc(in, func(a, b int) int {
		la, lb := s.Links[a], s.Links[b]
		if g.loop[a] != g.loop[b] {
			if g.loop[a] {
				return 1
			}
			return -1
		}
		return cmpLen(g.top[lb.From]-g.outOff[b], g.top[la.From]-g.outOff[a])
	})
	for k := range used {
		used[k] = 0
	}
	for _, i := range in {
		l := s.Links[i]
		g.inOff[i] = used[l.To]
		used[l.To] += g.width[i]
	}
	lane := 0
	for i := range s.Links {
		if g.loop[i] {
			g.loopY[i] = g.bottom - vg.Points(16) - laneH*vg.Length(lane) - g.width[i]/2
			lane++
		}
	}
	return g, nil
}

func cmpLen(a, b vg.Length) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Layout returns the widths the links are drawn with on a w × h canvas
// (points), for checks that widths are to scale.
func (s *Sankey) Layout(w, h vg.Length, st *Style) (*SankeyLayout, error) {
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	g, err := s.layout(c, st)
	if err != nil {
		return nil, err
	}
	return &SankeyLayout{Scale: g.scale, Width: g.width, Loop: g.loop}, nil
}

// Draw implements [Figure].
func (s *Sankey) Draw(c draw.Canvas, st *Style) ([]string, error) {
	g, err := s.layout(c, st)
	if err != nil {
		return nil, err
	}
	var notes []string
	ts := textStyle(st, sizeTitle, color.Black)
	ts.XAlign = draw.XCenter
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - ts.Rectangle(s.Title).Size().Y}, s.Title)
	if g.scale == 0 {
		drawMessage(c, st, "", st.T("フローがありません（すべて 0）", "no flows (all zero)"))
		return notes, nil
	}
	lbl := textStyle(st, 7.5, color.Black)
	lbl.XAlign = draw.XCenter
	lbl.YAlign = draw.YCenter
	type labelAt struct {
		pt  vg.Point
		txt string
	}
	var labels []labelAt
	for i, l := range s.Links {
		col := s.Nodes[l.To].Color
		if col == nil {
			col = colLoss
		}
		rgba := color.RGBAModel.Convert(col).(color.RGBA)
		w := g.width[i]
		ys := g.top[l.From] - g.outOff[i] - w/2
		yt := g.top[l.To] - g.inOff[i] - w/2
		xs, xt := g.x1[l.From], g.x0[l.To]
		var p vg.Path
		var mid vg.Point
		a := color.NRGBA{rgba.R, rgba.G, rgba.B, 120}
		if !g.loop[i] {
			dx := (xt - xs) / 2
			if w >= vg.Points(0.6) { // a ribbon: top edge out, bottom edge back
				var rb vg.Path
				rb.Move(vg.Point{X: xs, Y: ys + w/2})
				rb.CubeTo(vg.Point{X: xs + dx, Y: ys + w/2}, vg.Point{X: xt - dx, Y: yt + w/2}, vg.Point{X: xt, Y: yt + w/2})
				rb.Line(vg.Point{X: xt, Y: yt - w/2})
				rb.CubeTo(vg.Point{X: xt - dx, Y: yt - w/2}, vg.Point{X: xs + dx, Y: ys - w/2}, vg.Point{X: xs, Y: ys - w/2})
				rb.Close()
				c.SetColor(a)
				c.Fill(rb)
			} else {
				p.Move(vg.Point{X: xs, Y: ys})
				p.CubeTo(vg.Point{X: xs + dx, Y: ys}, vg.Point{X: xt - dx, Y: yt}, vg.Point{X: xt, Y: yt})
			}
			f := 0.5
			if s.Nodes[l.To].Col-s.Nodes[l.From].Col > 1 {
				f = 0.22
			}
			// On the centre line at fraction f (a cubic with these control
			// points: y follows the smoothstep of f).
			sm := f * f * (3 - 2*f)
			mid = vg.Point{X: xs + (xt-xs)*vg.Length(f), Y: ys + (yt-ys)*vg.Length(sm)}
		} else {
			// Out to the right, down to its lane below the nodes, back left,
			// up and into the target from its left.
			r := vg.Points(14) + w/2
			ly := g.loopY[i]
			p.Move(vg.Point{X: xs, Y: ys})
			p.Line(vg.Point{X: xs + vg.Points(4), Y: ys})
			p.CubeTo(vg.Point{X: xs + r + vg.Points(4), Y: ys}, vg.Point{X: xs + r + vg.Points(4), Y: ly}, vg.Point{X: xs + vg.Points(4), Y: ly})
			p.Line(vg.Point{X: xt - vg.Points(4), Y: ly})
			p.CubeTo(vg.Point{X: xt - r - vg.Points(4), Y: ly}, vg.Point{X: xt - r - vg.Points(4), Y: yt}, vg.Point{X: xt - vg.Points(4), Y: yt})
			p.Line(vg.Point{X: xt, Y: yt})
			mid = vg.Point{X: (xs + xt) / 2, Y: ly}
		}
		switch {
		case len(p) == 0:
		case w >= vg.Points(0.6):
			c.SetLineStyle(draw.LineStyle{Color: a, Width: w})
			c.Stroke(p)
		default: // too thin to see (or zero): a hairline, dashed
			c.SetLineStyle(draw.LineStyle{Color: color.NRGBA{rgba.R, rgba.G, rgba.B, 220}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}})
			c.Stroke(p)
		}
		t := l.Label
		if t == "" {
			t = FormatNumber(l.Value, 0) + " " + s.Unit
		}
		if g.loop[i] {
			t = st.T("ループ ", "loop ") + t
		}
		labels = append(labels, labelAt{mid, t})
	}
	for k, nd := range s.Nodes {
		col := nd.Color
		if col == nil {
			col = colGrey
		}
		h := max(g.height[k], vg.Points(1))
		c.FillPolygon(col, []vg.Point{{X: g.x0[k], Y: g.top[k]}, {X: g.x1[k], Y: g.top[k]}, {X: g.x1[k], Y: g.top[k] - h}, {X: g.x0[k], Y: g.top[k] - h}})
		ns := textStyle(st, 8.5, color.Black)
		total := math.Max(g.nodeIn[k], g.nodeOu[k])
		name := nd.Name
		c.FillText(ns, vg.Point{X: g.x0[k], Y: g.top[k] + vg.Points(11)}, name)
		ns.Font = st.Size(7.5)
		ns.Color = colGrey
		c.FillText(ns, vg.Point{X: g.x0[k], Y: g.top[k] + vg.Points(2)}, FormatNumber(total, 0)+" "+s.Unit)
	}
	// Link labels on a white box so they read over the bands.
	for _, la := range labels {
		r := lbl.Rectangle(la.txt)
		wdt, ht := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
		c.FillPolygon(color.NRGBA{255, 255, 255, 210}, []vg.Point{{X: la.pt.X - wdt/2 - 1, Y: la.pt.Y - ht/2}, {X: la.pt.X + wdt/2 + 1, Y: la.pt.Y - ht/2},
			{X: la.pt.X + wdt/2 + 1, Y: la.pt.Y + ht/2}, {X: la.pt.X - wdt/2 - 1, Y: la.pt.Y + ht/2}})
		c.FillText(lbl, la.pt, la.txt)
	}
	return notes, nil
}
