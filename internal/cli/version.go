package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

func versionCmd(args []string, stdout, stderr io.Writer) error {
	if err := noArgs("version", args, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stdout, versionLine())
	return nil
}

// versionLine is the module version, the VCS revision the binary was built
// from (with its time, and "modified" for uncommitted changes) and the Go
// version, e.g. "junkan devel (revision 177aa5e2c3f1, 2026-12-01T23:10:00Z) go1.26.0".
func versionLine() string {
	s := "junkan " + Version()
	if rev, t, modified := revision(); rev != "" {
		s += " (revision " + rev
		if t != "" {
			s += ", " + t
		}
		if modified {
			s += ", modified"
		}
		s += ")"
	}
	return s + " " + runtime.Version()
}

// Version returns the module version from the build info, or "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// revision returns the VCS revision (12 hex digits), its commit time and
// whether the work tree had changes, from the build info; empty when the
// binary was built without VCS information (go run, go test).
func revision() (rev, time string, modified bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
			if len(rev) > 12 {
				rev = rev[:12]
			}
		case "vcs.time":
			time = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return rev, time, modified
}
