package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/circular-partners/junkan/sim/batch"
)

// batchManifest is manifest.json of a batch: what produced it. It holds
// nothing that depends on workers or shards.
type batchManifest struct {
	Tool        string `json:"tool"`
	Version     string `json:"version"`
	Scenario    string `json:"scenario"`
	Fingerprint string `json:"fingerprint"`
	Method      string `json:"method"`
	Seed        uint64 `json:"seed"`
	Runs        int    `json:"runs"`
	Percentiles string `json:"percentiles"`
	// Engine is how the runs were computed: "linear" (the chain's unit
	// responses, checked against the whole engine on the central run),
	// "linear_sums" (the same, summed per archetype once per change of an
	// element's weight: no region level) or "whole" (every flow of every
	// cell), with why not linear.
	Engine    string              `json:"engine"`
	EngineWhy string              `json:"engine_why_not_linear,omitempty"`
	Inputs    []batchManifestItem `json:"inputs"`
}

type batchManifestItem struct {
	Name    string  `json:"name"`
	Path    string  `json:"path"`
	Dist    string  `json:"distribution"`
	Central float64 `json:"central"`
	Lo      float64 `json:"domain_min"`
	Hi      float64 `json:"domain_max"`
}

// batchTables returns the rows of the batch outputs: statistics (one row
// per cell), runs (one row per run) and, for sobol and morris, the
// sensitivity indices of each headline output.
type batchTables struct {
	statHeader []string
	statRows   [][]string // key columns
	statVals   [][]float64
	runHeader  []string
	runVals    [][]float64
	sensHeader []string
	sensRows   [][]string
	sensVals   [][]float64
}

func buildTables(acc *batch.Accumulator, b *batchSetup) (*batchTables, error) {
	t := &batchTables{}
	t.statHeader = []string{"scenario", "level", "region", "archetype", "year", "material", "indicator", "unit", "n"}
	for _, s := range b.stats {
		t.statHeader = append(t.statHeader, s.Name)
	}
	// The cells' statistics (exact sums to floats, percentiles) on every
	// core: a region-level batch has hundreds of thousands of cells.
	cells := b.layout.Cells
	t.statRows, t.statVals = make([][]string, len(cells)), make([][]float64, len(cells))
	acc.Settle() // every run in the statistics, its blocks freed: Stats may run concurrently
	n := float64(acc.Count())
	workers := min(runtime.GOMAXPROCS(0), 1+len(cells)/1024)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			buf := make([]float64, b.design.Runs())
			for c := w * len(cells) / workers; c < (w+1)*len(cells)/workers; c++ {
				cell := &cells[c]
				t.statRows[c] = []string{cell.Variant, cell.Level, cell.Region, cell.Archetype,
					strconv.Itoa(cell.Year), cell.Material, cell.Indicator, cell.Unit}
				v := make([]float64, len(b.stats)+1)
				v[0] = n
				acc.Stats(c, b.stats, v[1:], buf)
				t.statVals[c] = v
			}
		})
	}
	wg.Wait()
	t.runHeader = []string{"run"}
	for _, u := range b.inputs {
		t.runHeader = append(t.runHeader, u.Name)
	}
	t.runHeader = append(t.runHeader, b.headNames...)
	for r := 0; r < b.design.Runs(); r++ {
		t.runVals = append(t.runVals, append([]float64{float64(r)}, acc.Row(r)...))
	}
	D := len(b.inputs)
	switch d := b.design.(type) {
	case *batch.Saltelli:
		t.sensHeader = []string{"output", "input", "S1", "S1_conf", "ST", "ST_conf"}
		for k, name := range b.headNames {
			y := make([]float64, d.Runs())
			for r := range y {
				y[r] = acc.Row(r)[D+k]
			}
			si, err := batch.Sobol(d, y, b.bootstrap(), b.seed)
			if err != nil {
				return nil, err
			}
			for i, u := range b.inputs {
				t.sensRows = append(t.sensRows, []string{name, u.Name})
				t.sensVals = append(t.sensVals, []float64{si.S1[i], si.S1Conf[i], si.ST[i], si.STConf[i]})
			}
		}
	case *batch.Morris:
		t.sensHeader = []string{"output", "input", "mu", "mu_star", "sigma", "mu_star_conf"}
		for k, name := range b.headNames {
			y := make([]float64, d.Runs())
			for r := range y {
				y[r] = acc.Row(r)[D+k]
			}
			mr, err := batch.MorrisEffects(d, y, b.bootstrap(), b.seed)
			if err != nil {
				return nil, err
			}
			for i, u := range b.inputs {
				t.sensRows = append(t.sensRows, []string{name, u.Name})
				t.sensVals = append(t.sensVals, []float64{mr.Mu[i], mr.MuStar[i], mr.Sigma[i], mr.MuStarConf[i]})
			}
		}
	}
	return t, nil
}

