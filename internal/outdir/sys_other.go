//go:build !linux

package outdir

// exchange is not available: the swap uses two renames.
func exchange(a, b string) error { return errNoExchange }
