package outdir

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps directories a and b in one step (renameat2 with
// RENAME_EXCHANGE, Linux 3.15 on most file systems). It returns
// errNoExchange where that is not supported.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOTSUP) {
		return errNoExchange
	}
	return err
}
