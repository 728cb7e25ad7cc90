package chart

import (
	"image/color"

	"gonum.org/v1/plot/vg"
)

// palette has 15 colours that stay distinct on white and in print (the
// dark tones of Tableau 20), in the order variants get them.
var palette = [...]color.RGBA{
	{0x1f, 0x77, 0xb4, 255}, {0xff, 0x7f, 0x0e, 255}, {0x2c, 0xa0, 0x2c, 255},
	{0xd6, 0x27, 0x28, 255}, {0x94, 0x67, 0xbd, 255}, {0x8c, 0x56, 0x4b, 255},
	{0xe3, 0x77, 0xc2, 255}, {0x7f, 0x7f, 0x7f, 255}, {0xbc, 0xbd, 0x22, 255},
	{0x17, 0xbe, 0xcf, 255}, {0x39, 0x3b, 0x79, 255}, {0x63, 0x79, 0x39, 255},
	{0x8c, 0x6d, 0x31, 255}, {0x84, 0x3c, 0x39, 255}, {0x7b, 0x41, 0x73, 255},
}

// VariantColor returns the colour of the i-th variant: 15 distinct
// colours, then they repeat (with another dash pattern, see
// [VariantDashes]).
func VariantColor(i int) color.RGBA { return palette[((i%len(palette))+len(palette))%len(palette)] }

var dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
	{vg.Points(12), vg.Points(4)},
}

// VariantDashes returns the dash pattern of the i-th variant. Colours and
// dashes cycle with coprime periods (15 and 5 ÷ … see below), so pairs
// stay distinct for the first 15 variants and beyond: the dash changes
// with i/15 as well as i.
func VariantDashes(i int) []vg.Length {
	if i < 0 {
		i = -i
	}
	return dashes[(i%len(dashes)+i/len(palette))%len(dashes)]
}

// Pathway colours: recycled, reused, incinerated, landfilled, other sinks.
var (
	colRecycled   = color.RGBA{0x2c, 0xa0, 0x2c, 255}
	colReused     = color.RGBA{0x17, 0xbe, 0xcf, 255}
	colIncinerate = color.RGBA{0xff, 0x7f, 0x0e, 255}
	colLandfill   = color.RGBA{0x8c, 0x56, 0x4b, 255}
	colLoss       = color.RGBA{0xaa, 0xaa, 0xaa, 255}
	colGrey       = color.RGBA{0x66, 0x66, 0x66, 255}
	colLight      = color.RGBA{0xdd, 0xdd, 0xdd, 255}
)

func withAlpha(c color.RGBA, a uint8) color.NRGBA {
	return color.NRGBA{c.R, c.G, c.B, a}
}

var white = color.RGBA{255, 255, 255, 255}
