package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/circular-partners/junkan/internal/limit"
)

// File is a parsed scenario with the positions of its fields.
type File struct {
	Path      string // as given to Load
	Dir       string // directory of the file, for relative paths
	Scenario  Scenario
	pos       map[string]*yaml.Node // field path → value node
	keyPos    map[string]*yaml.Node // field path → key node
	dups      []keyAt               // keys repeated in their mapping (not indexed further)
	nodePath  map[*yaml.Node]string // value node → first field path
	budget    int                   // node visits left while indexing (alias bombs)
	badPaths  []string              // paths with decoding errors
	badSet    map[string]bool       // badPaths as a set, built on first use
	badAbove  map[string]bool       // parents of badPaths
	badVisits int                   // map look-ups of isBad (a linear-time check in tests)
	lines     map[int]*lineEntries  // line → keys and values on it, built on first use
	src       []byte                // the file's bytes
	lookups   int                   // entries examined by pathAtLine (a linear-time check in tests)
	// Progress, if not nil, receives progress lines of long steps of
	// Build (consolidation), e.g. os.Stderr.
	Progress io.Writer
	// uncertain are the numbers given as distributions (uncertain.go).
	uncertain []Uncertain
}

// keyAt is a key node and its field path.
type keyAt struct {
	path string
	node *yaml.Node
}

// budgetFor bounds the node visits of index, checkNode and decode for
// a document of n nodes, so that aliases of aliases ("billion laughs")
// cannot blow up; yaml's decoder rejects such documents itself.
func budgetFor(n int) int { return 16*n + 4096 }

// countNodes counts the nodes of n without following aliases.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, x := range n.Content {
		c += countNodes(x)
	}
	return c
}

// Load reads, decodes and validates the scenario file at path. Errors are
// an ErrorList (each wrapping ErrInvalid) for content problems, or the
// os error for a file that cannot be read.
func Load(path string) (*File, error) {
	data, err := limit.ReadFile(path, limit.Scenario)
	if errors.Is(err, limit.ErrTooLarge) {
		return nil, fmt.Errorf("scenarios: %s: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	dir := "."
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		dir = path[:i]
		if dir == "" {
			dir = "/"
		}
	}
	return Parse(path, dir, data)
}

// Parse decodes and validates scenario data; name is used in messages and
// dir resolves relative paths.
func Parse(name, dir string, data []byte) (*File, error) {
	f, list := parse(name, dir, data)
	if len(list) > 0 {
		return nil, list
	}
	return f, nil
}

// parse is Parse returning the File (with its counters) even when the
// list of errors is not empty.
func parse(name, dir string, data []byte) (*File, ErrorList) {
	f := &File{Path: name, Dir: dir, pos: map[string]*yaml.Node{}, keyPos: map[string]*yaml.Node{},
		nodePath: map[*yaml.Node]string{}, src: data}
	if list := prescan(name, data); len(list) > 0 {
		return f, list
	}
	var list ErrorList
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		list = append(list, f.yamlErr(err, nil)...)
		return f, list
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return f, ErrorList{{File: name, Line: 1, Err: errors.New("empty scenario file")}}
	}
	doc := root.Content[0]
	budget := budgetFor(countNodes(doc))
	f.budget = budget
	if doc.Kind != yaml.MappingNode {
		return f, ErrorList{{File: name, Line: doc.Line, Column: doc.Column, Err: errors.New("a scenario must be a mapping of keys (name, base_year, …)")}}
	}
	f.index("", doc)
	// Positions are incomplete if the budget ran out: validation would
	// see fields as missing.
	fatal := f.budget < 0
	if fatal {
		list = append(list, &Error{File: name, Line: doc.Line, Column: doc.Column,
			Err: fmt.Errorf("aliases expand to more than %d nodes", budget)})
	}
	// Numbers given as distributions are read as their central values.
	list = append(list, f.extractUncertain(doc)...)
	// Keys and values checked against the format first, in plain words;
	// the decoder's own messages only where that check found nothing.
	f.budget = budget
	checked := f.checkNode(doc, reflect.TypeOf(f.Scenario), "")
	checkedLines := map[int]bool{}
	for _, e := range checked {
		checkedLines[e.Line] = true
	}
	list = append(list, checked...)
	f.budget = budget
	list = append(list, f.decode(doc, reflect.ValueOf(&f.Scenario).Elem(), "")...)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first, extra yaml.Node
	if err := dec.Decode(&first); err == nil {
		if err := dec.Decode(&extra); err == nil {
			list = append(list, &Error{File: name, Line: extra.Line, Column: extra.Column,
				Err: errors.New("a second YAML document (after ---): a scenario file holds one document")})
		}
	}
	list = append(list, f.checkFloats(doc, "")...)
	// Validate even after decoding errors, so that all errors of the file
	// are reported at once; drop what the decoding errors already cover.
	for _, e := range list {
		f.badPaths = append(f.badPaths, e.Path)
	}
	// Values of the wrong kind and the second value of a repeated key
	// were not decoded; the fields keep their zero values, and keep their
	// place (list elements after them keep their index), so validation
	// reports nothing wrong about them (badPaths).
	skip := fatal
	if !skip {
		for _, e := range append(append(f.validate(), f.validateBatch()...), f.checkUncertainNames()...) {
			if !f.isBad(e.Path) {
				list = append(list, e)
			}
		}
	}
	if len(list) > 0 {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Line != list[j].Line {
				return list[i].Line < list[j].Line
			}
			return list[i].Column < list[j].Column
		})
		return f, list
	}
	return f, nil
}

