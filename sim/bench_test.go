package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/circular-partners/junkan/model"
)

// japanLike returns a config shaped like the all-Japan run: 1,741 regions
// (populations drawn log-uniformly between 200 and 3.8 million from a fixed
// seed), the default materials and the three durable products with their
// default lifetime families, manufacturing demand, FY2023–FY2050,
// calibrated to recycling rates between 10 % and 35 %.
func japanLike(tb testing.TB, durables bool) *Config { return japanLikeN(tb, durables, 1741) }

// japanLikeN is japanLike with R regions (the first R of the 1,741).
func japanLikeN(tb testing.TB, durables bool, R int) *Config {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	tab := model.Defaults()
	mats := model.DefaultMaterials()
	if durables {
		mats = append(mats, model.DefaultProducts()...)
	}
	cfg := &Config{BaseYear: 2023, EndYear: 2050, Materials: mats}
	for r := 0; r < R; r++ {
		a := model.Archetypes[r%5]
		pop := 200 * pow(19000, rng.Float64())
		cfg.Regions = append(cfg.Regions, Region{Code: "r", Archetype: a, Population: pop,
			PopulationChange: -0.006, PerCapitaGPerDay: 700 + 300*rng.Float64(), RecyclingRate: 0.10 + 0.25*rng.Float64(),
			ManufacturingEmployees: pop * 0.07})
		for _, m := range mats {
			c, _ := tab.Value("composition", a, m.ID)
			if m.Durable {
				c = 0
			}
			cfg.Composition = append(cfg.Composition, c)
			p, err := tab.CellParams(a, m.ID)
			if err != nil {
				tb.Fatal(err)
			}
			cfg.Params = append(cfg.Params, p)
		}
	}
	M := len(mats)
	cfg.Demand = make([]float64, R*M)
	cfg.DemandHighShare = make([]float64, M)
	for i, m := range mats {
		if m.Durable {
			lt := map[string]model.Lifetime{"appliances": {Kind: model.Weibull, A: 3, B: 14},
				"vehicle_batteries":      {Kind: model.Lognormal, A: 1.15, B: 0.36},
				"construction_materials": {Kind: model.Normal, A: 52, B: 20}}[m.ID]
			comp := make([]float64, M)
			comp[model.MaterialIndex(mats, "ferrous")] = 0.5
			comp[model.MaterialIndex(mats, "other")] = 0.5
			cfg.Products = append(cfg.Products, Product{Material: i, InflowPerCapita: 0.01, Lifetime: lt,
				ReuseLifeFactor: 0.5, Composition: comp})
			continue
		}
		d, _ := tab.Value("manufacturing_demand_per_employee", 0, m.ID)
		cfg.DemandHighShare[i], _ = tab.Value("demand_high_grade_share", 0, m.ID)
		for r := range cfg.Regions {
			cfg.Demand[r*M+i] = cfg.Regions[r].ManufacturingEmployees * d
		}
	}
	return cfg
}

func pow(b, x float64) float64 { return math.Pow(b, x) }

// BenchmarkRunJapan is the foundation's benchmark: all Japan, the nine
// default materials, FY2023–2050, with manufacturing demand and offtake.
func BenchmarkRunJapan(b *testing.B) { benchRun(b, false) }

// BenchmarkRunJapanDurables adds the three durable products with in-use
// stocks.
func BenchmarkRunJapanDurables(b *testing.B) { benchRun(b, true) }

func benchRun(b *testing.B, durables bool) {
	cfg := japanLike(b, durables)
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	v := &Variant{Name: "incentives", Elements: []ElementUse{
		{Element: "collection_incentives", Start: 2026, RampYears: 5, Effects: []model.Effect{
			{Param: model.SeparateCollection, Op: model.GapClose, Magnitude: 0.081},
			{Param: model.GenerationFactor, Op: model.Relative, Magnitude: -0.051}}},
		{Element: "ai_sorting", Start: 2028, RampYears: 4, Effects: []model.Effect{
			{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.25}}}}}
	cells := float64(len(cfg.Regions) * len(cfg.Materials) * (cfg.EndYear - cfg.BaseYear + 1))
	res := &Result{}
	b.ReportAllocs()
	for b.Loop() { // as junkan run does: the result's arrays are recycled
		if err := m.RunInto(res, v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(cells*float64(b.N)/b.Elapsed().Seconds(), "region-material-years/s")
	b.ReportMetric(float64(len(res.Flows))*float64(len(model.Flows{}))*8/1e6, "result-MB")
	// Cohort bookkeeping: scheduled outflows per region, product and year,
	// and the stock per region and product (float64 each).
	P, R, Y := len(cfg.Products), len(cfg.Regions), cfg.EndYear-cfg.BaseYear+1
	b.ReportMetric(float64(R*P*Y+R*P)*8/1e6, "cohort-MB")
}

// BenchmarkStep measures one fiscal year of all regions (the inner step).
func BenchmarkStep(b *testing.B) {
	cfg := japanLike(b, true)
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	v := &Variant{}
	res, _ := m.Run(v)
	st, _ := m.newStepper(v)
	defer st.close()
	b.ReportAllocs()
	for b.Loop() {
		if err := st.step(res, 5); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cfg.Regions)*len(cfg.Materials))*float64(b.N)/b.Elapsed().Seconds(), "region-materials/s")
}