func (b *batchSetup) bootstrap() int {
	if b.spec.Bootstrap != nil {
		return *b.spec.Bootstrap
	}
	return 500
}

func csvTable(header []string, keys [][]string, vals [][]float64) []byte {
	var w bytes.Buffer
	for i, h := range header {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(csvQuote(h))
	}
	w.WriteByte('\n')
	for i, v := range vals {
		n := 0
		if keys != nil {
			for _, k := range keys[i] {
				if n > 0 {
					w.WriteByte(',')
				}
				w.WriteString(csvQuote(k))
				n++
			}
		}
		for _, x := range v {
			if n > 0 {
				w.WriteByte(',')
			}
			w.WriteString(fmtValue(x))
			n++
		}
		w.WriteByte('\n')
	}
	return w.Bytes()
}

func csvQuote(s string) string {
	for _, c := range s {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return `"` + string(bytes.ReplaceAll([]byte(s), []byte(`"`), []byte(`""`))) + `"`
		}
	}
	return s
}

// writeBatch writes the final outputs of a batch into dir.
func writeBatch(dir string, acc *batch.Accumulator, b *batchSetup) error {
	if miss := acc.Missing(0, b.design.Runs()); len(miss) > 0 {
		return fmt.Errorf("batch: %d runs missing (first: run %d)", len(miss), miss[0])
	}
	t, err := buildTables(acc, b)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"statistics.csv": csvTable(t.statHeader, t.statRows, t.statVals),
		"runs.csv":       csvTable(t.runHeader, nil, t.runVals),
	}
	if t.sensHeader != nil {
		files["sensitivity.csv"] = csvTable(t.sensHeader, t.sensRows, t.sensVals)
	}
	if err := addParquet(files, t); err != nil {
		return err
	}
	if err := addTornado(files, t, b); err != nil {
		return err
	}
	mf := batchManifest{Tool: "junkan", Version: Version(), Scenario: filepath.Base(b.f.Path), Fingerprint: b.fingerprint,
		Method: b.spec.Method, Seed: b.seed, Runs: b.design.Runs(), Percentiles: "exact", Engine: "linear"}
	if b.sums {
		mf.Engine = "linear_sums"
	}
	if !b.linear {
		mf.Engine, mf.EngineWhy = "whole", b.linearWhy
	}
	if !b.exact {
		mf.Percentiles = fmt.Sprintf("sketch (relative error ≤ %g)", batch.SketchAlpha)
	}
	for _, u := range b.inputs {
		mf.Inputs = append(mf.Inputs, batchManifestItem{Name: u.Name, Path: u.Path, Dist: u.Dist.Kind.String(),
			Central: u.Central, Lo: finiteOr(u.Dist.Lo), Hi: finiteOr(u.Dist.Hi)})
	}
	js, _ := json.MarshalIndent(mf, "", "  ")
	files["manifest.json"] = append(js, '\n')
	return writeDirAtomic(dir, files)
}

func finiteOr(x float64) float64 {
	if x > 1e300 {
		return 1e300
	}
	if x < -1e300 {
		return -1e300
	}
	return x
}
