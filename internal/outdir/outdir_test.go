package outdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// output writes an output with files name → content into dest.
func output(t *testing.T, dest string, files map[string]string) {
	t.Helper()
	d, err := Begin(dest, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range files {
		write(t, filepath.Join(d.Path(), name), c)
	}
	if err := d.Commit(nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"a.csv": "1,2\n", "plots/p.png": "png"})
	if err := Check(out); err != nil {
		t.Fatalf("Check of a whole output: %v", err)
	}
	if got, want := names(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
	empty := filepath.Join(root, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{empty, filepath.Join(root, "new")} {
		if err := Check(ok); err != nil {
			t.Errorf("Check(%s) = %v; want nil", ok, err)
		}
	}
	// Said plainly, without Go's "file does not exist" after it.
	missing := filepath.Join(root, "no", "out")
	if err := Check(missing); !errors.Is(err, fs.ErrNotExist) ||
		err.Error() != "output: the parent directory of "+missing+" does not exist (create it first)" {
		t.Errorf("missing parent: %v", err)
	}
	// A file where the parent should be is not said to be missing.
	file := filepath.Join(root, "file")
	write(t, file, "x")
	if err := Check(filepath.Join(file, "out")); !errors.Is(err, ErrNotOutput) ||
		err.Error() != "output: "+file+", where "+filepath.Join(file, "out")+" would be, is a file, not a directory; choose an -o in a directory" {
		t.Errorf("file as parent: %v", err)
	}
	// A parent that passes the access check but takes no new entry
	// (a directory of /proc does so) is refused as an unwritable one.
	if fi, err := os.Stat("/proc/self"); err == nil && fi.IsDir() {
		dest := "/proc/junkan-out"
		_, err := Begin(dest, nil, nil)
		if !errors.Is(err, ErrNotOutput) || !strings.HasPrefix(err.Error(), "output: cannot write in /proc, the directory that holds "+dest+" (") {
			t.Errorf("Begin under /proc: %v", err)
		}
	}

	for name, tc := range map[string]struct {
		change func(dir string)
		want   string // in the message
	}{
		"extra file":     {func(d string) { write(t, filepath.Join(d, "notes.txt"), "mine") }, "files junkan did not write: notes.txt"},
		"extra nested":   {func(d string) { write(t, filepath.Join(d, "plots", "my.png"), "x") }, "plots/my.png"},
		"empty subdir":   {func(d string) { os.Mkdir(filepath.Join(d, "mine"), 0o755) }, "mine/"},
		"same size edit": {func(d string) { write(t, filepath.Join(d, "a.csv"), "3,4\n") }, "changed since junkan wrote them: a.csv"},
		"longer edit":    {func(d string) { write(t, filepath.Join(d, "a.csv"), "3,4,5\n") }, "a.csv"},
		"symlink":        {func(d string) { os.Symlink("/etc/passwd", filepath.Join(d, "l")) }, "did not write: l"},
		"marker gone":    {func(d string) { os.Remove(filepath.Join(d, MarkerFile)) }, "no .junkan-output"},
		"marker foreign": {func(d string) { write(t, filepath.Join(d, MarkerFile), `{"tool":"x"}`) }, "did not write"},
	} {
		dir := filepath.Join(t.TempDir(), "o")
		output(t, dir, map[string]string{"a.csv": "1,2\n", "plots/p.png": "png"})
		tc.change(dir)
		err := Check(dir)
		if !errors.Is(err, ErrNotOutput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Check = %v; want ErrNotOutput mentioning %q", name, err, tc.want)
		}
		// Begin refuses too and changes nothing.
		before := names(t, filepath.Dir(dir))
		if _, err := Begin(dir, nil, nil); !errors.Is(err, ErrNotOutput) {
			t.Errorf("%s: Begin = %v", name, err)
		}
		if got := names(t, filepath.Dir(dir)); !slices.Equal(got, before) {
			t.Errorf("%s: Begin left %v", name, got)
		}
	}

	// A foreign directory with a manifest.json is not an output.
	web := filepath.Join(root, "web")
	write(t, filepath.Join(web, "manifest.json"), "{}")
	write(t, filepath.Join(web, "index.html"), "<p>")
	err := Check(web)
	if !errors.Is(err, ErrNotOutput) || !strings.Contains(err.Error(), "index.html, manifest.json") {
		t.Errorf("web folder: %v", err)
	}
	// A symbolic link as the output, a regular file as the output.
	os.Symlink(out, filepath.Join(root, "link"))
	write(t, filepath.Join(root, "file"), "x")
	for _, p := range []string{filepath.Join(root, "link"), filepath.Join(root, "file")} {
		if err := Check(p); !errors.Is(err, ErrNotOutput) {
			t.Errorf("Check(%s) = %v; want ErrNotOutput", p, err)
		}
	}
	// The working directory and its parents.
	wd, _ := os.Getwd()
	for _, p := range []string{".", "..", wd} {
		if err := Check(p); !errors.Is(err, ErrNotOutput) || !strings.Contains(err.Error(), "working directory") {
			t.Errorf("Check(%q) = %v; want a refusal naming the working directory", p, err)
		}
	}
}

func TestCheckInputs(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	scen := filepath.Join(out, "s.yaml")
	write(t, scen, "name: x")
	other := filepath.Join(root, "data.csv")
	write(t, other, "a")
	if err := CheckInputs(out, []string{other}, nil); err != nil {
		t.Errorf("input outside: %v", err)
	}
	err := CheckInputs(out, []string{other, scen}, []string{"municipalities", "scenario"})
	if !errors.Is(err, ErrNotOutput) || !strings.Contains(err.Error(), "scenario file") {
		t.Errorf("scenario inside: %v", err)
	}
	// Through a symbolic link to the output, and with a relative path.
	link := filepath.Join(root, "link")
	os.Symlink(out, link)
	if err := CheckInputs(link, []string{scen}, nil); !errors.Is(err, ErrNotOutput) {
		t.Errorf("via a link: %v", err)
	}
	t.Chdir(root)
	if err := CheckInputs("out", []string{"out/s.yaml"}, nil); !errors.Is(err, ErrNotOutput) {
		t.Errorf("relative: %v", err)
	}
	if err := CheckInputs("out", []string{"out2/s.yaml", "outx"}, nil); err != nil {
		t.Errorf("siblings with a common prefix: %v", err)
	}
}

func TestCommitReplaces(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"old.csv": "old", "plots/p.png": "1"})
	output(t, out, map[string]string{"new.csv": "new"})
	if got, want := names(t, out), []string{MarkerFile, "new.csv"}; !slices.Equal(got, want) {
		t.Errorf("out holds %v; want %v", got, want)
	}
	if got, want := names(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
	// An empty directory is replaced.
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	output(t, empty, map[string]string{"a": "a"})
	if err := Check(empty); err != nil {
		t.Error(err)
	}
}

func TestCommitRefusesChangeDuringRun(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"a.csv": "a"})
	d, err := Begin(out, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(d.Path(), "b.csv"), "b")
	write(t, filepath.Join(out, "mine.txt"), "added while the run was going")
	err = d.Commit(nil, nil)
	if !errors.Is(err, ErrNotOutput) || !strings.Contains(err.Error(), "mine.txt") {
		t.Errorf("Commit = %v; want a refusal naming mine.txt", err)
	}
	if got, want := names(t, out), []string{MarkerFile, "a.csv", "mine.txt"}; !slices.Equal(got, want) {
		t.Errorf("out holds %v; want %v", got, want)
	}
	if got, want := names(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v (temporary directory removed)", got, want)
	}
}

