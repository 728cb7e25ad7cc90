package regions

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// requireCBC returns the CBC path, skipping the test when there is none
// (failing instead under JUNKAN_REQUIRE_TOOLS=1, as in CI).
func requireCBC(t *testing.T) string {
	t.Helper()
	p := FindCBC()
	if p == "" {
		if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
			t.Fatal("cbc not found (JUNKAN_REQUIRE_TOOLS=1): apt-get install coinor-cbc")
		}
		t.Skip("cbc not found; apt-get install coinor-cbc")
	}
	return p
}

// TestMILPMatchesEnumeration solves the seeded instances of
// TestConsolidateGap (P fixed, unsplittable, capacities, haul limits,
// groups) with CBC and compares with exact enumeration: same feasibility,
// same optimal t·km.
func TestMILPMatchesEnumeration(t *testing.T) {
	cbc := requireCBC(t)
	r := rand.New(rand.NewPCG(4, 2026))
	compared, infeasible := 0, 0
	for k := range 200 {
		ds, ss, opt := randomInstance(r)
		ex, exErr := ConsolidateExact(ds, ss, opt)
		opt.Solver = cbc
		mi, miErr := Consolidate(ds, ss, opt)
		if exErr != nil {
			if !errors.Is(exErr, ErrInfeasible) {
				t.Fatalf("instance %d: exact: %v", k, exErr)
			}
			if !errors.Is(miErr, ErrInfeasible) {
				t.Errorf("instance %d: exact infeasible (%v) but MILP: %v", k, exErr, miErr)
			}
			infeasible++
			continue
		}
		if miErr != nil {
			t.Errorf("instance %d: MILP: %v; exact t·km %.6g", k, miErr, ex.TKm)
			continue
		}
		checkSolution(t, k, ds, ss, opt, mi)
		if math.Abs(mi.TKm-ex.TKm) > 1e-6*ex.TKm {
			t.Errorf("instance %d: MILP %.6f t·km, enumeration %.6f", k, mi.TKm, ex.TKm)
		}
		for _, g := range mi.Groups {
			if g.Method != "cbc" || g.Status != "optimal" || !g.HasBound || g.Gap > 1e-9 {
				t.Errorf("instance %d: group %+v; want cbc, optimal, gap 0", k, g)
			}
		}
		compared++
	}
	t.Logf("200 instances: %d compared, all at the enumeration's optimum; %d infeasible in both", compared, infeasible)
	if compared < 150 {
		t.Errorf("only %d feasible instances compared", compared)
	}
}

// TestMILPChooseByCost compares the annual cost with P chosen by cost (the
// seeded instances of TestConsolidateGapChooseP, piecewise-linear facility
// cost on doubling capacity levels). The enumeration assigns each
// municipality to its nearest open site, which is cost-optimal for its
// subset unless moving a member elsewhere gains economies of scale, so the
// MILP may only be as good or better.
func TestMILPChooseByCost(t *testing.T) {
	cbc := requireCBC(t)
	r := rand.New(rand.NewPCG(7, 2026))
	equal, better := 0, 0
	for k := range 100 {
		ds, ss, opt := randomInstance(r)
		opt.P, opt.MaxHaulKm, opt.WithinGroups = 0, 0, false
		for i := range ss {
			ss[i].Capacity, ss[i].Group = 0, ""
		}
		opt.FacilityCostPerT = func(c float64) float64 { return 40000 * math.Pow(c/50000, -0.4) }
		opt.TransportCostPerTKm = 50
		for l := 5000.0; l <= 1e6; l *= 2 {
			opt.CostLevels = append(opt.CostLevels, l)
		}
		ex, err := ConsolidateExact(ds, ss, opt)
		if err != nil {
			t.Fatalf("instance %d: exact: %v", k, err)
		}
		opt.Solver = cbc
		mi, err := Consolidate(ds, ss, opt)
		if err != nil {
			t.Fatalf("instance %d: MILP: %v", k, err)
		}
		checkSolution(t, k, ds, ss, opt, mi)
		switch d := (mi.Cost - ex.Cost) / ex.Cost; {
		case d > 1e-6:
			t.Errorf("instance %d: MILP cost %.0f above the enumeration's %.0f", k, mi.Cost, ex.Cost)
		case d < -1e-6:
			better++
		default:
			equal++
		}
	}
	t.Logf("100 instances: MILP cost equal to the enumeration's in %d, lower in %d", equal, better)
}

