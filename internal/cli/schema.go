package cli

import (
	"io"

	"github.com/circular-partners/junkan/scenarios"
)

func schemaCmd(args []string, stdout, stderr io.Writer) error {
	if err := noArgs("schema", args, stderr); err != nil {
		return err
	}
	_, err := stdout.Write(scenarios.JSONSchema())
	return err
}
