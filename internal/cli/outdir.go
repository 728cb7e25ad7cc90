package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/scenarios"
)

// Output safety of `junkan run -o DIR` (see package internal/outdir): DIR
// is replaced only when junkan can prove it wrote it; the scenario and
// data files must lie outside it; writing and swapping are guarded
// against SIGINT, SIGTERM, SIGHUP and SIGQUIT.

// inputsOutside refuses a run whose scenario or data files lie inside the
// output directory out.
func inputsOutside(out string, f *scenarios.File, run *scenarios.Run) error {
	var paths, roles []string
	if f.Path != "" {
		paths, roles = append(paths, f.Path), append(roles, "scenario")
	}
	for _, in := range run.Inputs {
		paths, roles = append(paths, filepath.FromSlash(in.Path)), append(roles, in.Role)
	}
	return outdir.CheckInputs(out, paths, roles)
}

// watchSignals catches signals for a run writing out: before the output
// is begun a signal ends the process at once (exit status 1, nothing was
// written); later ones are handled by the output writer.
func watchSignals(stderr io.Writer, out string) *outdir.Guard {
	return outdir.Watch(func(s os.Signal) {
		fmt.Fprintf(stderr, "junkan: interrupted (%s) before any output was written; %s is unchanged\n", outdir.SignalName(s), out)
		os.Exit(ExitFail)
	})
}

// noticeTo returns a notice function printing to stderr.
func noticeTo(stderr io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(stderr, "junkan: %s\n", msg) }
}

// outputErr classifies an error of the output writer: a refusal to
// replace the output directory is bad input (exit 2); an interruption
// or an I/O error is a failure (exit 1).
func outputErr(err error) error {
	if errors.Is(err, output.ErrNotOutputDir) {
		return badInput(err)
	}
	return err
}

// lateSignal reports a signal that arrived while the new output was being
// swapped into place: the swap was completed, the run succeeded.
func lateSignal(stderr io.Writer, g *outdir.Guard, out string) {
	if s := g.Late(); s != nil {
		fmt.Fprintf(stderr, "junkan: %s received while replacing %s; the swap was completed: %s holds the new output\n",
			outdir.SignalName(s), out, out)
	}
}
