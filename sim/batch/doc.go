// Package batch runs many simulations of one model for researchers:
// Monte Carlo over uncertain inputs, parameter sweeps (full grid, Latin
// hypercube) and global sensitivity analysis (Morris elementary effects,
// Sobol indices from Saltelli sampling), with streaming statistics per
// output cell that do not grow with the number of runs, and partial
// results that merge into exactly the single-machine result.
//
// # Randomness
//
// Every draw is inverse-transform sampling: the quantile of a uniform
// number in (0, 1) under the input's distribution ([Dist.Quantile], gonum
// stat/distuv). The uniform numbers come from counter-based streams:
// [Draw](seed, run, input) is a PCG generator (math/rand/v2) keyed by a
// SplitMix64 hash of (seed, run index) and of the input's stable id, so a
// run's draws do not depend on which worker or shard computes it, nor on
// the other inputs of the batch. There is no global random source.
//
// # Designs and analysers
//
// A [Design] maps run indices to points of the unit hypercube: MonteCarlo,
// LatinHypercube (gonum stat/samplemv), Grid, Saltelli and Morris. As in
// SALib, samplers and analysers are paired by name: a Saltelli design is
// analysed by [Sobol], a Morris design by [MorrisEffects].
//
// # Statistics
//
// [Accumulator] keeps per output cell the count, an exact sum and sum of
// squares (fixed-point integers, so the mean and standard deviation do
// not depend on the order in which runs are added), the
// minimum and maximum, and either every value (exact percentiles) or a
// [Sketch] (relative-error quantile sketch, mergeable by adding counts).
// Adding runs in any order, on any number of workers or shards, gives
// the same bits.
package batch