// index records the node of every field path. Merge keys (<<) index their
// mappings at the path of the mapping that holds them.
func (f *File) index(path string, n *yaml.Node) {
	if f.budget--; f.budget < 0 {
		return
	}
	if _, ok := f.pos[path]; !ok {
		f.pos[path] = n
	}
	if _, ok := f.nodePath[n]; !ok {
		f.nodePath[n] = path
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.ShortTag() == "!!merge" {
				f.indexMerge(path, v)
				continue
			}
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if _, dup := f.keyPos[p]; dup {
				f.dups = append(f.dups, keyAt{p, k})
				continue
			}
			f.keyPos[p] = k
			f.index(p, v)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			f.index(fmt.Sprintf("%s[%d]", path, i), c)
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			f.index(path, n.Alias)
		}
	}
}

// indexMerge indexes the value of a merge key: a mapping, an alias of one,
// or a sequence of them.
func (f *File) indexMerge(path string, v *yaml.Node) {
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		f.index(path, v)
	case yaml.SequenceNode:
		for _, c := range v.Content {
			f.indexMerge(path, c)
		}
	}
}

// isBad reports whether a decoding error was reported at path, at one of
// its parents or below it. It takes time in the depth of path, not in the
// number of errors.
func (f *File) isBad(path string) bool {
	if path == "" {
		return false
	}
	if f.badSet == nil {
		f.badSet = map[string]bool{}
		f.badAbove = map[string]bool{}
		for _, b := range f.badPaths {
			if b == "" {
				continue
			}
			f.badSet[b] = true
			for p := parent(b); p != ""; p = parent(p) {
				f.badVisits++
				if f.badAbove[p] {
					break
				}
				f.badAbove[p] = true
			}
		}
	}
	if f.badAbove[path] {
		return true
	}
	for p := path; p != ""; p = parent(p) {
		f.badVisits++
		if f.badSet[p] {
			return true
		}
	}
	return false
}

// within reports whether path p is below parent.
func within(p, parent string) bool {
	return strings.HasPrefix(p, parent) && len(p) > len(parent) && (p[len(parent)] == '.' || p[len(parent)] == '[')
}

var (
	anchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
	lineRE   = regexp.MustCompile(`^line (\d+): (.*)$`)
	// keyRE finds the key a decoding message is about.
	keyRE = regexp.MustCompile(`^(?:field (\S+) not found in type|mapping key "((?:[^"\\]|\\.)*)" already defined)`)
)

// yamlErr converts a yaml error into positioned errors in plain words,
// leaving out those on the lines in skip (already reported).
func (f *File) yamlErr(err error, skip map[int]bool) ErrorList {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var out ErrorList
	for _, m := range msgs {
		e := &Error{File: f.Path}
		if sm := lineRE.FindStringSubmatch(m); sm != nil {
			e.Line, _ = strconv.Atoi(sm[1])
			m = sm[2]
			if skip[e.Line] {
				continue
			}
			key := ""
			if km := keyRE.FindStringSubmatch(m); km != nil {
				key = km[1] + km[2]
				if km[2] != "" {
					if u, err := strconv.Unquote(`"` + km[2] + `"`); err == nil {
						key = u
					}
				}
			}
			e.Path, e.Column = f.pathAtLine(e.Line, key)
			if e.Column == 0 {
				e.Column = f.firstColumn(e.Line)
			}
		}
		if sm := anchorRE.FindStringSubmatch(m); sm != nil && e.Line == 0 {
			e.Line, e.Column = f.find("*" + sm[1])
			m = fmt.Sprintf("an alias *%s with no anchor &%s before it", sm[1], sm[1])
		}
		e.Err = errors.New(plainYAML(m))
		out = append(out, e)
	}
	return out
}

