package chart

import (
	"errors"
	"fmt"
	"os"
	"sync"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
)

// FontPackage is the Debian package that provides the default Japanese
// font, named in the error when none is found.
const FontPackage = "fonts-ipaexfont-gothic"

// FontCandidates are the paths [FindFont] tries, in order.
var FontCandidates = []string{
	"/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
	"/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
	"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
	"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	"/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
	"/usr/local/share/fonts/ipaexg.ttf",
	"/Library/Fonts/ipaexg.ttf",
}

// ErrNoFont is wrapped by the error of [NewStyle] when Japanese is asked
// for and no CJK font is found.
var ErrNoFont = errors.New("chart: no Japanese font")

// FindFont returns the first of [FontCandidates] that exists, or "".
func FindFont() string {
	for _, p := range FontCandidates {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// Style holds the fonts and language of a set of figures.
type Style struct {
	Lang     string    // "ja" or "en"
	Font     font.Font // regular text (size set per use)
	FontPath string    // the TrueType file, "" for the built-in Liberation font
	Family   string    // the font's family name, as SVG text names it
}

var fontMu sync.Mutex

// NewStyle returns the style for lang ("ja" or "en"). fontPath is a
// TrueType/OpenType file; "" searches [FontCandidates]. With lang "ja" a
// font with Japanese glyphs is required: when none is found the error wraps
// [ErrNoFont] and names [FontPackage]. With "en" and no CJK font, the
// built-in Liberation Sans is used (Japanese names would then be dropped).
func NewStyle(lang, fontPath string) (*Style, error) {
	if lang == "" {
		lang = "ja"
	}
	if lang != "ja" && lang != "en" {
		return nil, fmt.Errorf("chart: language %q: expected ja or en", lang)
	}
	path := fontPath
	if path == "" {
		path = FindFont()
	}
	if path == "" {
		if lang == "ja" {
			return nil, fmt.Errorf("%w: Japanese text needs a CJK TrueType font; install the Debian package %s (apt-get install %s) or give one with --font PATH",
				ErrNoFont, FontPackage, FontPackage)
		}
		fontMu.Lock()
		font.DefaultCache.Add(liberation.Collection())
		fontMu.Unlock()
		return &Style{Lang: lang, Font: font.Font{Typeface: "Liberation", Variant: "Sans"}, Family: "Liberation Sans"}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("chart: font %s: not a TrueType/OpenType font: %w", path, err)
	}
	var buf = new(sfntBuffer)
	if !hasJapanese(f, buf) {
		return nil, fmt.Errorf("%w: font %s has no Japanese glyphs (ご, 量); install %s or give another font with --font", ErrNoFont, path, FontPackage)
	}
	family, err := f.Name(&buf.b, 1) // NameIDFamily
	if err != nil || family == "" {
		family = "sans-serif"
	}
	fnt := font.Font{Typeface: font.Typeface("junkan:" + path)}
	fontMu.Lock()
	if !font.DefaultCache.Has(fnt) {
		font.DefaultCache.Add([]font.Face{{Font: fnt, Face: f}})
	}
	fontMu.Unlock()
	return &Style{Lang: lang, Font: fnt, FontPath: path, Family: family}, nil
}

// Size returns the style's font at size pt points.
func (s *Style) Size(pt float64) font.Font {
	f := s.Font
	f.Size = vg.Points(pt)
	f.Weight = xfont.WeightNormal
	return f
}

// T returns ja when the style's language is Japanese, else en.
func (s *Style) T(ja, en string) string {
	if s.Lang == "ja" {
		return ja
	}
	return en
}
