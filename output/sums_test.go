package output

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"github.com/circular-partners/junkan/sim"
)

// TestSumsAsAdd: a run fed year by year through NewSums and AddSums (from
// sim.Model.Stream) writes the same files, byte for byte, as the whole
// results given to Add, with and without per-material region rows and
// blocks.
func TestSumsAsAdd(t *testing.T) {
	cfg := testConfig(2030)
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	blocks := &Blocks{IDs: []string{"b1", "b2"}, RegionBlock: []int{1, 0}, Locations: []orb.Point{{141, 43}, {139.7, 35.7}},
		Facility: []orb.Point{{139.7, 35.7}, {141, 43}}, FacilityName: []string{"P1", "P2"}, Existing: []bool{true, false},
		TonnesPerYear: []float64{100, 200}, CapacityTPerDay: []float64{0.3, 0.6}, HaulKm: []float64{0, 0}, Solver: "heuristic"}
	for _, regionMaterials := range []bool{false, true} {
		for _, b := range []*Blocks{nil, blocks} {
			opt := Options{RegionMaterials: regionMaterials, Blocks: b, Workers: 2}
			dirA, dirB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
			wa, err := Create(dirA, opt)
			if err != nil {
				t.Fatal(err)
			}
			wb, err := Create(dirB, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range testVariants {
				res, err := m.Run(v)
				if err != nil {
					t.Fatal(err)
				}
				if err := wa.Add(res); err != nil {
					t.Fatal(err)
				}
				s, err := wb.NewSums(&sim.Result{Variant: v.Name, BaseYear: cfg.BaseYear,
					Years: cfg.EndYear - cfg.BaseYear + 1, Regions: cfg.Regions, Materials: cfg.Materials})
				if err != nil {
					t.Fatal(err)
				}
				if err := m.Stream(v, nil, s.Year); err != nil {
					t.Fatal(err)
				}
				if err := wb.AddSums(s); err != nil {
					t.Fatal(err)
				}
			}
			if err := wa.Close(); err != nil {
				t.Fatal(err)
			}
			if err := wb.Close(); err != nil {
				t.Fatal(err)
			}
			compareDirs(t, dirA, dirB)
		}
	}
}

// compareDirs fails unless dirs a and b hold the same files.
func compareDirs(t *testing.T, a, b string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs (%d and %d bytes)", rel, len(x), len(y))
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Errorf("only %d files compared", n)
	}
}

// TestSumsErrors: years out of order, missing years and a shape unlike
// the first variant's are errors wrapping ErrMismatch.
func TestSumsErrors(t *testing.T) {
	cfg := testConfig(2025)
	rs := runConfig(t, cfg, testVariants)
	w, err := Create(filepath.Join(t.TempDir(), "out"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	meta := &sim.Result{Variant: "x", BaseYear: 2023, Years: 3, Regions: cfg.Regions, Materials: cfg.Materials}
	s, err := w.NewSums(meta)
	if err != nil {
		t.Fatal(err)
	}
	y1 := rs[0].YearOf(1)
	if err := s.Year(&y1); !errors.Is(err, ErrMismatch) {
		t.Errorf("year 1 first: %v", err)
	}
	y0 := rs[0].YearOf(0)
	if err := s.Year(&y0); err != nil {
		t.Fatal(err)
	}
	if err := w.AddSums(s); !errors.Is(err, ErrMismatch) {
		t.Errorf("1 of 3 years added: %v", err)
	}
	if err := w.Add(rs[0]); err != nil {
		t.Fatal(err)
	}
	short := *meta
	short.Years = 2
	s2, err := w.NewSums(&short)
	if err != nil {
		t.Fatal(err)
	}
	for y := range 2 {
		yr := rs[1].YearOf(y)
		if err := s2.Year(&yr); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddSums(s2); !errors.Is(err, ErrMismatch) {
		t.Errorf("2 years after a variant of 3: %v", err)
	}
	bad := *meta
	bad.Materials = cfg.Materials[:1]
	s3, err := w.NewSums(&bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.Year(&y0); !errors.Is(err, ErrMismatch) {
		t.Errorf("a year of 2 materials for sums of 1: %v", err)
	}
}