// TestMILPSplit: one city larger than every plant is split between the two
// nearest; capacities hold and every tonne is assigned.
func TestMILPSplit(t *testing.T) {
	cbc := requireCBC(t)
	ds, ss := fourPoints(0)
	ds[0].Tonnes = 300 // A, at 10° E
	for i := range ss {
		ss[i].Capacity = 200
	}
	for _, solver := range []string{"", cbc} {
		opt := ConsolidationOptions{P: 2, Detour: 1, Split: true, Solver: solver}
		c, err := Consolidate(ds, ss, opt)
		if err != nil {
			t.Fatalf("solver %q: %v", solver, err)
		}
		total := 0.0
		for _, b := range c.Blocks {
			if b.Tonnes > b.Facility.Capacity*(1+1e-9) {
				t.Errorf("solver %q: block %s %.1f t over capacity %.1f", solver, b.ID, b.Tonnes, b.Facility.Capacity)
			}
			total += b.Tonnes
		}
		want := 0.0
		for _, d := range ds {
			want += d.Tonnes
		}
		if math.Abs(total-want) > 1e-9*want {
			t.Errorf("solver %q: %.3f t assigned; want %.3f", solver, total, want)
		}
		parts := c.Parts[ds[0].Code]
		if len(parts) != 2 {
			t.Fatalf("solver %q: parts of %s = %v; want 2", solver, ds[0].Code, parts)
		}
		if s := parts[0].Tonnes + parts[1].Tonnes; math.Abs(s-300) > 1e-9 {
			t.Errorf("solver %q: parts sum to %g; want 300", solver, s)
		}
	}
}

// The bound comes from CBC's final report, else its node log, else the LP
// relaxation.
func TestParseCBCBound(t *testing.T) {
	for _, c := range []struct {
		log        string
		obj, bound float64
	}{
		{"Continuous objective value is 1.5 - 0.00 seconds\nCbc0010I After 0 nodes, 1 on tree, 2.86 best solution, best possible 2.85 (0.33 seconds)\nObjective value:                2.86\nLower bound:                    2.855\n", 2.86, 2.855},
		{"Continuous objective value is 1.5 - 0.00 seconds\nCbc0010I After 0 nodes, 1 on tree, 2.86 best solution, best possible 2.85 (0.33 seconds)\n", math.NaN(), 2.85},
		{"Continuous objective value is 1.5 - 0.00 seconds\n", math.NaN(), 1.5},
	} {
		obj, bound := parseCBCBound(c.log)
		if !(obj == c.obj || math.IsNaN(obj) && math.IsNaN(c.obj)) || bound != c.bound {
			t.Errorf("parseCBCBound = %v, %v; want %v, %v", obj, bound, c.obj, c.bound)
		}
	}
}

// Co-located candidates are interchangeable for the objective: the block
// goes to the existing plant when it has room (though its ID sorts after
// the new site's), else to the new site; the same with CBC and the
// heuristic. A (100 t) and B (50 t) 0.1° apart on the equator, one site
// open at A: 50 t × 0.1 × kmPerDeg t·km.
func TestConsolidateColocated(t *testing.T) {
	solvers := []string{""}
	if cbc := FindCBC(); cbc != "" {
		solvers = append(solvers, cbc)
	} else if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
		t.Fatal("cbc not found (JUNKAN_REQUIRE_TOOLS=1): apt-get install coinor-cbc")
	}
	a, b := orb.Point{10, 0}, orb.Point{10.1, 0}
	ds := []Demand{{Code: "A", Location: a, Tonnes: 100}, {Code: "B", Location: b, Tonnes: 50}}
	for _, c := range []struct {
		capacity float64
		want     string
	}{{200, "plant-z:A,B"}, {150, "plant-z:A,B"}, {120, "new:A:A,B"}} {
		ss := []Site{{ID: "new:A", Location: a}, {ID: "plant-z", Location: a, Capacity: c.capacity, Existing: true},
			{ID: "new:B", Location: b}}
		for _, solver := range solvers {
			for _, split := range []bool{false, true} {
				opt := ConsolidationOptions{P: 1, Detour: 1, Solver: solver, Split: split}
				res, err := Consolidate(ds, ss, opt)
				if err != nil {
					t.Fatalf("capacity %g, solver %q: %v", c.capacity, solver, err)
				}
				if got := blockIDs(res); got != c.want {
					t.Errorf("capacity %g, solver %q, split %v: blocks %s; want %s", c.capacity, solver, split, got, c.want)
				}
				checkTKm(t, "co-located", res.TKm, 50*0.1*kmPerDeg)
			}
		}
	}
}

