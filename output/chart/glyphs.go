package chart

import (
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

type sfntBuffer struct{ b sfnt.Buffer }

// hasJapanese reports whether f has glyphs for kana and kanji.
func hasJapanese(f *opentype.Font, buf *sfntBuffer) bool {
	for _, r := range "ご量" {
		i, err := f.GlyphIndex(&buf.b, r)
		if err != nil || i == 0 {
			return false
		}
	}
	return true
}
