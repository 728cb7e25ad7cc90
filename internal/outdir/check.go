package outdir

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
)

// MarkerFile is the file, in an output directory, that lists every file
// junkan wrote there (JSON, see [Marker]).
const MarkerFile = ".junkan-output"

// tempMarker is the file in a temporary directory while it is written:
// JSON {"pid": N, "host": "..."}.
const tempMarker = ".junkan-tmp"

// maxMarkerBytes bounds the marker file read back (bytes); a marker of
// 100,000 files is about 15 MB.
const maxMarkerBytes = 64 << 20

// markerFormat is the version of the marker's layout.
const markerFormat = 1

// Marker is the content of [MarkerFile].
type Marker struct {
	Tool   string `json:"tool"`   // "junkan"
	Format int    `json:"format"` // markerFormat
	Files  []File `json:"files"`  // sorted by Path
}

// File is one file written into an output directory.
type File struct {
	Path   string `json:"path"` // relative, slash-separated
	Size   int64  `json:"size"` // bytes
	SHA256 string `json:"sha256"`
}

// ErrNotOutput is wrapped by the errors of [Check] and [CheckInputs] that
// refuse to replace a directory.
var ErrNotOutput = errors.New("not an output directory junkan wrote")

// refusal is an error that wraps ErrNotOutput without repeating its text.
type refusal struct{ msg string }

func (e *refusal) Error() string        { return e.msg }
func (e *refusal) Is(target error) bool { return target == ErrNotOutput }

func refuse(format string, args ...any) error { return &refusal{fmt.Sprintf(format, args...)} }

// missingParent is the error of an output directory whose parent does not
// exist; it wraps fs.ErrNotExist without Go's text for it.
type missingParent struct{ dir string }

func (e missingParent) Error() string {
	return fmt.Sprintf("output: the parent directory of %s does not exist (create it first)", e.dir)
}
func (e missingParent) Is(target error) bool { return target == fs.ErrNotExist }

// Check reports whether dir may be replaced by a new output: its parent
// must exist, and dir must not exist, or be an empty directory, or hold
// only the files listed in its marker, each with the listed size and
// SHA-256. dir must not be, or hold, the working directory. Errors wrap
// [ErrNotOutput] (a refusal, naming what is there) or fs.ErrNotExist (no
// parent).
func Check(dir string) error {
	_, err := check(dir)
	return err
}

// Checked is a directory found fit to take an output by [CheckState],
// with the state it had then, so that [BeginChecked] need not read its
// files again.
type Checked struct {
	dir  string // cleaned
	snap snapshot
}

// CheckState is [Check], returning the state of the directory checked.
func CheckState(dir string) (*Checked, error) {
	snap, err := check(dir)
	if err != nil {
		return nil, err
	}
	return &Checked{dir: filepath.Clean(dir), snap: snap}, nil
}

// Dir returns the directory checked, cleaned.
func (c *Checked) Dir() string { return c.dir }

// snapshot is the state of a checked directory: relative path → size,
// modification time and mode of every entry.
type snapshot map[string]entryState

type entryState struct {
	size  int64
	mtime int64
	mode  fs.FileMode
}

// check is Check, returning the state of the directory it checked (nil
// for a missing one).
func check(dir string) (snapshot, error) {
	clean := filepath.Clean(dir)
	if fi, err := os.Stat(filepath.Dir(clean)); err != nil {
		return nil, missingParent{dir}
	} else if !fi.IsDir() {
		return nil, refuse("output: %s, where %s would be, is a file, not a directory; choose an -o in a directory", filepath.Dir(clean), dir)
	}
	// Outputs are built beside dir and swapped in: its parent must take
	// new entries. Said now, before a run or batch, not as a failed mkdir
	// of a temporary directory.
	if err := writable(filepath.Dir(clean)); err != nil {
		return nil, refuse("output: cannot write in %s, the directory that holds %s (%v); choose an -o in a directory you can write", filepath.Dir(clean), dir, err)
	}
	if cwd, err := os.Getwd(); err == nil && inside(resolve(clean), resolve(cwd)) {
		return nil, refuse("output: %s is the working directory or holds it; refusing to replace it (choose a new or empty directory)", dir)
	}
	fi, err := os.Lstat(clean)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, refuse("output: %s is a symbolic link; refusing to replace it (give the directory it points to, or a new one)", dir)
	}
	if !fi.IsDir() {
		return nil, refuse("output: %s exists and is not a directory; refusing to replace it", dir)
	}
	entries, err := os.ReadDir(clean)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	if len(entries) == 0 {
		return snapshot{}, nil
	}
	m, err := readMarker(clean)
	if err != nil {
		var names []string
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() {
				n += "/"
			}
			names = append(names, n)
		}
		why := "no " + MarkerFile + " list of the files junkan wrote"
		if !errors.Is(err, fs.ErrNotExist) {
			why = err.Error()
		}
		return nil, refuse("output: %s is not empty and has %s; it holds %s; refusing to replace it, nothing was changed (choose a new or empty directory)",
			dir, why, nameList(names))
	}
	return verify(dir, clean, m)
}

