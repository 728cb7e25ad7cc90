// Package cli implements the junkan command line: subcommands, flags, exit
// statuses. It glues the packages together and holds no model logic.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/scenarios"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitFail  = 1 // a failure while running (I/O, mass balance)
	ExitUsage = 2 // bad input: usage, scenario or data errors
)

// usageError marks errors that exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badInput(err error) error { return usageError{err} }

type command struct {
	name, usage, short string
	run                func(args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"run", "junkan run [SCENARIO.yaml] -o DIR [--data DIR] [--workers N]", "simulate all variants and write outputs (no file: the embedded default)", runCmd},
		{"batch", "junkan batch SCENARIO.yaml -o DIR [--workers N] [--shard i/n] [--resume] [--quiet]", "Monte Carlo, sweeps and sensitivity over the uncertain numbers (batch: section)", batchCmd},
		{"merge", "junkan merge PARTIAL_DIR... -o DIR", "combine the partial results of batch --shard into the single-machine result", mergeCmd},
		{"validate", "junkan validate SCENARIO.yaml [--data DIR]", "check a scenario and its data files without running", validateCmd},
		{"report", "junkan report OUT_DIR [-o FILE.html] [--lang en] [--font PATH]", "write a self-contained HTML report (Japanese) of a run's outputs", reportCmd},
		{"compare", "junkan compare OUT_A OUT_B ... -o FILE.html", "write one HTML report comparing runs of different scenario files", compareCmd},
		{"params", "junkan params [WORD…] [--material ID] [--kind KIND] [--archetype X] [--csv]", "print the default parameters with their units and sources (filtered by words in key or source, material, kind)", paramsCmd},
		{"elements", "junkan elements", "print the model elements (モデル要素) and their effects", elementsCmd},
		{"example", "junkan example [--codes CODES | --name NAMES] [--neighbours-km KM] [--data DIR]", "print a ready scenario: the embedded default, or one for the municipalities named (with their neighbours), reading the shared data", exampleCmd},
		{"schema", "junkan schema", "print the JSON Schema of the scenario format (for editor completion)", schemaCmd},
		{"version", "junkan version", "print the version and the VCS revision (also: junkan --version)", versionCmd},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "junkan simulates regional circulation models (地域循環モデル) of municipal waste.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s\n      %s\n", c.usage, c.short)
	}
	fmt.Fprintln(w, "\nHelp on one command: junkan COMMAND --help. Version: junkan --version.")
	fmt.Fprintln(w, "Exit status: 0 ok, 1 failure while running, 2 bad input.")
}

// Main runs the command line args (without the program name) and returns
// the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			if _, ok := lookup(args[1]); ok {
				args = []string{args[1], "--help"}
				break
			}
		}
		usage(stdout)
		return ExitOK
	case "--version", "-version", "-V":
		args = []string{"version"}
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return ExitOK
		case errors.Is(err, flag.ErrHelp):
			return ExitOK
		}
		fmt.Fprintf(stderr, "junkan: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return ExitUsage
		}
		return ExitFail
	}
	fmt.Fprintf(stderr, "junkan: unknown command %q%s\n", args[0], model.Suggest(args[0], names()))
	usage(stderr)
	return ExitUsage
}

func names() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

// parseFlags parses flags that may come before or after positional
// arguments, returning the positionals.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, badInput(plainFlagError(fs, err))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// plainFlagError words the flag package's errors plainly: which flag,
// what was given, what is expected.
func plainFlagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	var name, rest string
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name = strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		return fmt.Errorf("%s: unknown flag %s (see junkan %s -h)", fs.Name(), dashed(name), fs.Name())
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name = strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		return fmt.Errorf("%s: flag %s needs a value (see junkan %s -h)", fs.Name(), dashed(name), fs.Name())
	case strings.HasPrefix(msg, "invalid value "):
		// invalid value "abc" for flag -workers: parse error
		i := strings.Index(msg, " for flag -")
		if i < 0 {
			break
		}
		val := strings.TrimPrefix(msg[:i], "invalid value ")
		name, rest, _ = strings.Cut(msg[i+len(" for flag -"):], ":")
		want := "a valid value"
		if f := fs.Lookup(name); f != nil {
			arg, _ := flag.UnquoteUsage(f)
			switch plainArg(arg) {
			case "N":
				want = "a whole number"
			case "X":
				want = "a number"
			case "DURATION":
				want = "a duration such as 30s or 5m"
			}
		}
		if strings.Contains(rest, "out of range") {
			want += " in range"
		}
		return fmt.Errorf("%s: %s %s is not %s (see junkan %s -h)", fs.Name(), dashed(name), val, want, fs.Name())
	}
	return err
}

// dashed writes a flag name as the help shows it: -o, --workers.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func dataDirDefault() string { return os.Getenv("JUNKAN_DATA_DIR") }

// load reads the scenario (or the embedded default) and builds its run;
// consolidation reports its progress on stderr.
func load(path, dataDir string) (*scenarios.File, *scenarios.Run, error) {
	return loadReporting(path, dataDir, os.Stderr)
}

// loadReporting is load with consolidation's progress lines written to
// progress (nil: none).
func loadReporting(path, dataDir string, progress io.Writer) (*scenarios.File, *scenarios.Run, error) {
	var f *scenarios.File
	var err error
	if path == "" {
		f, err = scenarios.Default()
	} else {
		f, err = scenarios.Load(path)
	}
	if err != nil {
		return nil, nil, badInput(err)
	}
	f.Progress = progress
	run, err := f.Build(f.DataDir(dataDir))
	if err != nil {
		return nil, nil, badInput(err)
	}
	return f, run, nil
}
