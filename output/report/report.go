package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/circular-partners/junkan/output/chart"
)

// Options controls a report.
type Options struct {
	Lang     string   // "ja" (default) or "en"
	FontPath string   // CJK TrueType font; "" searches the system (chart.FindFont)
	Variants []string // variants to draw (all if empty); tables list them all
	Years    []int    // report years shown in the tables besides the base and end years
	// SankeyYear and SankeyVariant choose the Sankey (default: base year,
	// first variant).
	SankeyYear    int
	SankeyVariant string
	// Boundaries is a GeoJSON of municipal boundaries (N03, code property
	// BoundaryCode); "" uses the run's boundaries input when it exists.
	Boundaries   string
	BoundaryCode string // default N03_007
	// MapIndicator colours the municipality map (default waste_per_capita).
	MapIndicator string
	// Format of the figures: "svg" (default) or "png" (data URIs).
	Format string
	// FigureDir, if set, also receives every figure as PNG (to look at).
	FigureDir string
}

// figure is one rendered figure of the page.
type figure struct {
	ID, Title string
	Body      template.HTML // inline SVG or <img> with a data URI
	Notes     []string
}

type section struct {
	ID, Title string
	Intro     string
	Body      template.HTML
	Figures   []figure
}

type page struct {
	Lang, Title, Subtitle string
	Generated             string
	Sections              []section
	Footer                string
}