// readMarker reads and checks the marker of dir; a missing marker wraps
// fs.ErrNotExist.
func readMarker(dir string) (*Marker, error) {
	p := filepath.Join(dir, MarkerFile)
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxMarkerBytes {
		return nil, fmt.Errorf("a %s that junkan did not write", MarkerFile)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var m Marker
	if err := json.Unmarshal(data, &m); err != nil || m.Tool != "junkan" || m.Format != markerFormat {
		return nil, fmt.Errorf("a %s that junkan did not write", MarkerFile)
	}
	for _, f := range m.Files {
		if !fs.ValidPath(f.Path) || f.Path == "." || f.Path == MarkerFile {
			return nil, fmt.Errorf("a %s that junkan did not write", MarkerFile)
		}
	}
	return &m, nil
}

// verify checks that dir (opened as clean) holds only the files of m.
func verify(dir, clean string, m *Marker) (snapshot, error) {
	snap := snapshot{}
	listed := make(map[string]File, len(m.Files))
	parents := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = f
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			parents[d] = true
		}
	}
	var unknown, changed []string
	err := filepath.WalkDir(clean, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(clean, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel != "." {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			snap[rel] = entryState{fi.Size(), fi.ModTime().UnixNano(), fi.Mode()}
		}
		switch {
		case rel == "." || rel == MarkerFile:
			return nil
		case d.IsDir():
			if !parents[rel] {
				unknown = append(unknown, rel+"/")
				return fs.SkipDir
			}
			return nil
		}
		f, ok := listed[rel]
		if !ok || !d.Type().IsRegular() {
			unknown = append(unknown, rel)
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Size() != f.Size {
			changed = append(changed, rel)
			return nil
		}
		sum, err := hashFile(p)
		if err != nil {
			return err
		}
		if sum != f.SHA256 {
			changed = append(changed, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("output: checking %s: %w", dir, err)
	}
	switch {
	case len(unknown) > 0:
		return nil, refuse("output: %s holds files junkan did not write: %s; refusing to replace it, nothing was changed (move them away, or choose a new or empty directory)",
			dir, nameList(unknown))
	case len(changed) > 0:
		return nil, refuse("output: %s holds files changed since junkan wrote them: %s; refusing to replace it, nothing was changed (move them away, or choose a new or empty directory)",
			dir, nameList(changed))
	}
	return snap, nil
}

// recheck reports whether dir is still as snap recorded (names, sizes,
// modification times, modes; nothing added or removed), without reading
// the files again. A nil snap stands for a directory that did not exist:
// dir may not exist, or be empty, or be provably junkan's (another run
// may have written it meanwhile).
func recheck(dir string, snap snapshot) error {
	if snap == nil {
		return Check(dir)
	}
	now := snapshot{}
	clean := filepath.Clean(dir)
	err := filepath.WalkDir(clean, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(clean, p)
		if err != nil || rel == "." {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		now[filepath.ToSlash(rel)] = entryState{fi.Size(), fi.ModTime().UnixNano(), fi.Mode()}
		return nil
	})
	if err != nil {
		return fmt.Errorf("output: checking %s: %w", dir, err)
	}
	var diff []string
	for k, v := range now {
		if w, ok := snap[k]; !ok || w != v {
			diff = append(diff, k)
		}
	}
	for k := range snap {
		if _, ok := now[k]; !ok {
			diff = append(diff, k)
		}
	}
	if len(diff) > 0 {
		return refuse("output: %s changed during the run (%s); refusing to replace it, the new output was not written",
			dir, nameList(diff))
	}
	return nil
}

// nameList lists up to 10 names, sorted, then how many more.
func nameList(names []string) string {
	slices.Sort(names)
	const max = 10
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// filesHashed counts the files hashed by verify (for tests).
var filesHashed atomic.Int64

func hashFile(p string) (string, error) {
	filesHashed.Add(1)
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CheckInputs refuses (an error wrapping [ErrNotOutput]) when any of the
// input files lies inside dir, since replacing dir would delete it. roles
// names each path in the message (e.g. "scenario", "municipalities"); it
// may be shorter than paths.
func CheckInputs(dir string, paths, roles []string) error {
	d := resolve(dir)
	for i, p := range paths {
		if p == "" || !inside(d, resolve(p)) {
			continue
		}
		role := "input"
		if i < len(roles) && roles[i] != "" {
			role = roles[i]
		}
		return refuse("output: the %s file %s lies inside the output directory %s, which a run replaces; refusing to run, nothing was changed (choose another output directory)",
			role, p, dir)
	}
	return nil
}

// resolve returns the absolute path of p with symbolic links resolved as
// far as the path exists.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	// Resolve the longest existing parent.
	dir, base := filepath.Split(abs)
	if dir == abs || dir == "" {
		return abs
	}
	return filepath.Join(resolve(filepath.Clean(dir)), base)
}

// inside reports whether p is dir or lies under it (both resolved).
func inside(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}
