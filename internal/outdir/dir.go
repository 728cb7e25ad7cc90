package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Dir is an output being built in a temporary directory beside its
// destination. Create it with [Begin]; then [Dir.Commit] or [Dir.Abort].
type Dir struct {
	dest    string // destination as given (for messages), cleaned
	tmp     string
	earlier bool // dest held an output (or was an empty directory) at Begin
	snap    snapshot
	done    bool
	hashed  map[string]File // SHA-256 of files computed as they were written, by relative path
}

// Hashed records the size (bytes) and SHA-256 (hex) of the file at rel
// (relative to the temporary directory, slash-separated), computed by the
// caller over exactly the bytes it wrote, so that sealing need not read the
// file again. A file whose size differs when sealed is hashed anew.
func (d *Dir) Hashed(rel string, size int64, sha256hex string) {
	if d.hashed == nil {
		d.hashed = map[string]File{}
	}
	d.hashed[rel] = File{Path: rel, Size: size, SHA256: sha256hex}
}

// tempInfix and oldInfix name the directories beside the destination:
// .NAME.junkan-tmp-PID while building (and, after the swap, the earlier
// output being removed), .NAME.junkan-old-PID for the earlier output
// during a two-rename swap.
const (
	tempInfix = ".junkan-tmp-"
	oldInfix  = ".junkan-old-"
)

type tempInfo struct {
	PID  int    `json:"pid"`
	Host string `json:"host"`
}

// Begin checks dest with [Check], removes stale temporary directories of
// dest left by junkan processes no longer alive (calling notice for each,
// and for any it leaves alone), and creates the temporary directory. From
// then on a signal caught by g (may be nil) interrupts the writing (see
// [Guard]); one caught before makes Begin return an [InterruptedError].
// notice may be nil.
func Begin(dest string, g *Guard, notice func(msg string)) (*Dir, error) {
	snap, err := check(dest)
	if err != nil {
		return nil, err
	}
	return begin(dest, snap, g, notice)
}

// BeginChecked is [Begin] for a directory checked earlier by
// [CheckState]: instead of reading its files again it checks, as
// [Dir.Commit] does before the swap, that nothing was added, removed or
// changed since (names, sizes, modification times, modes).
func BeginChecked(c *Checked, g *Guard, notice func(msg string)) (*Dir, error) {
	if err := recheck(c.dir, c.snap); err != nil {
		return nil, err
	}
	return begin(c.dir, c.snap, g, notice)
}

