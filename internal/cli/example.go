package cli

import (
	"io"

	"github.com/circular-partners/junkan/scenarios"
)

func exampleCmd(args []string, stdout, stderr io.Writer) error {
	if err := noArgs("example", args, stderr); err != nil {
		return err
	}
	_, err := stdout.Write(scenarios.DefaultYAML())
	return err
}
