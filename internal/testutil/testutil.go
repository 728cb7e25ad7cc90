// Package testutil holds helpers shared by the tests of junkan.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// DataDir returns the directory of the shared data files: $JUNKAN_DATA_DIR
// if set, else ../shared/data beside the repository (found by walking up
// from the working directory to go.mod). It skips the test or benchmark
// when the directory, or its municipality file, is missing, so that the
// tests run without the data too.
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("JUNKAN_DATA_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			tb.Skipf("no working directory: %v", err)
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared", "data")
				break
			}
			if filepath.Dir(d) == d {
				tb.Skip("go.mod not found above the working directory; set JUNKAN_DATA_DIR")
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "jp_municipalities_ssdse_a_2026.csv")); err != nil {
		tb.Skipf("shared data not found in %s (set JUNKAN_DATA_DIR): %v", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return abs
}

// MainWithOwnCache runs a package's tests (call it from TestMain) with the
// solver's result cache in a directory of their own, new each run, so the
// tests run CBC and leave the user's cache alone; it exits with their
// status.
func MainWithOwnCache(m *testing.M) {
	dir, err := os.MkdirTemp("", "junkan-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("JUNKAN_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
