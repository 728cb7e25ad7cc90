package cli

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/circular-partners/junkan/scenarios"
)

func exampleCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("example: unexpected argument %q", args[0]))
	}
	_, err := stdout.Write(scenarios.DefaultYAML())
	return err
}

func versionCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("version: unexpected argument %q", args[0]))
	}
	fmt.Fprintln(stdout, "junkan", Version())
	return nil
}

// Version returns the module version from the build info, or "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
