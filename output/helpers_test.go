package output

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

// Parameters of the hand-built test configuration. All shares are binary
// fractions, so most flows below are exact.
var (
	// paper: no reuse, half separately collected.
	paperParams = model.Params{
		model.GenerationFactor:    1,
		model.ReuseShare:          0,
		model.SeparateCollection:  0.5,
		model.SortingYield:        0.75,
		model.RecyclingYield:      0.5,
		model.ProcessLossShare:    0.25,
		model.ResidueLandfill:     0.5,
		model.DirectLandfillShare: 0.25,
		model.AshContent:          0.25,
		model.AshRecycling:        0.5,
	}
	// plastics: a quarter of discards reused, no landfill of residues.
	plasticsParams = model.Params{
		model.GenerationFactor:    1,
		model.ReuseShare:          0.25,
		model.SeparateCollection:  0.25,
		model.SortingYield:        0.5,
		model.RecyclingYield:      0.75,
		model.ProcessLossShare:    0,
		model.ResidueLandfill:     0,
		model.DirectLandfillShare: 0,
		model.AshContent:          0.125,
		model.AshRecycling:        0,
	}
)

// testConfig returns 2 regions × 2 materials over FY2023–endYear:
//
//	01100 (archetype c): 1000 persons, constant, 1000 g/person/day, paper:plastics 1:1
//	13101 (archetype e):  500 persons, +25 %/yr,  800 g/person/day, paper:plastics 1:3
func testConfig(endYear int) *sim.Config {
	return &sim.Config{
		BaseYear:  2023,
		EndYear:   endYear,
		Materials: []model.Material{{ID: "paper", NameJA: "紙類"}, {ID: "plastics", NameJA: "プラスチック類"}},
		Regions: []sim.Region{
			{Code: "01100", Name: "A-shi", Prefecture: "Hokkaido", Archetype: model.ArchetypeC,
				Population: 1000, PerCapitaGPerDay: 1000, RecyclingRate: -1},
			{Code: "13101", Name: "B-mura", Prefecture: "Tokyo", Archetype: model.ArchetypeE,
				Population: 500, PopulationChange: 0.25, PerCapitaGPerDay: 800, RecyclingRate: -1},
		},
		Composition: []float64{0.5, 0.5, 0.25, 0.75},
		Params:      []model.Params{paperParams, plasticsParams, paperParams, plasticsParams},
	}
}

// testVariants are a baseline and a variant that halves the sorting gap
// from FY2024 on.
var testVariants = []*sim.Variant{
	{Name: "baseline"},
	{Name: "ai", Elements: []sim.ElementUse{{Element: "ai_sorting", Start: 2024, RampYears: 1,
		Effects: []model.Effect{{Param: model.SortingYield, Op: model.GapClose, Magnitude: 0.5}}}}},
}

func runConfig(t testing.TB, cfg *sim.Config, variants []*sim.Variant) []*sim.Result {
	t.Helper()
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []*sim.Result
	for _, v := range variants {
		res, err := m.Run(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// rowKey identifies one row of timeseries.csv.
type rowKey struct {
	scenario, level, region string
	year                    int
	material, indicator     string
}

// cellKey identifies one (scenario, level, region, year, material).
type cellKey struct {
	scenario, level, region string
	year                    int
	material                string
}

type row struct {
	archetype string
	value     float64
	unit      string
}

// parsed is timeseries.csv parsed back.
type parsed struct {
	header []string
	keys   []rowKey // in file order
	rows   map[rowKey]row
}

func parseTimeseries(t testing.TB, data []byte) *parsed {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	p := &parsed{header: recs[0], rows: make(map[rowKey]row)}
	for i, r := range recs[1:] {
		year, err := strconv.Atoi(r[4])
		if err != nil {
			t.Fatalf("line %d: year %q: %v", i+2, r[4], err)
		}
		v, err := strconv.ParseFloat(r[7], 64)
		if err != nil {
			t.Fatalf("line %d: value %q: %v", i+2, r[7], err)
		}
		k := rowKey{r[0], r[1], r[2], year, r[5], r[6]}
		if _, dup := p.rows[k]; dup {
			t.Fatalf("line %d: duplicate row %v", i+2, k)
		}
		p.keys = append(p.keys, k)
		p.rows[k] = row{r[3], v, r[8]}
	}
	return p
}

// get returns the value of one row, failing the test if it is missing.
func (p *parsed) get(t testing.TB, scenario, level, region string, year int, material, indicator string) float64 {
	t.Helper()
	r, ok := p.rows[rowKey{scenario, level, region, year, material, indicator}]
	if !ok {
		t.Fatalf("no row %s,%s,%s,%d,%s,%s", scenario, level, region, year, material, indicator)
	}
	return r.value
}

// near reports whether a and b agree within tol relative (absolute for
// values below 1).
func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
