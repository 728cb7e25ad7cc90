package scenarios

import _ "embed"

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default scenario file.
func DefaultYAML() []byte { return defaultYAML }

// Default returns the embedded default scenario: five synthetic regions,
// one per archetype, needing no data files.
func Default() (*File, error) {
	return Parse("default.yaml (embedded)", ".", defaultYAML)
}
