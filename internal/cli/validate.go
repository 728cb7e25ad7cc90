package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/circular-partners/junkan/sim"
)

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", stderr)
	data := fs.String("data", dataDirDefault(), "data `DIR` for relative data paths")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInput(errors.New("validate: want exactly one SCENARIO.yaml"))
	}
	_, run, err := load(pos[0], *data)
	if err != nil {
		return err
	}
	if _, err := sim.New(&run.Config); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(stdout, "%s: ok (%d regions, %d variants, FY%d–FY%d)\n", pos[0], len(run.Config.Regions),
		len(run.Variants), run.Config.BaseYear, run.Config.EndYear)
	return nil
}