// Write writes one HTML report of runs (one run: a report; several: a
// comparison) to w. The page is self-contained: figures are inline SVG
// (or PNG data URIs), CSS is inline, and nothing is fetched.
func Write(w io.Writer, runs []*Run, opt Options) error {
	if len(runs) == 0 {
		return fmt.Errorf("%w: no runs", ErrOption)
	}
	if opt.Lang == "" {
		opt.Lang = "ja"
	}
	if opt.Format == "" {
		opt.Format = "svg"
	}
	if opt.Format != "svg" && opt.Format != "png" {
		return fmt.Errorf("report: figure format %q: expected svg or png", opt.Format)
	}
	st, err := chart.NewStyle(opt.Lang, opt.FontPath)
	if err != nil {
		return err
	}
	b := &builder{st: st, opt: opt, runs: runs}
	if err := b.checkVariants(); err != nil {
		return err
	}
	p := page{Lang: opt.Lang}
	if len(runs) == 1 {
		p.Title = st.T("地域循環モデル シミュレーション結果: ", "Regional circulation model results: ") + runs[0].Name
	} else {
		names := make([]string, len(runs))
		for i, r := range runs {
			names[i] = r.Name
		}
		p.Title = st.T("シナリオ比較: ", "Scenario comparison: ") + strings.Join(names, " / ")
	}
	p.Subtitle = st.T("junkan による試算。数値はモデルの推計であり、実績ではありません。", "Computed with junkan. Figures are model estimates, not statistics.")
	for _, f := range []func() (section, error){
		b.secRun, b.secTable, b.secLines, b.secPathways, b.secArchetypes, b.secSankey,
		b.secMaps, b.secTargets, b.secAttribution, b.secValidation, b.secSources,
	} {
		s, err := f()
		if err != nil {
			return err
		}
		p.Sections = append(p.Sections, s)
	}
	p.Footer = st.T("地図: 国土数値情報（行政区域データ）（国土交通省）を加工して作成。", "Maps: 国土数値情報（行政区域データ）（国土交通省）を加工して作成 (MLIT national land numerical information, administrative areas).")
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, p); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteFile writes the report to path through a temporary file renamed at
// the end, so a failure leaves no half-written file.
func WriteFile(path string, runs []*Run, opt Options) error {
	var buf bytes.Buffer
	if err := Write(&buf, runs, opt); err != nil {
		return err
	}
	if err := replaceable(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("report: %w", err)
	}
	os.Chmod(tmp.Name(), 0o644)
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// ErrNotReport is returned by WriteFile when the file to write exists and
// is not a report junkan wrote: it is left as it is.
var ErrNotReport = errors.New("exists and is not a junkan report; choose another -o or remove it")

// generatorTag marks a page as junkan's, so that WriteFile replaces only
// its own reports.
const generatorTag = `<meta name="generator" content="junkan report">`

// replaceable reports whether path may be written: it does not exist, or it
// is a regular file whose head carries generatorTag.
func replaceable(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("report: %s %w", path, ErrNotReport)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	if !bytes.Contains(head[:n], []byte(generatorTag)) {
		return fmt.Errorf("report: %s %w", path, ErrNotReport)
	}
	return nil
}

// builder holds what the sections share.
type builder struct {
	st   *chart.Style
	opt  Options
	runs []*Run
	nfig int
}

// vref is one variant of one run, as drawn.
type vref struct {
	run   *Run
	name  string // variant name in the run
	label string // as shown: the name, or "run: name" in a comparison
	index int    // colour index
}

func (b *builder) checkVariants() error {
	for _, want := range b.opt.Variants {
		found := false
		for _, r := range b.runs {
			if slices.Contains(r.Variants, want) || slices.Contains(r.Variants, strings.TrimPrefix(want, r.Name+": ")) {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%w: variant %q is not in the run (variants: %s)", ErrOption, want, strings.Join(b.runs[0].Variants, ", "))
		}
	}
	return nil
}

// variants returns the variants to draw: all, or those of opt.Variants.
func (b *builder) variants() []vref {
	var out []vref
	i := 0
	for _, r := range b.runs {
		for _, v := range r.Variants {
			label := v
			if len(b.runs) > 1 {
				label = r.Name + ": " + v
			}
			sel := len(b.opt.Variants) == 0 || slices.Contains(b.opt.Variants, v) || slices.Contains(b.opt.Variants, label)
			if sel {
				out = append(out, vref{r, v, label, i})
			}
			i++
		}
	}
	return out
}

// allVariants returns every variant of every run.
func (b *builder) allVariants() []vref {
	saved := b.opt.Variants
	b.opt.Variants = nil
	defer func() { b.opt.Variants = saved }()
	return b.variants()
}

// fig renders a figure at w × h inches.
func (b *builder) fig(title string, f chart.Figure, w, h float64) (figure, error) {
	b.nfig++
	id := "fig" + strconv.Itoa(b.nfig)
	out, notes, err := chart.Render(f, b.st, vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch, b.opt.Format)
	if err != nil {
		return figure{}, fmt.Errorf("report: figure %q: %w", title, err)
	}
	if b.opt.FigureDir != "" {
		png, _, err := chart.Render(f, b.st, vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch, "png")
		if err == nil {
			err = os.WriteFile(filepath.Join(b.opt.FigureDir, id+".png"), png, 0o644)
		}
		if err != nil {
			return figure{}, fmt.Errorf("report: figure %q: %w", title, err)
		}
	}
	var body template.HTML
	if b.opt.Format == "svg" {
		body = template.HTML(out) // produced by gonum/plot's SVG canvas; text is escaped there
	} else {
		body = template.HTML(`<img alt="` + template.HTMLEscapeString(title) + `" src="data:image/png;base64,` + base64Std(out) + `">`)
	}
	return figure{ID: id, Title: title, Body: body, Notes: notes}, nil
}

// unitLabel returns a junkan unit as the tables print it.
func (b *builder) unitLabel(u string) string {
	if b.st.Lang == "ja" {
		if s, ok := unitJA[u]; ok {
			return s
		}
	}
	return u
}

// fmtValue formats a table value with dec decimals.
func fmtValue(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return chart.FormatNumber(v, dec)
}

func fmtSigned(v float64, dec int) string {
	s := fmtValue(v, dec)
	if v > 0 && s != "–" && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

// ErrOption is wrapped by errors about the report's options (an unknown
// variant, year or indicator).
var ErrOption = errors.New("report: bad option")
