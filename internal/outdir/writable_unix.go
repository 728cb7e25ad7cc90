//go:build unix

package outdir

import "golang.org/x/sys/unix"

// writable reports whether this process may create entries in dir (the
// kernel's answer for the real user: modes, ACLs, a read-only mount). A
// variable, so that a test run as root can see a refusal.
var writable = func(dir string) error { return unix.Access(dir, unix.W_OK|unix.X_OK) }
