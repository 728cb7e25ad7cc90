package scenarios_test

import (
	"strings"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/scenarios"
)

// The fifth lifetime family, folded_normal (mean and sd of the normal
// before folding), builds into the product; sd 0 is refused at .sd.
func TestFoldedNormalLifetime(t *testing.T) {
	head := "name: t\nbase_year: 2023\nend_year: 2030\nregions:\n  source: synthetic\nvariants:\n  - name: baseline\n"
	f, err := scenarios.Parse("a.yaml", ".", []byte(head+"products:\n  - id: appliances\n    lifetime: {distribution: folded_normal, mean: 12, sd: 4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := f.Build(".")
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Config.Products[0].Lifetime; got != (model.Lifetime{Kind: model.FoldedNormal, A: 12, B: 4}) {
		t.Errorf("lifetime %+v; want folded normal 12, 4", got)
	}
	_, err = scenarios.Parse("b.yaml", ".", []byte(head+"products:\n  - id: appliances\n    lifetime: {distribution: folded_normal, mean: 12, sd: 0}\n"))
	if err == nil || !strings.Contains(err.Error(), "products[0].lifetime.sd") || !strings.Contains(err.Error(), "must be > 0") {
		t.Errorf("sd 0: err = %v; want an error at products[0].lifetime.sd", err)
	}
}
