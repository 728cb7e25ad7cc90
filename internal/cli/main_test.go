package cli

import (
	"os"
	"testing"
)

// TestMain keeps the solver's result cache of the tests' consolidations
// (and of the binaries they build and run) in a directory of their own,
// new each run, so the tests run CBC and leave the user's cache alone.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "junkan-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("JUNKAN_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
