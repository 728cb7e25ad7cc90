package cli_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestHelpNoGoTypeNames: no flag line of any subcommand's help shows a Go
// type name (--workers int, --checkpoint-every duration) as its argument.
func TestHelpNoGoTypeNames(t *testing.T) {
	goType := regexp.MustCompile(`^  --?[a-z-]+ (int|uint|float|duration|string|value)\b`)
	for _, name := range []string{"run", "batch", "merge", "validate", "params", "example", "schema", "elements", "version"} {
		_, stdout, stderr := run(t, name, "-h")
		for _, line := range strings.Split(stdout+stderr, "\n") {
			if goType.MatchString(line) {
				t.Errorf("%s -h: %q shows a Go type name", name, line)
			}
		}
	}
}