func BenchmarkCalibrate(b *testing.B) {
	cfg := japanLike(b, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// probe is a memory-bandwidth probe: it writes every float64 of buf with
// plain stores, each of w goroutines its own contiguous part (as the
// engine's workers write theirs), and returns the time taken.
func probe(buf []float64, w int) time.Duration {
	t0 := time.Now()
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func(part []float64) {
			defer wg.Done()
			for i := range part {
				part[i] = 1
			}
		}(buf[k*len(buf)/w : (k+1)*len(buf)/w])
	}
	wg.Wait()
	return time.Since(t0)
}

// engineJapan runs the all-Japan baseline (1,741 regions × 9 materials ×
// FY2023–2050, manufacturing demand and offtake, no elements) with the
// given number of workers (0: one per CPU). In the same loop, untimed, it
// runs the bandwidth probe over a buffer the size of the result, and, with
// vs1, the engine with one worker, so that the ratios it reports come from
// one run: x_probe (engine ÷ probe) and, with vs1, x_workers (one worker's
// time ÷ this one's).
func engineJapan(b *testing.B, R, workers int, vs1 bool) {
	cfg := japanLikeN(b, false, R)
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	m.SetWorkers(workers)
	m1, _ := New(cfg)
	m1.SetWorkers(1)
	w := workers
	if w < 1 {
		w = runtime.GOMAXPROCS(0)
	}
	v := &Variant{Name: "baseline"}
	res, res1 := &Result{}, &Result{}
	if err := m.RunInto(res, v); err != nil { // warm: the arrays are recycled, as in junkan run
		b.Fatal(err)
	}
	buf := make([]float64, len(res.Flows)*len(model.Flows{}))
	probe(buf, w)
	if vs1 {
		m1.RunInto(res1, v)
	}
	var tEngine, tProbe, tOne time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if err := m.RunInto(res, v); err != nil {
			b.Fatal(err)
		}
		tEngine += time.Since(t0)
		b.StopTimer()
		tProbe += probe(buf, w)
		if vs1 {
			t1 := time.Now()
			if err := m1.RunInto(res1, v); err != nil {
				b.Fatal(err)
			}
			tOne += time.Since(t1)
		}
		b.StartTimer()
	}
	n := float64(b.N)
	cells := float64(len(res.Flows))
	b.ReportMetric(tEngine.Seconds()*1e3/n, "engine-ms")
	b.ReportMetric(tProbe.Seconds()*1e3/n, "probe-ms")
	b.ReportMetric(tEngine.Seconds()/tProbe.Seconds(), "x_probe")
	if vs1 {
		b.ReportMetric(tOne.Seconds()/tEngine.Seconds(), "x_workers")
	}
	b.ReportMetric(tEngine.Seconds()*1e9/n/cells, "ns/cell")
	b.ReportMetric(float64(len(buf))*8/1e6, "result-MB")
}

// BenchmarkEngineJapan is the engine's all-Japan baseline on every CPU,
// against the bandwidth probe (x_probe) and one worker (x_workers),
// measured in the same run.
func BenchmarkEngineJapan(b *testing.B) { engineJapan(b, 1741, 0, true) }

// BenchmarkEngineJapanWorkers1 is BenchmarkEngineJapan on one goroutine.
func BenchmarkEngineJapanWorkers1(b *testing.B) { engineJapan(b, 1741, 1, false) }

// BenchmarkEngineRegions runs the baseline on 435, 870 and 1,741 regions:
// ns/cell should stay flat (cost linear in regions).
func BenchmarkEngineRegions(b *testing.B) {
	for _, R := range []int{435, 870, 1741} {
		b.Run(fmt.Sprintf("R=%d", R), func(b *testing.B) { engineJapan(b, R, 0, false) })
	}
}
