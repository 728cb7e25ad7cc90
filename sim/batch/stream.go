package batch

import (
	"hash/fnv"
	"math/rand/v2"
)

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea and Flood 2014):
// a bijective mix of 64 bits.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Source returns the random stream of one (seed, run, stream id): a PCG
// (math/rand/v2) keyed by SplitMix64 hashes, so that each run and each
// input has its own stream whatever computes it. Not safe for concurrent
// use (a rand.Source).
func Source(seed uint64, run int, id uint64) *rand.PCG {
	k := splitmix64(seed ^ splitmix64(uint64(run)+0x632be59bd9b4e019))
	return rand.NewPCG(k, splitmix64(id^0xd1b54a32d192ed03))
}

// Draw returns the uniform number in (0, 1) of input id in run run of
// a batch with seed: the first draw of [Source](seed, run, id), as
// (k + ½)·2⁻⁵³ from the top 53 bits k.
func Draw(seed uint64, run int, id uint64) float64 {
	return unit(Source(seed, run, id).Uint64())
}

func unit(x uint64) float64 { return (float64(x>>11) + 0.5) * 0x1p-53 }

// InputID returns the stable stream id of an input name (FNV-1a, 64 bits),
// so that adding or removing an input does not change the draws of the
// others.
func InputID(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}