func TestAbortKeepsEarlier(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"a.csv": "a"})
	d, err := Begin(out, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(d.Path()), ".out.junkan-tmp-"+strconv.Itoa(os.Getpid())) {
		t.Errorf("temporary directory %s", d.Path())
	}
	write(t, filepath.Join(d.Path(), "b.csv"), "b")
	d.Abort()
	if got, want := names(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
	if err := Check(out); err != nil || d.Kept() != "earlier output kept in "+out {
		t.Errorf("Check = %v, Kept = %q", err, d.Kept())
	}
}

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skip("no /bin/true:", err)
	}
	p.Wait()
	return p.Pid
}

func TestStale(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"a.csv": "a"})
	host, _ := os.Hostname()
	dead := strconv.Itoa(deadPID(t))
	// A partial temporary directory of a killed run.
	partial := filepath.Join(root, ".out.junkan-tmp-"+dead)
	write(t, filepath.Join(partial, tempMarker), `{"pid":`+dead+`,"host":"`+host+`"}`)
	write(t, filepath.Join(partial, "timeseries.csv"), "half")
	// A removal cut short: the marker is still there, some listed files
	// are gone.
	cut := filepath.Join(root, ".out.junkan-tmp-"+dead+"-2")
	output(t, cut, map[string]string{"a.csv": "a", "b.csv": "b"})
	os.Remove(filepath.Join(cut, "a.csv"))
	// Killed while writing its temporary marker.
	early := filepath.Join(root, ".out.junkan-tmp-"+dead+"-3")
	write(t, filepath.Join(early, tempMarker), `{"pi`)
	// One of a live process (this one) is left alone.
	live := filepath.Join(root, ".out.junkan-tmp-"+strconv.Itoa(os.Getpid())+"-7")
	write(t, filepath.Join(live, tempMarker), `{}`)
	// One holding a file of the user is left alone and reported.
	foreign := filepath.Join(root, ".out.junkan-tmp-"+dead+"-1")
	write(t, filepath.Join(foreign, "thesis.tex"), "mine")
	var notes []string
	d, err := Begin(out, nil, func(m string) { notes = append(notes, m) })
	if err != nil {
		t.Fatal(err)
	}
	d.Abort()
	want := []string{".out.junkan-tmp-" + dead + "-1", filepath.Base(live), "out"}
	slices.Sort(want)
	if got := names(t, root); !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
	all := strings.Join(notes, "\n")
	if len(notes) != 4 || !strings.Contains(all, "removed "+partial) || !strings.Contains(all, "removed "+cut) ||
		!strings.Contains(all, "removed "+early) || !strings.Contains(all, "left "+foreign+" alone") {
		t.Errorf("notices %q", notes)
	}

	// An earlier output set aside by an interrupted two-rename swap is put
	// back when the output is missing.
	old := filepath.Join(root, ".out.junkan-old-"+dead)
	if err := os.Rename(out, old); err != nil {
		t.Fatal(err)
	}
	notes = nil
	d, err = Begin(out, nil, func(m string) { notes = append(notes, m) })
	if err != nil {
		t.Fatal(err)
	}
	d.Abort()
	if err := Check(out); err != nil || !exists(filepath.Join(out, "a.csv")) || len(notes) == 0 || !strings.Contains(notes[0], "put back") {
		t.Errorf("Check = %v, notices %q", err, notes)
	}
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

