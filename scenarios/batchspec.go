package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/model"
)

// Batch defaults.
var (
	DefaultBatchIndicators = []string{"waste_generated", "final_disposal", "recycling_rate", "ghg_net", "cost_total"}
	DefaultBatchStatistics = []string{"mean", "sd", "min", "max", "p5", "p50", "p95"}
	DefaultBatchLevels     = []string{"total", "archetype"}
	BatchMethods           = []string{"montecarlo", "latin_hypercube", "grid", "sobol", "morris"}
)

// validateBatch checks the batch section.
func (f *File) validateBatch() ErrorList {
	var list ErrorList
	if ft := f.Scenario.Outputs.Format; ft != "" && !contains([]string{"csv", "parquet", "both"}, ft) {
		list = append(list, f.at("outputs.format", "unknown format %q: want csv, parquet or both", ft))
	}
	b := f.Scenario.Batch
	if b == nil {
		return list
	}
	bad := func(p, format string, a ...any) { list = append(list, f.at("batch."+p, format, a...)) }
	if b.Method != "" && !contains(BatchMethods, b.Method) {
		hint := model.Suggest(b.Method, BatchMethods)
		if strings.HasPrefix(hint, " (known:") { // the methods are listed already
			hint = ""
		}
		bad("method", "unknown method %q: want one of %s%s", b.Method, strings.Join(BatchMethods, ", "), hint)
	}
	if b.Method != "grid" && b.Runs < 1 {
		bad("runs", "want at least 1 run, got %d", b.Runs)
	}
	if b.Runs > 10_000_000 {
		bad("runs", "%d runs: at most 10,000,000", b.Runs)
	}
	if (b.Method == "sobol") && b.Runs < 2 {
		bad("runs", "sobol needs at least 2 base points")
	}
	for i, l := range b.Levels {
		if !contains([]string{"total", "archetype", "region"}, l) {
			bad(fmt.Sprintf("levels[%d]", i), "unknown level %q: want total, archetype or region", l)
		}
	}
	names := model.IndicatorNames()
	for i, n := range b.Indicators {
		if !contains(names, n) {
			bad(fmt.Sprintf("indicators[%d]", i), "unknown indicator %q%s", n, model.Suggest(n, names))
		}
	}
	for i, v := range b.Variants {
		found := false
		var vn []string
		for _, x := range f.Scenario.Variants {
			found = found || x.Name == v
			vn = append(vn, x.Name)
		}
		if !found {
			bad(fmt.Sprintf("variants[%d]", i), "unknown variant %q%s", v, model.Suggest(v, vn))
		}
	}
	known := []string{"all", "msw"}
	for _, m := range model.DefaultMaterials() {
		known = append(known, m.ID)
	}
	for _, p := range model.DefaultProducts() {
		known = append(known, p.ID)
	}
	for i, m := range b.Materials {
		if !contains(known, m) {
			bad(fmt.Sprintf("materials[%d]", i), "unknown material %q: want all, msw, a material or a product%s", m, model.Suggest(m, known))
		}
	}
	for i, s := range b.Statistics {
		if _, err := ParseStatistic(s); err != nil {
			bad(fmt.Sprintf("statistics[%d]", i), "%v", err)
		}
	}
	// A name listed twice would give two equal columns or rows (and the
	// Parquet writers refuse a repeated column only after the whole batch).
	for _, l := range []struct {
		key   string
		items []string
	}{{"levels", b.Levels}, {"indicators", b.Indicators}, {"variants", b.Variants}, {"materials", b.Materials}, {"statistics", b.Statistics}} {
		first := map[string]int{}
		for i, s := range l.items {
			if j, ok := first[s]; ok {
				bad(fmt.Sprintf("%s[%d]", l.key, i), "%q is listed twice (also %s[%d]): list it once", s, l.key, j)
				continue
			}
			first[s] = i
		}
	}
	// A setting of another method can have no effect: say so, not ignore it.
	method := b.Method
	if method == "" {
		method = "montecarlo"
	}
	given := func(key string) bool { _, ok := f.pos["batch."+key]; return ok }
	if method == "grid" && given("runs") {
		bad("runs", "a grid has no runs setting (its runs are grid_levels ^ inputs): remove runs, or set grid_levels")
	}
	if method != "grid" && given("grid_levels") {
		bad("grid_levels", "grid_levels is for method grid, not %s: remove it", method)
	}
	if method != "morris" && given("morris_levels") {
		bad("morris_levels", "morris_levels is for method morris, not %s: remove it", method)
	}
	if method != "sobol" && method != "morris" && given("bootstrap") {
		bad("bootstrap", "bootstrap is for methods sobol and morris (their confidence intervals), not %s: remove it", method)
	}
	if b.GridLevels < 0 || b.GridLevels == 1 || b.GridLevels > 1000 {
		bad("grid_levels", "want 2 to 1000 levels, got %d", b.GridLevels)
	}
	if b.MorrisLevels < 0 || b.MorrisLevels%2 != 0 {
		bad("morris_levels", "want an even number of levels ≥ 2, got %d", b.MorrisLevels)
	}
	if b.Bootstrap != nil && (*b.Bootstrap < 0 || *b.Bootstrap > 100000) {
		bad("bootstrap", "want 0 to 100,000 resamples, got %d", *b.Bootstrap)
	}
	return list
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// ParseStatistic checks a statistic name (mean, sd, min, max, pN with
// 0 < N < 100) and returns the percentile (0 for the others).
func ParseStatistic(s string) (float64, error) {
	switch s {
	case "mean", "sd", "min", "max":
		return 0, nil
	}
	if strings.HasPrefix(s, "p") {
		if p, err := strconv.ParseFloat(s[1:], 64); err == nil && p > 0 && p < 100 {
			// One spelling per percentile, so that p5, p05 and p5.0 are
			// not three columns of the same number.
			if c := "p" + strconv.FormatFloat(p, 'f', -1, 64); c != s {
				return 0, fmt.Errorf("percentile %q: write it %s", s, c)
			}
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown statistic %q: want mean, sd, min, max or a percentile p1 … p99 (e.g. p5, p2.5)", s)
}
