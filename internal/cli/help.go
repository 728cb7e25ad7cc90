package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// examples are the example invocations shown by each subcommand's help,
// with what they do.
var examples = map[string][]string{
	"run": {
		"junkan run scenarios/saitama-2050.yaml -o out        # all variants; out/summary.xlsx, timeseries.csv, …",
		"junkan run -o out                                    # the embedded default (no data files)",
	},
	"validate": {"junkan validate my-town.yaml                         # check a scenario and its data files"},
	"params": {
		"junkan params sorting_yield                          # parameters whose key or source has this word",
		"junkan params --material plastics --kind assumption  # assumptions about plastics",
		"junkan params --csv > params.csv                     # the whole table for Excel",
	},
	"elements": {"junkan elements                                      # the eight model elements (モデル要素)"},
	"example": {
		"junkan example > my-town.yaml                        # the embedded default scenario",
		"junkan example --codes 11343 --neighbours-km 15      # a scenario for 小川町 and its neighbours",
	},
	"version": {"junkan version                                       # or: junkan --version"},
	"batch": {
		"junkan batch scenarios/saitama-2050-batch.yaml -o mc # Monte Carlo over the distributions of the scenario",
		"junkan batch s.yaml -o part-2 --shard 2/3            # one shard of three; then junkan merge",
		"junkan batch s.yaml -o mc --resume                   # continue an interrupted batch",
	},
	"merge":  {"junkan merge part-1 part-2 part-3 -o mc            # the single-machine result from the shards"},
	"schema": {"junkan schema > junkan.schema.json                   # JSON Schema for editor completion"},
}

// lookup returns the command named name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// newFlagSet returns the flag set of subcommand name, whose -h/--help
// prints the help in one form for every subcommand: usage line, what it
// does, its flags and examples.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package's own message is not printed (parseFlags words it
	// plainly, and Main prints it once); the help is.
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printHelp(stderr, name, fs) }
	return fs
}

// printHelp writes the help of subcommand name; fs may be nil.
func printHelp(w io.Writer, name string, fs *flag.FlagSet) {
	c, _ := lookup(name)
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.usage, c.short)
	n := 0
	if fs != nil {
		fs.VisitAll(func(*flag.Flag) { n++ })
	}
	if n > 0 {
		fmt.Fprintln(w, "\nflags:")
		fs.VisitAll(func(f *flag.Flag) {
			dash := "--"
			if len(f.Name) == 1 {
				dash = "-"
			}
			arg, use := flag.UnquoteUsage(f)
			arg = plainArg(arg)
			head := dash + f.Name
			if arg != "" {
				head += " " + arg
			}
			line := fmt.Sprintf("  %-22s %s", head, use)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				line += fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintln(w, line)
		})
	}
	ex := examples[name]
	if len(ex) == 0 {
		ex = []string{"junkan " + name}
	}
	fmt.Fprintln(w, "\nexamples:")
	for _, e := range ex {
		fmt.Fprintln(w, "  "+strings.TrimRight(e, " "))
	}
}

// plainArg replaces the Go type names that the flag package shows for a
// flag without a `NAME` in its usage (int, duration, …) by plain words.
func plainArg(arg string) string {
	switch arg {
	case "int", "uint":
		return "N"
	case "float":
		return "X"
	case "duration":
		return "DURATION" // e.g. 5s, 1m30s
	case "string", "value":
		return "TEXT"
	}
	return arg
}

// noArgs parses the flags of a subcommand that takes no arguments (only
// -h/--help).
func noArgs(name string, args []string, stderr io.Writer) error {
	fs := newFlagSet(name, stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput(fmt.Errorf("%s: unexpected argument %q", name, pos[0]))
	}
	return nil
}
