// Package outdir writes a directory of outputs so that nothing is lost:
// the outputs are built in a temporary directory beside the destination,
// sealed with a marker that lists every file written (path, size,
// SHA-256), and swapped into place in one step.
//
// The rule for replacing a directory: junkan replaces DIR only when it can
// prove that it wrote it. DIR may not exist, be empty, or hold a marker
// file (.junkan-output) whose list matches every file in DIR, byte for
// byte; anything else (a file not listed, a listed file changed since, a
// symbolic link, an empty subdirectory) is refused with the names of what
// is there, and nothing is changed. A scenario or data file inside DIR, or
// DIR holding the working directory, is refused too.
//
// Temporary directories are named .NAME.junkan-tmp-PID (NAME the base
// name of DIR, PID the writing process) and hold a .junkan-tmp marker
// while being written. A later run removes those of processes no longer
// alive on this host, and reports each on its notice function.
//
// Signals: a [Guard] catches SIGINT, SIGTERM, SIGHUP and SIGQUIT. A
// signal while writing cancels the run: the caller stops its writers, then
// [Dir.Abort] removes the temporary directory and the earlier output is
// kept. A signal during the swap is held until the swap is complete (the
// new output is then in place) or undone (the earlier output is back), so
// DIR holds one whole output at every moment. On Linux the swap is a
// single renameat2(RENAME_EXCHANGE); elsewhere it is two renames, undone
// on failure, and an interrupted swap is repaired by the next run.
package outdir
