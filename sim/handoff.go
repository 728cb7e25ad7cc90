package sim

import (
	"runtime"
	"sync/atomic"
	"time"
)

// spinFor is how long a goroutine of the engine polls for its next job,
// or for the helpers' answers, before it sleeps. A year hands work over
// twice (the step, then the offtake split), 56 times in a run to 2050;
// waking a sleeping goroutine took 60–120 µs on the 2-core CI machine,
// about a quarter of an all-Japan run's time on two workers, while the
// gap between two hand-offs is usually shorter than this.
const spinFor = 200 * time.Microsecond

// sleeper is where one goroutine waits for a condition that another
// makes true: it polls, then sleeps until woken. It does not allocate.
type sleeper struct {
	asleep atomic.Bool
	wake   chan struct{} // buffered 1: one token per sleep
}

func newSleeper() *sleeper { return &sleeper{wake: make(chan struct{}, 1)} }

// wait returns once ready reports true: it polls for spinFor (yielding
// the processor now and then, so that other goroutines of the process
// run), then sleeps until [sleeper.notify].
func (s *sleeper) wait(ready func() bool) {
	t0 := time.Now()
	for i := 1; ; i++ {
		if ready() {
			return
		}
		if i%64 == 0 {
			if time.Since(t0) > spinFor {
				break
			}
			runtime.Gosched()
		}
	}
	s.asleep.Store(true)
	if ready() {
		// Made true while going to sleep: if the notifier has not seen
		// this goroutine asleep, go on; else its token is on the way.
		if s.asleep.CompareAndSwap(true, false) {
			return
		}
	}
	<-s.wake
}

// notify wakes the goroutine waiting in s, if it sleeps. Call it after
// making its condition true.
func (s *sleeper) notify() {
	if s.asleep.Load() && s.asleep.CompareAndSwap(true, false) {
		s.wake <- struct{}{}
	}
}

// crew runs jobs of the stepper on W−1 helper goroutines and the
// caller's. A job's regions are cut into chunks of contiguous regions
// (chunksPer per worker); worker w starts with its own share of them, in
// order, and when it is done takes what is left of the others' (w+1,
// w+2, …). Which
// worker steps a region changes nothing in its results (a worker's
// scratch holds nothing from one region to the next), so a job's results
// do not depend on it, and a slower core is helped instead of waited for.
type crew struct {
	gen     atomic.Uint64 // generation of the current job
	pending atomic.Int32  // helpers still running the current job
	job     rangeJob      // the current job (written before gen moves)
	quit    bool          // set before the last move of gen: helpers end
	helpers []*sleeper    // one per helper, index w−1
	caller  *sleeper      // the caller, waiting for pending to reach 0
	chunks  int           // chunks of the current job
	next    []cursor      // per worker: the next of its chunks to take
}

// cursor is an atomic counter alone on its cache line (the workers take
// chunks by adding to it).
type cursor struct {
	n atomic.Int64
	_ [56]byte
}

// chunksPer is how many chunks each worker's share of a job is cut into
// (at least chunkMin regions each).
const (
	chunksPer = 8
	chunkMin  = 16
)

// start starts the helpers 1 … W−1 of st, each with its worker.
func (c *crew) start(st *stepper, W int) {
	c.caller = newSleeper()
	c.helpers = make([]*sleeper, W-1)
	c.next = make([]cursor, W)
	R := len(st.m.cfg.Regions)
	c.chunks = max(W, min(W*chunksPer, R/chunkMin))
	st.errs = make([]error, c.chunks)
	for w := 1; w < W; w++ {
		s := newSleeper()
		c.helpers[w-1] = s
		go c.help(st, w, s)
	}
}

// help is helper w's loop: wait for a new generation, run its chunks and
// what is left of the others', count down.
func (c *crew) help(st *stepper, w int, s *sleeper) {
	var last uint64
	for {
		s.wait(func() bool { return c.gen.Load() != last })
		last = c.gen.Load()
		if c.quit {
			return
		}
		c.work(st, w)
		if c.pending.Add(-1) == 0 {
			c.caller.notify()
		}
	}
}

// work runs chunks of the current job as worker w until none is left.
// The error of chunk k goes to st.errs[k]; a chunk that fails stops at
// its first error.
func (c *crew) work(st *stepper, w int) {
	W, C := len(c.next), c.chunks
	R := len(st.m.cfg.Regions)
	wk := &st.workers[w]
	for v := 0; v < W; v++ {
		o := (w + v) % W // own chunks first, then the others'
		end := int64((o + 1) * C / W)
		for {
			k := c.next[o].n.Add(1) - 1
			if k >= end {
				break
			}
			j := c.job
			j.w, j.r0, j.r1 = w, int(k)*R/C, int(k+1)*R/C
			st.errs[k] = st.runJob(wk, j)
		}
	}
}

// run runs job j over all regions on the caller's goroutine and the
// helpers'; it returns when all its chunks are done, with the error of
// the first chunk that failed (the first error in region order).
func (c *crew) run(st *stepper, j rangeJob) error {
	W, C := len(c.next), c.chunks
	c.job = j
	for w := range c.next {
		c.next[w].n.Store(int64(w * C / W))
	}
	c.pending.Store(int32(W - 1))
	c.gen.Add(1)
	for _, s := range c.helpers {
		s.notify()
	}
	c.work(st, 0)
	c.caller.wait(func() bool { return c.pending.Load() == 0 })
	for _, err := range st.errs[:C] {
		if err != nil {
			return err
		}
	}
	return nil
}

// stop ends the helpers (after the last run has returned).
func (c *crew) stop() {
	c.quit = true
	c.gen.Add(1)
	for _, s := range c.helpers {
		s.notify()
	}
}
