package outdir

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Signals are the signals a [Guard] catches: SIGINT (Ctrl-C), SIGTERM,
// SIGHUP (a closed terminal or dropped ssh session) and SIGQUIT.
var Signals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// ErrInterrupted is wrapped by the error of a run stopped by a signal.
var ErrInterrupted = errors.New("interrupted")

// InterruptedError is the error of a run stopped by Signal.
type InterruptedError struct{ Signal os.Signal }

func (e *InterruptedError) Error() string        { return "interrupted (" + SignalName(e.Signal) + ")" }
func (e *InterruptedError) Is(target error) bool { return target == ErrInterrupted }

// SignalName returns the conventional name of s, e.g. "SIGINT".
func SignalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	}
	return fmt.Sprint(s)
}

// Phases of a guarded run.
const (
	phaseEarly    = iota // nothing written yet
	phaseWriting         // the temporary directory exists
	phaseSwapping        // the swap is under way
	phaseSwapped         // the new output is in place (or the run failed otherwise)
	phaseStopped         // Stop was called
)

// stopGrace is how long signals stay caught (and ignored) after Stop, so
// that a signal between the end of a run and the exit of the process
// neither kills it nor dumps its stacks (SIGQUIT).
const stopGrace = time.Second

// Guard catches [Signals] during a run that writes an output.
//
//   - Before the output's temporary directory is made ([Begin] with the
//     guard), a signal calls the early function given to [Watch] (which
//     typically reports and exits: nothing was written).
//   - While writing, a signal closes [Guard.Done] and makes [Guard.Err]
//     return an [InterruptedError]: the writer stops its goroutines, then
//     aborts, and the earlier output is kept.
//   - During or after the swap a signal is held ([Guard.Late]): the swap
//     is completed.
//
// Only the first signal counts. The methods of a nil *Guard do nothing
// (Done never closes).
type Guard struct {
	mu    sync.Mutex
	ch    chan os.Signal
	early func(os.Signal)
	phase int
	sig   os.Signal
	late  bool // sig came during or after the swap
	done  chan struct{}
	stop  chan struct{}
}

// Watch starts catching [Signals]; call Stop when done. early (may be nil:
// treated as while writing) is called, on the guard's goroutine, for a
// signal before the output is begun; while it runs the output cannot be
// begun.
func Watch(early func(os.Signal)) *Guard {
	g := &Guard{ch: make(chan os.Signal, 4), early: early, done: make(chan struct{}), stop: make(chan struct{})}
	signal.Notify(g.ch, Signals...)
	go func() {
		for {
			select {
			case s := <-g.ch:
				g.note(s)
			case <-g.stop:
				return
			}
		}
	}()
	return g
}

func (g *Guard) note(s os.Signal) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sig != nil || g.phase == phaseStopped {
		return
	}
	switch g.phase {
	case phaseEarly:
		if g.early != nil {
			g.early(s)
			return
		}
		fallthrough
	case phaseWriting:
		g.sig = s
		close(g.done)
	default:
		g.sig, g.late = s, true
	}
}

// arm moves the guard to writing, unless a signal has come.
func (g *Guard) arm() error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sig != nil && !g.late {
		return &InterruptedError{g.sig}
	}
	if g.phase == phaseEarly {
		g.phase = phaseWriting
	}
	return nil
}

// Done is closed when a signal arrives while writing.
func (g *Guard) Done() <-chan struct{} {
	if g == nil {
		return nil
	}
	return g.done
}

// Err returns an [InterruptedError] once a signal arrived while writing,
// else nil.
func (g *Guard) Err() error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sig != nil && !g.late {
		return &InterruptedError{g.sig}
	}
	return nil
}

// Late returns the signal that arrived during or after the swap (the new
// output was completed), or nil.
func (g *Guard) Late() os.Signal {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.late {
		return g.sig
	}
	return nil
}

// enterSwap starts the swap unless a signal arrived while writing.
func (g *Guard) enterSwap() error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sig != nil && !g.late {
		return &InterruptedError{g.sig}
	}
	g.phase = phaseSwapping
	return nil
}

func (g *Guard) leaveSwap() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.phase = phaseSwapped
	g.mu.Unlock()
}

// Stop ends the guard: signals are ignored for a grace period of one
// second (the process is about to exit), then handled as by default.
func (g *Guard) Stop() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.phase == phaseStopped {
		return
	}
	g.phase = phaseStopped
	time.AfterFunc(stopGrace, func() {
		signal.Stop(g.ch)
		close(g.stop)
	})
}
