package chart

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is anything [Render] can draw.
type Figure interface {
	// Draw draws the figure into c with the style's fonts and returns
	// notes on what was left out or could not be drawn (e.g. "3 NaN
	// points left out"), also written on the figure.
	Draw(c draw.Canvas, st *Style) (notes []string, err error)
}

// Render draws fig on a w × h canvas and returns it as "svg" or "png"
// (96 dpi) bytes, and the figure's notes. An SVG has no XML declaration
// (so it can be inlined in HTML) and names fallback Japanese font
// families after the style's own.
func Render(fig Figure, st *Style, w, h vg.Length, format string) (out []byte, notes []string, err error) {
	if !(w > 0 && h > 0) || w > 100*vg.Inch || h > 100*vg.Inch {
		return nil, nil, fmt.Errorf("chart: size %v × %v: expected 0 < size ≤ 100 in", w, h)
	}
	defer func() { // a bug in a figure must not take the report down
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("chart: drawing failed: %v", r)
		}
	}()
	var cw vg.CanvasWriterTo
	switch format {
	case "svg":
		cw = vgsvg.New(w, h)
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96))}
	default:
		return nil, nil, fmt.Errorf("chart: format %q: expected svg or png", format)
	}
	c := draw.New(cw)
	c.SetColor(white)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, vg.Points(2), -vg.Points(4), vg.Points(2), -vg.Points(6))
	notes, err = fig.Draw(c, st)
	if err != nil {
		return nil, notes, err
	}
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return nil, notes, fmt.Errorf("chart: %w", err)
	}
	if format == "svg" {
		return cleanSVG(buf.Bytes(), st), notes, nil
	}
	return buf.Bytes(), notes, nil
}

var (
	xmlDecl    = regexp.MustCompile(`(?s)^<\?xml[^>]*>\s*(<!--.*?-->\s*)?`)
	svgWH      = regexp.MustCompile(`^<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)
	fontFamily = regexp.MustCompile(`font-family:[^;"]*;`)
)

// cleanSVG drops the XML declaration and the namespace URLs (not needed
// inline in HTML5), makes the SVG scale to its container, and adds
// fallback font families.
func cleanSVG(b []byte, st *Style) []byte {
	b = xmlDecl.ReplaceAll(b, nil)
	b = svgWH.ReplaceAll(b, []byte(`<svg class="fig" width="${1}pt" height="${2}pt"`))
	b = bytes.Replace(b, []byte("\n\txmlns=\"http://www.w3.org/2000/svg\"\n\txmlns:xlink=\"http://www.w3.org/1999/xlink\""), nil, 1)
	fam := "font-family:'" + strings.ReplaceAll(st.Family, "'", "") + "','IPAexGothic','IPAexゴシック','Hiragino Sans','Yu Gothic','Meiryo','Noto Sans CJK JP',sans-serif;"
	return fontFamily.ReplaceAll(b, []byte(fam))
}