func TestGuard(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"a.csv": "a"})

	// A signal while writing: Commit refuses, the earlier output stays.
	g := Watch(nil)
	d, err := Begin(out, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(d.Path(), "b.csv"), "b")
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	select {
	case <-g.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGHUP not caught")
	}
	err = d.Commit(g, nil)
	var ie *InterruptedError
	if !errors.As(err, &ie) || ie.Signal != syscall.SIGHUP || !errors.Is(err, ErrInterrupted) || err.Error() != "interrupted (SIGHUP)" {
		t.Errorf("Commit = %v; want interrupted (SIGHUP)", err)
	}
	g.Stop()
	if got, want := names(t, out), []string{MarkerFile, "a.csv"}; !slices.Equal(got, want) {
		t.Errorf("out holds %v; want %v", got, want)
	}
	if got, want := names(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}

	// A signal during the swap is held: the new output is completed.
	g = Watch(nil)
	defer g.Stop()
	if err := g.enterSwap(); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGQUIT)
	deadline := time.Now().Add(10 * time.Second)
	for g.Late() == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	g.leaveSwap()
	if g.Late() != syscall.SIGQUIT || g.Err() != nil {
		t.Errorf("Late = %v, Err = %v; want SIGQUIT, nil", g.Late(), g.Err())
	}
	select {
	case <-g.Done():
		t.Error("Done closed by a signal during the swap")
	default:
	}
	var nilGuard *Guard
	if nilGuard.Err() != nil || nilGuard.Late() != nil || nilGuard.enterSwap() != nil {
		t.Error("nil Guard")
	}
}

