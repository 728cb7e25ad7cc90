package batch

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// Design maps run indices to points of the unit hypercube (0, 1)^Dim: the
// probabilities at which each input's quantile is taken. Point depends
// only on the design and the run index, so any worker or shard can
// compute any run. Implementations are safe for concurrent use.
type Design interface {
	Name() string // sampler name; the analyser of the same name reads it
	Runs() int
	Dim() int
	Point(run int, u []float64) // u has len Dim
}

// MonteCarlo draws every input of every run independently: u[k] =
// [Draw](Seed, run, IDs[k]).
type MonteCarlo struct {
	Seed uint64
	N    int
	IDs  []uint64 // stable id per input ([InputID])
}

func (d *MonteCarlo) Name() string { return "montecarlo" }
func (d *MonteCarlo) Runs() int    { return d.N }
func (d *MonteCarlo) Dim() int     { return len(d.IDs) }
func (d *MonteCarlo) Point(run int, u []float64) {
	for k, id := range d.IDs {
		u[k] = Draw(d.Seed, run, id)
	}
}

// LatinHypercube is a Latin hypercube design of N runs (gonum
// stat/samplemv.LatinHypercube): each input's range of probability is cut
// into N equal strata and each stratum is used once. The whole design is
// drawn once from the seed (N × Dim values).
type LatinHypercube struct {
	n, dim int
	u      *mat.Dense
}

// NewLatinHypercube returns the Latin hypercube of n runs in dim inputs
// drawn from seed.
func NewLatinHypercube(seed uint64, n, dim int) *LatinHypercube {
	d := &LatinHypercube{n: n, dim: dim}
	if n > 0 && dim > 0 {
		src := Source(seed, 0, InputID("latin_hypercube"))
		d.u = mat.NewDense(n, dim, nil)
		samplemv.LatinHypercube{Q: distmv.NewUnitUniform(dim, src), Src: src}.Sample(d.u)
	}
	return d
}

func (d *LatinHypercube) Name() string { return "latin_hypercube" }
func (d *LatinHypercube) Runs() int    { return d.n }
func (d *LatinHypercube) Dim() int     { return d.dim }
func (d *LatinHypercube) Point(run int, u []float64) {
	copy(u, d.u.RawRowView(run))
}

// Grid is the full factorial design: input k takes Levels[k] values, the
// midpoints (i + ½)/L of L equal strata of probability (so a uniform input
// on [a, b] with 3 levels takes a + (b−a)·{1/6, 1/2, 5/6}); the first input
// varies slowest.
type Grid struct{ Levels []int }

func (d *Grid) Name() string { return "grid" }
func (d *Grid) Dim() int     { return len(d.Levels) }
func (d *Grid) Runs() int {
	n := 1
	for _, l := range d.Levels {
		n *= l
	}
	return n
}
func (d *Grid) Point(run int, u []float64) {
	for k := len(d.Levels) - 1; k >= 0; k-- {
		l := d.Levels[k]
		i := run % l
		run /= l
		u[k] = (float64(i) + 0.5) / float64(l)
	}
}

// Saltelli is the sampling of Saltelli (2002, 2010) for first- and
// total-order Sobol indices: N base points, each giving Dim+2 runs in the
// order of SALib: A, AB₁ … AB_Dim (A with column k from B), B. A and B are
// independent Monte Carlo matrices ([Draw] on two streams per input).
type Saltelli struct {
	Seed uint64
	N    int
	IDs  []uint64
}

func (d *Saltelli) Name() string { return "saltelli" }
func (d *Saltelli) Runs() int    { return d.N * (len(d.IDs) + 2) }
func (d *Saltelli) Dim() int     { return len(d.IDs) }
func (d *Saltelli) Point(run int, u []float64) {
	D := len(d.IDs)
	j, w := run/(D+2), run%(D+2)
	for k, id := range d.IDs {
		a, b := Draw(d.Seed, j, id), Draw(d.Seed, j, id^0x5bd1e9955bd1e995)
		switch {
		case w == D+1:
			u[k] = b
		case w == k+1:
			u[k] = b
		default:
			u[k] = a
		}
	}
}

// Morris is the trajectory design of Morris (1991) on a grid of Levels
// (even) levels: R trajectories of Dim+1 runs each; each step moves one
// input, in a random order, by Δ = Levels/(2(Levels−1)) of its range up or
// down. Level l is the probability (l + ½)/Levels (the midpoint of
// its stratum, so unbounded inputs stay finite).
type Morris struct {
	Seed   uint64
	R      int
	Levels int
	IDs    []uint64
}

func (d *Morris) Name() string { return "morris" }
func (d *Morris) Runs() int    { return d.R * (len(d.IDs) + 1) }
func (d *Morris) Dim() int     { return len(d.IDs) }

// Trajectory returns the order in which trajectory t moves the inputs,
// their start levels and their directions (+1 up, −1 down).
func (d *Morris) Trajectory(t int) (order []int, start []int, sign []float64) {
	D := len(d.IDs)
	rng := rand.New(Source(d.Seed, t, InputID("morris")))
	order = rng.Perm(D)
	start, sign = make([]int, D), make([]float64, D)
	half := d.Levels / 2
	for k := 0; k < D; k++ {
		l := rng.IntN(half) // 0 … half−1, then +half stays on the grid
		if rng.IntN(2) == 0 {
			start[k], sign[k] = l, 1
		} else {
			start[k], sign[k] = l+half, -1
		}
	}
	return order, start, sign
}

// Delta is the step of an elementary effect in units of an input's range.
func (d *Morris) Delta() float64 { return float64(d.Levels) / (2 * float64(d.Levels-1)) }

func (d *Morris) Point(run int, u []float64) {
	D := len(d.IDs)
	t, s := run/(D+1), run%(D+1)
	order, start, sign := d.Trajectory(t)
	half := d.Levels / 2
	lv := make([]int, D)
	copy(lv, start)
	for i := 0; i < s; i++ {
		k := order[i]
		lv[k] += int(sign[k]) * half
	}
	for k := range u {
		u[k] = (float64(lv[k]) + 0.5) / float64(d.Levels)
	}
}

// checkDesign returns an error for a design whose shape is unusable.
func checkDesign(d Design) error {
	if d.Runs() <= 0 {
		return fmt.Errorf("batch: design %s has no runs", d.Name())
	}
	return nil
}