// A solver that fails (here one that exits at once with an error) leaves
// the heuristic's plan, said on Progress.
func TestConsolidateSolverFails(t *testing.T) {
	fail, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false command")
	}
	ds, ss := fourPoints(12)
	want, err := Consolidate(ds, ss, ConsolidationOptions{P: 2, Detour: 1})
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	got, err := Consolidate(ds, ss, ConsolidationOptions{P: 2, Detour: 1, Solver: fail, Progress: &log})
	if err != nil {
		t.Fatal(err)
	}
	if blockIDs(got) != blockIDs(want) || got.TKm != want.TKm {
		t.Errorf("blocks %s, %g t·km; want the heuristic's %s, %g", blockIDs(got), got.TKm, blockIDs(want), want.TKm)
	}
	if g := got.Groups[0]; g.Method != "heuristic" || g.HasBound {
		t.Errorf("group %+v; want the heuristic, no bound", g)
	}
	if !strings.Contains(log.String(), "solver failed") {
		t.Errorf("progress %q; want it to say the solver failed", log.String())
	}
}

// A proven result is kept in CacheDir: the same instance again is answered
// without running the solver, with the same plan; a damaged file is
// ignored (and rewritten); other options are another entry.
func TestMILPCache(t *testing.T) {
	cbc := requireCBC(t)
	dir := t.TempDir()
	count := filepath.Join(dir, "calls")
	solver := filepath.Join(dir, "cbc.sh")
	script := "#!/bin/sh\necho x >> '" + count + "'\nexec '" + cbc + "' \"$@\"\n"
	if err := os.WriteFile(solver, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	calls := func() int {
		b, _ := os.ReadFile(count)
		return strings.Count(string(b), "x")
	}
	cache := filepath.Join(dir, "cache")
	ds, ss := fourPoints(12)
	for i := range ss {
		ss[i].Capacity = 25
	}
	opt := ConsolidationOptions{P: 2, Detour: 1, Solver: solver, CacheDir: cache, Split: true}
	first, err := Consolidate(ds, ss, opt)
	if err != nil {
		t.Fatal(err)
	}
	if first.Groups[0].Cached || calls() != 1 {
		t.Fatalf("first solve: cached %v, %d solver calls; want a call", first.Groups[0].Cached, calls())
	}
	same := func(what string, c *Consolidation) {
		t.Helper()
		g0, g := first.Groups[0], c.Groups[0]
		g.Cached = false
		if blockIDs(c) != blockIDs(first) || c.TKm != first.TKm || !reflect.DeepEqual(c.Parts, first.Parts) || g != g0 {
			t.Errorf("%s: %s, %v, %+v; want %s, %v, %+v", what, blockIDs(c), c.Parts, g, blockIDs(first), first.Parts, g0)
		}
	}
	again, err := Consolidate(ds, ss, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Groups[0].Cached || calls() != 1 {
		t.Errorf("second solve: cached %v, %d solver calls; want the cache", again.Groups[0].Cached, calls())
	}
	same("from the cache", again)
	files, _ := filepath.Glob(filepath.Join(cache, "*.cbc"))
	if len(files) != 1 {
		t.Fatalf("cache files %v; want 1", files)
	}
	if err := os.WriteFile(files[0], []byte(cacheVersion+"\nlog 3\nab"), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged, err := Consolidate(ds, ss, opt)
	if err != nil {
		t.Fatal(err)
	}
	if damaged.Groups[0].Cached || calls() != 2 {
		t.Errorf("damaged entry: cached %v, %d solver calls; want a new call", damaged.Groups[0].Cached, calls())
	}
	same("after a damaged entry", damaged)
	// One digit of a value changed in the rewritten entry: the checksum
	// differs, the solver runs again (a changed value used to be taken as
	// the solver's plan).
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndexAny(good, "123456789")
	bad := bytes.Clone(good)
	bad[i] = '0'
	if err := os.WriteFile(files[0], bad, 0o600); err != nil {
		t.Fatal(err)
	}
	changed, err := Consolidate(ds, ss, opt)
	if err != nil {
		t.Fatal(err)
	}
	if changed.Groups[0].Cached || calls() != 3 {
		t.Errorf("entry with a changed digit: cached %v, %d solver calls; want a new call", changed.Groups[0].Cached, calls())
	}
	same("after a changed digit", changed)
	opt.MIPGap = 0.01
	if _, err := Consolidate(ds, ss, opt); err != nil {
		t.Fatal(err)
	}
	if calls() != 4 {
		t.Errorf("another gap: %d solver calls; want 4", calls())
	}
}

// The merged formulation of co-located sites (one assignment variable per
// municipality and location) has the optimum of the unmerged one: seeded
// instances of TestMILPMatchesEnumeration, splittable, with a twin of
// every other site at its location (another capacity, uncapacitated in a
// quarter, existing or new; the original's capacity × 0.6, so that both
// are needed at times), same feasibility and t·km; capacities hold
// and every tonne is assigned.
func TestMILPColocatedMerge(t *testing.T) {
	cbc := requireCBC(t)
	defer func() { mergeColocated = true }()
	r := rand.New(rand.NewPCG(11, 2026))
	compared, infeasible, twinsOpen := 0, 0, 0
	for k := range 120 {
		ds, ss, opt := randomInstance(r)
		total := 0.0
		for _, d := range ds {
			total += d.Tonnes
		}
		n := len(ss)
		for j := 0; j < n; j += 2 {
			twin := ss[j]
			twin.ID += "b"
			twin.Existing = r.IntN(2) == 0
			twin.Capacity = total * (0.05 + 0.3*r.Float64())
			if r.IntN(4) == 0 {
				twin.Capacity = 0
			}
			ss = append(ss, twin)
			if ss[j].Capacity > 0 {
				ss[j].Capacity *= 0.6 // so that twins are both needed
			}
		}
		if k%2 == 0 {
			// Demands gathered near site 0 and its twin, whose
			// capacities are below the total: both twins are open.
			for i := range ds {
				if ds[i].Group == ss[0].Group {
					ds[i].Location = orb.Point{ss[0].Location[0] + 0.04*(r.Float64()-0.5), ss[0].Location[1] + 0.04*(r.Float64()-0.5)}
				}
			}
			ss[0].Capacity = total * 0.3
			ss[n].Capacity = total * 0.3 // site 0's twin
		}
		opt.Split, opt.Solver = true, cbc
		var res [2]*Consolidation
		var errs [2]error
		for v, merge := range []bool{false, true} {
			mergeColocated = merge
			res[v], errs[v] = Consolidate(ds, ss, opt)
		}
		if errs[0] != nil || errs[1] != nil {
			if !errors.Is(errs[0], ErrInfeasible) || !errors.Is(errs[1], ErrInfeasible) {
				t.Errorf("instance %d: unmerged %v, merged %v; want both solved or both infeasible", k, errs[0], errs[1])
			}
			infeasible++
			continue
		}
		if d := res[1].TKm - res[0].TKm; math.Abs(d) > 1e-6*res[0].TKm {
			t.Errorf("instance %d: merged %.6f t·km, unmerged %.6f", k, res[1].TKm, res[0].TKm)
		}
		caps := map[string]float64{}
		at := map[orb.Point]int{}
		for _, s := range ss {
			caps[s.ID] = s.Capacity
		}
		got := 0.0
		for _, b := range res[1].Blocks {
			if c := caps[b.ID]; c > 0 && b.Tonnes > c*(1+1e-6) {
				t.Errorf("instance %d: block %s %.1f t over capacity %.1f", k, b.ID, b.Tonnes, c)
			}
			got += b.Tonnes
			if at[b.Facility.Location]++; at[b.Facility.Location] == 2 {
				twinsOpen++
			}
		}
		if math.Abs(got-total) > 1e-9*total {
			t.Errorf("instance %d: %.3f t assigned; want %.3f", k, got, total)
		}
		for _, g := range res[1].Groups {
			if g.Status != "optimal" {
				t.Errorf("instance %d: group %+v", k, g)
			}
		}
		compared++
	}
	t.Logf("%d instances: %d compared (%d with both twins open), %d infeasible in both", compared+infeasible, compared, twinsOpen, infeasible)
	if compared < 80 || twinsOpen == 0 {
		t.Errorf("only %d compared, %d with both twins open", compared, twinsOpen)
	}
}
