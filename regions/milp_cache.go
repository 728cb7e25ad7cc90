package regions

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The cache of proven solver results: CBC is deterministic, so a model it
// solved to optimality (or proved infeasible) gets the same answer every
// time from the same solver binary; the answer is kept in a file named by
// the SHA-256 of everything CBC reads (the LP model, the warm start, the
// options but the time limit, and the solver binary's path, size and
// modification time). Plans stopped at a time limit depend on the machine
// and are not kept. The cache is best effort: a file that cannot be read
// or written is ignored, and so is one whose SHA-256 (on its second line,
// of all that follows) differs: a damaged plan would otherwise be taken
// as the solver's.

// cacheVersion changes whenever what is cached or how it is read changes.
const cacheVersion = "junkan cbc cache 2"

// maxCacheEntries bounds the files in the cache directory; past it, the
// least recently used are removed down to three quarters.
const maxCacheEntries = 4096

// DefaultCacheDir returns the directory for the solver's proven results:
// $JUNKAN_CACHE_DIR if set ("off" = no cache, ""), else junkan/cbc in the
// user's cache directory (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on
// Linux), "" if there is none.
func DefaultCacheDir() string {
	if d, ok := os.LookupEnv("JUNKAN_CACHE_DIR"); ok && d != "" {
		if d == "off" {
			return ""
		}
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "junkan", "cbc")
}

// cacheKey is the hex SHA-256 naming the result of solving model (with the
// warm start start, nil = none, and the options opts) with solver; "" if
// the solver binary cannot be identified.
func cacheKey(solver string, opts []string, model, start []byte) string {
	path, err := filepath.Abs(solver)
	if err != nil {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	h := sha256.New()
	field := func(b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	field([]byte(cacheVersion))
	field([]byte(path))
	field([]byte(strconv.FormatInt(fi.Size(), 10) + " " + strconv.FormatInt(fi.ModTime().UnixNano(), 10)))
	for _, o := range opts {
		field([]byte(o))
	}
	field(model)
	if start != nil {
		field(start)
	} else {
		field([]byte("no start"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheLog keeps the lines of CBC's log that parseCBCBound and the
// optimality test read (the last node-log line only).
func cacheLog(log string) string {
	var b strings.Builder
	lastNode := ""
	for _, l := range strings.Split(log, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "Cbc0010I"):
			lastNode = t
		case strings.HasPrefix(t, "Objective value:"), strings.HasPrefix(t, "Lower bound:"),
			strings.HasPrefix(t, "Continuous objective value is"):
			b.WriteString(t + "\n")
		}
	}
	if lastNode != "" {
		b.WriteString(lastNode + "\n")
	}
	return b.String()
}

// readCache returns the solution file and log kept under key in dir.
func readCache(dir, key string) (text []byte, log string, ok bool) {
	if dir == "" || key == "" {
		return nil, "", false
	}
	path := filepath.Join(dir, key+".cbc")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", false
	}
	part := func(name string) ([]byte, bool) {
		head, rest, found := bytes.Cut(data, []byte("\n"))
		f := strings.Fields(string(head))
		if !found || len(f) != 2 || f[0] != name {
			return nil, false
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 || n > len(rest) {
			return nil, false
		}
		data = rest[n:]
		return rest[:n], true
	}
	head, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || string(head) != cacheVersion {
		return nil, "", false
	}
	sum, rest, found := bytes.Cut(rest, []byte("\n"))
	h := sha256.Sum256(rest)
	if !found || string(sum) != "sha256 "+hex.EncodeToString(h[:]) {
		return nil, "", false
	}
	data = rest
	l, ok1 := part("log")
	t, ok2 := part("sol")
	if !ok1 || !ok2 || len(data) != 0 {
		return nil, "", false
	}
	now := time.Now()
	os.Chtimes(path, now, now) // recently used
	return t, string(l), true
}

// writeCache keeps the solution file text and CBC's log under key in dir,
// atomically (a temporary file renamed).
func writeCache(dir, key string, text []byte, log string) {
	if dir == "" || key == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	l := cacheLog(log)
	body := fmt.Appendf(nil, "log %d\n%ssol %d\n%s", len(l), l, len(text), text)
	h := sha256.Sum256(body)
	_, err = fmt.Fprintf(f, "%s\nsha256 %s\n%s", cacheVersion, hex.EncodeToString(h[:]), body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, key+".cbc"))
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	pruneCache(dir)
}

// pruneCache removes the least recently used results past
// maxCacheEntries, and temporary files older than an hour (left by a
// killed process).
func pruneCache(dir string) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		mod  time.Time
	}
	var kept []entry
	for _, e := range es {
		fi, err := e.Info()
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(e.Name(), ".tmp-"):
			if time.Since(fi.ModTime()) > time.Hour {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		case strings.HasSuffix(e.Name(), ".cbc"):
			kept = append(kept, entry{e.Name(), fi.ModTime()})
		}
	}
	if len(kept) <= maxCacheEntries {
		return
	}
	slices.SortFunc(kept, func(a, b entry) int { return cmp.Compare(a.mod.UnixNano(), b.mod.UnixNano()) })
	for _, e := range kept[:len(kept)-maxCacheEntries*3/4] {
		os.Remove(filepath.Join(dir, e.name))
	}
}