// TestBeginChecked: after CheckState, BeginChecked does not hash the
// earlier output again (Begin would), commits as Begin does, and refuses a
// file added or changed in between.
func TestBeginChecked(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	output(t, out, map[string]string{"a.csv": "a", "b.csv": "bb"})
	c, err := CheckState(out)
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir() != out {
		t.Errorf("Dir() = %s, want %s", c.Dir(), out)
	}
	before := filesHashed.Load()
	d, err := BeginChecked(c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := filesHashed.Load() - before; n != 0 {
		t.Errorf("BeginChecked hashed %d files; want 0", n)
	}
	write(t, filepath.Join(d.Path(), "c.csv"), "c")
	if err := d.Commit(nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, out), []string{MarkerFile, "c.csv"}; !slices.Equal(got, want) {
		t.Errorf("out holds %v; want %v", got, want)
	}
	before = filesHashed.Load()
	if d, err := Begin(out, nil, nil); err != nil {
		t.Fatal(err)
	} else {
		d.Abort()
	}
	if n := filesHashed.Load() - before; n != 1 {
		t.Errorf("Begin hashed %d files; want 1 (c.csv)", n)
	}

	for name, change := range map[string]func(){
		"added":   func() { write(t, filepath.Join(out, "mine.txt"), "x") },
		"changed": func() { write(t, filepath.Join(out, "c.csv"), "longer") },
	} {
		c, err := CheckState(out)
		if err != nil {
			t.Fatal(err)
		}
		change()
		if d, err := BeginChecked(c, nil, nil); !errors.Is(err, ErrNotOutput) {
			t.Errorf("%s: BeginChecked = %v; want a refusal", name, err)
			if d != nil {
				d.Abort()
			}
		}
		// Restore a provable output for the next case.
		os.RemoveAll(out)
		output(t, out, map[string]string{"c.csv": "c"})
	}
	// A directory that did not exist may appear meanwhile if it is an
	// output (another run); anything else is refused.
	fresh := filepath.Join(root, "fresh")
	c, err = CheckState(fresh)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(fresh, "foreign.txt"), "x")
	if _, err := BeginChecked(c, nil, nil); !errors.Is(err, ErrNotOutput) {
		t.Errorf("a foreign directory appeared: BeginChecked = %v; want a refusal", err)
	}
}

// TestCheckReadOnlyParent: an -o in a directory this process cannot write
// is refused by Check, before anything runs (exit 2 in the commands), with
// the directory named; it used to fail at the end of the set-up with
// "mkdir .out.junkan-tmp-PID: permission denied", exit 1.
func TestCheckReadOnlyParent(t *testing.T) {
	root := t.TempDir()
	ro := filepath.Join(root, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o755)
	out := filepath.Join(ro, "out")
	want := "output: cannot write in " + ro + ", the directory that holds " + out + " (permission denied); choose an -o in a directory you can write"
	check := func(how string) {
		t.Helper()
		err := Check(out)
		if err == nil || err.Error() != want || !errors.Is(err, ErrNotOutput) {
			t.Errorf("%s: Check = %v; want a refusal %q", how, err, want)
		}
	}
	if os.Geteuid() != 0 {
		check("mode 0555") // the kernel's own answer
	}
	// As root the mode does not bind: the answer is stubbed as a read-only
	// mount's would be.
	defer func(w func(string) error) { writable = w }(writable)
	writable = func(dir string) error {
		if dir == ro {
			return syscall.EACCES
		}
		return nil
	}
	check("stubbed")
	if err := Check(filepath.Join(root, "rw")); err != nil {
		t.Errorf("a writable parent: %v", err)
	}
}