// pathAtLine returns the field path whose key starts on line, and its
// column: the one whose last element is key if key is not empty, else the
// deepest. It looks the line up in an index built once, so that reporting
// n errors takes time linear in n and the size of the file.
func (f *File) pathAtLine(line int, key string) (string, int) {
	if f.lines == nil {
		f.buildLineIndex()
	}
	best, col := "", 0
	better := func(p string, c int) {
		f.lookups++
		if best == "" || len(p) > len(best) || (len(p) == len(best) && p < best) {
			best, col = p, c
		}
	}
	at := f.lines[line]
	if at == nil {
		return "", 0
	}
	if key != "" {
		for _, k := range at.keys {
			if lastElem(k.path) == key {
				better(k.path, k.node.Column)
			}
		}
		if best != "" {
			return best, col
		}
	}
	for _, k := range at.keys {
		better(k.path, k.node.Column)
	}
	if best == "" {
		for _, k := range at.values {
			better(k.path, k.node.Column)
		}
	}
	return best, col
}

// lineEntries are the keys (and repeated keys) and the values that start
// on one line of the file.
type lineEntries struct{ keys, values []keyAt }

// buildLineIndex indexes keyPos, dups and pos by line.
func (f *File) buildLineIndex() {
	f.lines = map[int]*lineEntries{}
	get := func(l int) *lineEntries {
		e := f.lines[l]
		if e == nil {
			e = &lineEntries{}
			f.lines[l] = e
		}
		return e
	}
	for _, d := range f.dups {
		get(d.node.Line).keys = append(get(d.node.Line).keys, d)
	}
	for p, k := range f.keyPos {
		get(k.Line).keys = append(get(k.Line).keys, keyAt{p, k})
	}
	for p, n := range f.pos {
		if p != "" {
			get(n.Line).values = append(get(n.Line).values, keyAt{p, n})
		}
	}
}

// find returns the line and column of the first occurrence of s in the
// file (0, 0 if absent).
func (f *File) find(s string) (int, int) {
	i := bytes.Index(f.src, []byte(s))
	if i < 0 {
		return 0, 0
	}
	before := f.src[:i]
	line := 1 + bytes.Count(before, []byte("\n"))
	return line, 1 + len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:])))
}

// firstColumn returns the column of the first character of line that is
// not a space, or 1.
func (f *File) firstColumn(line int) int {
	if f.lines == nil {
		f.buildLineIndex()
	}
	c := 0
	if e := f.lines[line]; e != nil {
		for _, k := range append(e.keys, e.values...) {
			if c == 0 || k.node.Column < c {
				c = k.node.Column
			}
		}
	}
	if c == 0 {
		c = 1
		ls := bytes.Split(f.src, []byte("\n"))
		if line >= 1 && line <= len(ls) {
			if t := bytes.TrimLeft(ls[line-1], " "); len(bytes.TrimSpace(t)) > 0 {
				c = len(ls[line-1]) - len(t) + 1
			}
		}
	}
	return c
}

// lastElem returns the last key of a field path ("b" for "a[2].b").
func lastElem(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// checkFloats rejects .nan and .inf anywhere: no number of a scenario may
// be NaN or infinite.
func (f *File) checkFloats(n *yaml.Node, path string) ErrorList {
	var out ErrorList
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
			v := strings.ToLower(strings.TrimLeft(n.Value, "+-"))
			if v == ".nan" || v == ".inf" {
				p, ok := f.nodePath[n]
				if !ok {
					p, _ = f.pathAtLine(n.Line, "")
				}
				out = append(out, &Error{File: f.Path, Line: n.Line, Column: n.Column, Path: p,
					Err: fmt.Errorf("%s is not allowed: numbers must be finite", n.Value)})
			}
		}
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				if v := n.Content[i]; v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
					p, ok := f.nodePath[v]
					if !ok {
						p, _ = f.pathAtLine(v.Line, "")
					}
					out = append(out, &Error{File: f.Path, Line: v.Line, Column: v.Column, Path: p,
						Err: fmt.Errorf("no value (null): give a value or leave the key %q out", n.Content[i-1].Value)})
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// at returns an Error positioned at the field path (or the nearest parent
// that exists in the file).
func (f *File) at(path string, format string, a ...any) *Error {
	e := &Error{File: f.Path, Path: path, Err: fmt.Errorf(format, a...)}
	for p := path; ; {
		if n, ok := f.pos[p]; ok && p != "" {
			e.Line, e.Column = n.Line, n.Column
			break
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			if n, ok := f.pos[""]; ok {
				e.Line, e.Column = n.Line, n.Column
			}
			break
		}
		p = p[:i]
	}
	return e
}

// fieldByTag returns the type of the field of struct t with yaml key name.
func fieldByTag(t reflect.Type, name string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if tag == name {
			return sf.Type, true
		}
	}
	return nil, false
}

// parent returns the field path of the mapping or sequence holding p.
func parent(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}
