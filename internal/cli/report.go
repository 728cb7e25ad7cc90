package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/output/chart"
	"github.com/circular-partners/junkan/output/report"
	"github.com/circular-partners/junkan/scenarios"
)

func init() {
	examples["report"] = []string{
		"junkan report out                                    # out-report.html, in Japanese",
		"junkan report out --years 2030,2040 --lang en -o r.html  # report years in the tables, English",
		"junkan report out --variants baseline,ai-sorting     # draw two variants only",
	}
	examples["compare"] = []string{
		"junkan compare out/plan-2024 out/plan-2025 -o compare.html  # two scenario files side by side",
	}
}

// reportFlags are the flags shared by report and compare.
type reportFlags struct {
	out, lang, font, variants, years, boundaries, mapInd, format, sankeyVariant, batch string
	sankeyYear                                                                         int
}

func (rf *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&rf.out, "o", "", "output `FILE.html` (report: default OUT_DIR-report.html, beside the directory)")
	fs.StringVar(&rf.lang, "lang", "ja", "language of the report: ja or en")
	fs.StringVar(&rf.font, "font", "", "CJK TrueType font `PATH` (default: search the system; Debian: "+chart.FontPackage+")")
	fs.StringVar(&rf.variants, "variants", "", "comma-separated `VARIANTS` to draw (default all)")
	fs.StringVar(&rf.years, "years", "", "comma-separated report `YEARS` shown in the tables besides the base and end years")
	fs.StringVar(&rf.boundaries, "boundaries", "", "municipal boundary `GEOJSON` for the maps (default: the run's boundaries input)")
	fs.StringVar(&rf.mapInd, "map", "waste_per_capita", "region `INDICATOR` that colours the municipality map")
	fs.StringVar(&rf.format, "format", "svg", "figure format inside the HTML: svg or png")
	fs.StringVar(&rf.batch, "batch", "", "batch output `DIR` (junkan batch -o DIR) whose p5–p95 are drawn as bands (report only)")
	fs.IntVar(&rf.sankeyYear, "sankey-year", 0, "fiscal `YEAR` of the Sankey (default: the base year)")
	fs.StringVar(&rf.sankeyVariant, "sankey-variant", "", "`VARIANT` of the Sankey (default: the first)")
}

func (rf *reportFlags) options() (report.Options, error) {
	opt := report.Options{Lang: rf.lang, FontPath: rf.font, Boundaries: rf.boundaries, MapIndicator: rf.mapInd,
		Format: rf.format, SankeyYear: rf.sankeyYear, SankeyVariant: rf.sankeyVariant}
	if rf.lang != "ja" && rf.lang != "en" {
		return opt, fmt.Errorf("--lang %q: expected ja or en", rf.lang)
	}
	if rf.variants != "" {
		for _, v := range strings.Split(rf.variants, ",") {
			opt.Variants = append(opt.Variants, strings.TrimSpace(v))
		}
	}
	if rf.years != "" {
		for _, y := range strings.Split(rf.years, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(y))
			if err != nil {
				return opt, fmt.Errorf("--years: %q is not a fiscal year", y)
			}
			opt.Years = append(opt.Years, n)
		}
	}
	return opt, nil
}

func reportCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", stderr)
	var rf reportFlags
	rf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return badInput(fmt.Errorf("report: one output directory expected, got %d", len(pos)))
	}
	opt, err := rf.options()
	if err != nil {
		return badInput(fmt.Errorf("report: %w", err))
	}
	out := rf.out
	if out == "" { // beside the directory: a file added inside would stop a later run from replacing it
		out = filepath.Clean(pos[0]) + "-report.html"
	}
	r, err := loadReportRun(pos[0])
	if err != nil {
		return badInput(err)
	}
	if rf.batch != "" {
		if err := r.LoadBatch(rf.batch); err != nil {
			return badInput(err)
		}
		if note := r.BatchMismatch(); note != "" {
			fmt.Fprintf(stderr, "junkan: warning: report: %s\n", note)
		}
	}
	if err := writeReport(out, []*report.Run{r}, opt); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "junkan: report → %s\n", out)
	return nil
}

func compareCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", stderr)
	var rf reportFlags
	rf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		fs.Usage()
		return badInput(fmt.Errorf("compare: two or more output directories expected, got %d", len(pos)))
	}
	if rf.out == "" {
		fs.Usage()
		return badInput(errors.New("compare: -o FILE.html is required"))
	}
	opt, err := rf.options()
	if err != nil {
		return badInput(fmt.Errorf("compare: %w", err))
	}
	var runs []*report.Run
	seen := map[string]int{}
	for _, dir := range pos {
		r, err := loadReportRun(dir)
		if err != nil {
			return badInput(err)
		}
		if n := seen[r.Name]; n > 0 { // two runs of the same scenario name: tell them apart
			r.Name = fmt.Sprintf("%s (%d)", r.Name, n+1)
		}
		seen[r.Name]++
		runs = append(runs, r)
	}
	if err := writeReport(rf.out, runs, opt); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "junkan: comparison → %s\n", rf.out)
	return nil
}

// writeReport writes the report, turning a missing font into bad input.
func writeReport(path string, runs []*report.Run, opt report.Options) error {
	err := report.WriteFile(path, runs, opt)
	if errors.Is(err, chart.ErrNoFont) || errors.Is(err, report.ErrOption) || errors.Is(err, report.ErrNotReport) {
		return badInput(err)
	}
	return err
}

// loadReportRun reads an output directory and, when the scenario file
// recorded in its manifest is still there with the same SHA-256, the
// elements of its variants.
func loadReportRun(dir string) (*report.Run, error) {
	r, err := report.Load(dir)
	if err != nil {
		return nil, err
	}
	for _, in := range r.Manifest.Inputs {
		if in.Role != "scenario" || in.Path == "" {
			continue
		}
		b, err := os.ReadFile(in.Path)
		if err != nil {
			break
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != in.SHA256 {
			break
		}
		if f, err := scenarios.Load(in.Path); err == nil {
			r.Elements = variantElements(&f.Scenario)
		}
	}
	return r, nil
}

// variantElements returns the elements of each variant, inherited ones
// first.
func variantElements(s *scenarios.Scenario) map[string][]report.ElementUse {
	byName := map[string]*scenarios.VariantSpec{}
	for i := range s.Variants {
		byName[s.Variants[i].Name] = &s.Variants[i]
	}
	out := map[string][]report.ElementUse{}
	for _, v := range s.Variants {
		var chain []*scenarios.VariantSpec
		seen := map[string]bool{}
		for p := byName[v.Name]; p != nil && !seen[p.Name]; p = byName[p.Inherits] {
			seen[p.Name] = true
			chain = append(chain, p)
		}
		uses := []report.ElementUse{}
		for i := len(chain) - 1; i >= 0; i-- {
			for _, e := range chain[i].Elements {
				uses = append(uses, report.ElementUse{Element: e.Element, StartYear: e.StartYear, RampYears: e.RampYears,
					Ramp: e.Ramp, Archetypes: e.Archetypes, Regions: e.Regions})
			}
		}
		out[v.Name] = uses
	}
	return out
}

// ReportFile is the report a run writes with outputs.report: true.
const ReportFile = "report.html"

// reportFinish returns the hook that writes report.html into a run's
// outputs before they are swapped into place, or nil when the scenario
// does not ask for it. A missing Japanese font is reported before
// anything is simulated.
func reportFinish(run *scenarios.Run) (func(string) error, error) {
	s := run.Scenario
	if s.Outputs.Report == nil || !*s.Outputs.Report {
		return nil, nil
	}
	opt := report.Options{Lang: "ja", Years: s.Outputs.ReportYears}
	if rs := s.Report; rs != nil {
		opt.Variants, opt.SankeyYear, opt.SankeyVariant, opt.MapIndicator = rs.Variants, rs.SankeyYear, rs.SankeyVariant, rs.MapIndicator
		if len(rs.Years) > 0 {
			opt.Years = rs.Years
		}
		if rs.Lang != "" {
			opt.Lang = rs.Lang
		}
	}
	if _, err := chart.NewStyle(opt.Lang, ""); err != nil {
		return nil, fmt.Errorf("outputs.report: %w", err)
	}
	elements := variantElements(s)
	return func(dir string) error {
		r, err := report.Load(dir)
		if err != nil {
			return err
		}
		r.Elements = elements
		r.Dir = "."
		return report.WriteFile(filepath.Join(dir, ReportFile), []*report.Run{r}, opt)
	}, nil
}