func begin(dest string, snap snapshot, g *Guard, notice func(msg string)) (*Dir, error) {
	if notice == nil {
		notice = func(string) {}
	}
	dest = filepath.Clean(dest)
	parent, base := filepath.Dir(dest), filepath.Base(dest)
	cleanStale(parent, base, notice)
	d := &Dir{dest: dest, snap: snap}
	if _, err := os.Lstat(dest); err == nil {
		d.earlier = true
	}
	if err := g.arm(); err != nil {
		return nil, err
	}
	pid := os.Getpid()
	for n := 0; ; n++ {
		name := "." + base + tempInfix + strconv.Itoa(pid)
		if n > 0 {
			name += "-" + strconv.Itoa(n)
		}
		d.tmp = filepath.Join(parent, name)
		err := os.Mkdir(d.tmp, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || n > 1000 {
			// Said as Check says it (e.g. a directory of /proc passes
			// the access check, but nothing can be created there).
			why := err
			var pe *fs.PathError
			if errors.As(err, &pe) {
				why = pe.Err
			}
			return nil, refuse("output: cannot write in %s, the directory that holds %s (%v); choose an -o in a directory you can write", parent, dest, why)
		}
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(tempInfo{PID: pid, Host: host})
	if err := os.WriteFile(filepath.Join(d.tmp, tempMarker), b, 0o644); err != nil {
		os.RemoveAll(d.tmp)
		return nil, fmt.Errorf("output: %w", err)
	}
	return d, nil
}

// Path returns the temporary directory to write the outputs into.
func (d *Dir) Path() string { return d.tmp }

// Dest returns the destination directory.
func (d *Dir) Dest() string { return d.dest }

// Kept says what the destination holds after an abort: "earlier output
// kept in DIR" or "no output written".
func (d *Dir) Kept() string {
	if d.earlier {
		return "earlier output kept in " + d.dest
	}
	return "no output written"
}

// Abort removes the temporary directory; the destination is as it was.
// Call it only when no goroutine writes into the temporary directory any
// more.
func (d *Dir) Abort() {
	if d.done {
		return
	}
	d.done = true
	removeTree(d.tmp)
}

// removeTree removes dir with everything in it, its marker files last, so
// that a removal cut short (kill -9) leaves a directory the next run still
// recognises as junkan's and removes.
func removeTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if n := e.Name(); n != MarkerFile && n != tempMarker {
			if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	for _, n := range []string{MarkerFile, tempMarker} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return os.Remove(dir)
}

// seal writes the marker listing every file of the temporary directory
// and removes the temporary marker.
func (d *Dir) seal() error {
	m := Marker{Tool: "junkan", Format: markerFormat, Files: []File{}}
	err := filepath.WalkDir(d.tmp, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(d.tmp, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() || rel == tempMarker || rel == MarkerFile {
			return nil
		}
		if !e.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", rel)
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		if h, ok := d.hashed[rel]; ok && h.Size == fi.Size() {
			m.Files = append(m.Files, h)
			return nil
		}
		sum, err := hashFile(p)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, File{Path: rel, Size: fi.Size(), SHA256: sum})
		return nil
	})
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := os.WriteFile(filepath.Join(d.tmp, MarkerFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := os.Remove(filepath.Join(d.tmp, tempMarker)); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// Commit seals the temporary directory with its marker and swaps it into
// the destination, replacing an earlier output. g (may be nil) holds
// signals during the swap: a signal before the swap makes Commit abort and
// return an error wrapping [ErrInterrupted]; one during the swap is held,
// the swap completes, and [Guard.Late] reports it. notice (may be nil) is
// told of leftovers that could not be removed. On any error the temporary
// directory is removed and the destination holds what it held before.
func (d *Dir) Commit(g *Guard, notice func(msg string)) (err error) {
	if d.done {
		return errors.New("output: Commit after Commit or Abort")
	}
	if notice == nil {
		notice = func(string) {}
	}
	defer func() {
		if err != nil {
			d.Abort()
		}
		d.done = true
	}()
	if err := g.Err(); err != nil {
		return err
	}
	if err := d.seal(); err != nil {
		return err
	}
	// The destination may have changed during the run.
	if err := recheck(d.dest, d.snap); err != nil {
		return err
	}
	if err := g.enterSwap(); err != nil {
		return err
	}
	defer g.leaveSwap()
	old, err := swap(d.tmp, d.dest)
	if err != nil {
		return err
	}
	if old == "" {
		return nil
	}
	// The earlier output is at old now. Remove it only if it is still
	// as checked (someone might have added a file at the last moment);
	// else keep it, visibly.
	if err := recheck(old, d.snap); err != nil {
		kept := d.dest + ".junkan-kept-" + strconv.Itoa(os.Getpid())
		if os.Rename(old, kept) == nil {
			old = kept
		}
		notice(fmt.Sprintf("the earlier %s changed during the run; it was kept at %s", d.dest, old))
		return nil
	}
	if err := removeTree(old); err != nil {
		notice(fmt.Sprintf("could not remove the earlier output at %s: %v", old, err))
	}
	return nil
}

// swap puts directory tmp at dest. If dest existed, it returns where the
// earlier dest is now (to be removed). On an error dest is as it was.
func swap(tmp, dest string) (old string, err error) {
	_, err = os.Lstat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Rename(tmp, dest); err != nil {
			return "", fmt.Errorf("output: %w", err)
		}
		return "", nil
	case err != nil:
		return "", fmt.Errorf("output: %w", err)
	}
	if err := exchange(tmp, dest); err == nil {
		return tmp, nil
	} else if !errors.Is(err, errNoExchange) {
		return "", fmt.Errorf("output: replacing %s: %w", dest, err)
	}
	// Two renames, undone on failure.
	old = filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+oldInfix+strconv.Itoa(os.Getpid()))
	if err := os.Rename(dest, old); err != nil {
		return "", fmt.Errorf("output: replacing %s: %w", dest, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		if e := os.Rename(old, dest); e != nil {
			return "", fmt.Errorf("output: replacing %s: %w; the earlier output is at %s", dest, err, old)
		}
		return "", fmt.Errorf("output: replacing %s: %w", dest, err)
	}
	return old, nil
}

// cleanStale removes the temporary directories of base in parent left by
// junkan processes that are no longer alive, and puts back an earlier
// output left aside by an interrupted two-rename swap.
func cleanStale(parent, base string, notice func(string)) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	host, _ := os.Hostname()
	dest := filepath.Join(parent, base)
	for _, e := range entries {
		name := e.Name()
		var infix string
		switch {
		case strings.HasPrefix(name, "."+base+tempInfix):
			infix = tempInfix
		case strings.HasPrefix(name, "."+base+oldInfix):
			infix = oldInfix
		default:
			continue
		}
		pid, ok := parsePID(name[len("."+base+infix):])
		if !ok || !e.IsDir() || alive(pid) {
			continue
		}
		p := filepath.Join(parent, name)
		if infix == oldInfix {
			if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) && Check(p) == nil {
				if os.Rename(p, dest) == nil {
					notice(fmt.Sprintf("put back the earlier output %s that an interrupted run (pid %d) had moved to %s", dest, pid, p))
					continue
				}
			}
		}
		ours := Check(p) == nil // a whole output, or what is left of one
		if es, err := os.ReadDir(p); err == nil && len(es) == 1 && es[0].Name() == tempMarker {
			ours = true // killed while writing its marker
		}
		if !ours {
			var ti tempInfo
			if b, err := os.ReadFile(filepath.Join(p, tempMarker)); err == nil && len(b) < 4096 &&
				json.Unmarshal(b, &ti) == nil && ti.PID == pid && ti.Host == host {
				ours = true
			}
		}
		if !ours {
			notice(fmt.Sprintf("left %s alone: it looks like a temporary directory of junkan but holds files junkan did not write", p))
			continue
		}
		if err := removeTree(p); err != nil {
			notice(fmt.Sprintf("could not remove the stale temporary directory %s: %v", p, err))
			continue
		}
		notice(fmt.Sprintf("removed %s, left by an interrupted run (pid %d)", p, pid))
	}
}

// parsePID parses "PID" or "PID-N".
func parsePID(s string) (int, bool) {
	if i := strings.IndexByte(s, '-'); i >= 0 {
		if _, err := strconv.Atoi(s[i+1:]); err != nil {
			return 0, false
		}
		s = s[:i]
	}
	pid, err := strconv.Atoi(s)
	return pid, err == nil && pid > 0
}

// errNoExchange: the system cannot exchange two directories in one step.
var errNoExchange = errors.New("exchange not supported")
