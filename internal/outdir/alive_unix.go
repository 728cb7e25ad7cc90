//go:build unix

package outdir

import (
	"errors"
	"os"
	"syscall"
)

// alive reports whether process pid exists on this host (one we may not
// signal exists too).
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
