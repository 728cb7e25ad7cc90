package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is a parsed scenario with the positions of its fields.
type File struct {
	Path     string // as given to Load
	Dir      string // directory of the file, for relative paths
	Scenario Scenario
	pos      map[string]*yaml.Node // field path → value node
	keyPos   map[string]*yaml.Node // field path → key node
	dups     []keyAt               // keys repeated in their mapping (not indexed further)
	nodePath map[*yaml.Node]string // value node → first field path
	budget   int                   // node visits left while indexing (alias bombs)
	badPaths []string              // paths with decoding errors
}

// keyAt is a key node and its field path.
type keyAt struct {
	path string
	node *yaml.Node
}

// budgetFor bounds the node visits of index, checkInts and shortened for
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
	data, err := os.ReadFile(path)
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
	f := &File{Path: name, Dir: dir, pos: map[string]*yaml.Node{}, keyPos: map[string]*yaml.Node{},
		nodePath: map[*yaml.Node]string{}}
	var list ErrorList
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		list = append(list, f.yamlErr(err)...)
		return nil, list
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, ErrorList{{File: name, Line: 1, Err: errors.New("empty scenario file")}}
	}
	doc := root.Content[0]
	budget := budgetFor(countNodes(doc))
	f.budget = budget
	if doc.Kind != yaml.MappingNode {
		return nil, ErrorList{{File: name, Line: doc.Line, Column: doc.Column, Err: errors.New("a scenario must be a mapping of keys (name, base_year, …)")}}
	}
	f.index("", doc)
	// Positions are incomplete if the budget ran out: validation would
	// see fields as missing.
	fatal := f.budget < 0
	if fatal {
		list = append(list, &Error{File: name, Line: doc.Line, Column: doc.Column,
			Err: fmt.Errorf("aliases expand to more than %d nodes", budget)})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f.Scenario); err != nil && err != io.EOF {
		list = append(list, f.yamlErr(err)...)
		var te *yaml.TypeError
		fatal = fatal || !errors.As(err, &te) // decoding stopped: nothing to validate
	}
	if len(root.Content) > 0 {
		var extra yaml.Node
		if err := dec.Decode(&extra); err == nil {
			list = append(list, &Error{File: name, Line: extra.Line, Column: extra.Column,
				Err: errors.New("a second YAML document (after ---): a scenario file holds one document")})
		}
	}
	list = append(list, f.checkFloats(doc, "")...)
	f.budget = budget
	list = append(list, f.checkInts(doc, reflect.TypeOf(f.Scenario), "")...)
	// Validate even after decoding errors, so that all errors of the file
	// are reported at once; drop what the decoding errors already cover.
	for _, e := range list {
		f.badPaths = append(f.badPaths, e.Path)
	}
	// yaml decodes nothing of a mapping with a repeated key, and drops the
	// sequence elements it cannot decode (shifting the indices of the
	// rest): validating what is below them would report errors that are
	// not in the file, or at the wrong place.
	skip := fatal
	for _, d := range f.dups {
		p := parent(d.path)
		skip = skip || p == ""
		f.badPaths = append(f.badPaths, p)
	}
	f.budget = budget
	for _, p := range f.shortened(doc, reflect.ValueOf(&f.Scenario).Elem(), "") {
		skip = skip || p == ""
		f.badPaths = append(f.badPaths, p)
	}
	if !skip {
		for _, e := range f.validate() {
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
		return nil, list
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
// its parents or below it.
func (f *File) isBad(path string) bool {
	for _, b := range f.badPaths {
		if b == "" || path == "" {
			continue
		}
		if b == path || within(path, b) || within(b, path) {
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
	lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)
	// keyRE finds the key a decoding message is about.
	keyRE = regexp.MustCompile(`^(?:field (\S+) not found in type|mapping key "((?:[^"\\]|\\.)*)" already defined)`)
)

// yamlErr converts a yaml error into positioned errors.
func (f *File) yamlErr(err error) ErrorList {
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
		}
		m = strings.ReplaceAll(m, "scenarios.", "")
		e.Err = errors.New(m)
		out = append(out, e)
	}
	return out
}

// pathAtLine returns the field path whose key starts on line, and its
// column: the one whose last element is key if key is not empty, else the
// deepest.
func (f *File) pathAtLine(line int, key string) (string, int) {
	best, col := "", 0
	better := func(p string, c int) {
		if best == "" || len(p) > len(best) || (len(p) == len(best) && p < best) {
			best, col = p, c
		}
	}
	if key != "" {
		for _, d := range f.dups {
			if d.node.Line == line && lastElem(d.path) == key {
				better(d.path, d.node.Column)
			}
		}
		for p, k := range f.keyPos {
			if k.Line == line && lastElem(p) == key {
				better(p, k.Column)
			}
		}
		if best != "" {
			return best, col
		}
	}
	for p, k := range f.keyPos {
		if k.Line == line {
			better(p, k.Column)
		}
	}
	if best == "" {
		for p, n := range f.pos {
			if n.Line == line && p != "" {
				better(p, n.Column)
			}
		}
	}
	return best, col
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

// checkInts rejects a number with a fraction in an integer field: yaml
// decodes 2026.5 into an int as 2026 without a word. n is decoded into a
// value of type t at path.
func (f *File) checkInts(n *yaml.Node, t reflect.Type, path string) ErrorList {
	if f.budget--; f.budget < 0 {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		return f.checkInts(n.Alias, t, path)
	}
	var out ErrorList
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!float" {
			return nil
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || !finite(v) || v == math.Trunc(v) {
			return nil // not a number yaml reads, NaN/Inf (checkFloats) or a whole number
		}
		return ErrorList{{File: f.Path, Line: n.Line, Column: n.Column, Path: path,
			Err: fmt.Errorf("%s is not an integer", n.Value)}}
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.ShortTag() == "!!merge" {
				out = append(out, f.checkInts(v, t, path)...)
				continue
			}
			if ft, ok := fieldByTag(t, k.Value); ok {
				out = append(out, f.checkInts(v, ft, join(k.Value))...)
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, f.checkInts(n.Content[i+1], t.Elem(), join(n.Content[i].Value))...)
		}
	case reflect.Slice:
		switch n.Kind {
		case yaml.SequenceNode:
			for i, c := range n.Content {
				out = append(out, f.checkInts(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
			}
		case yaml.MappingNode:
			// a merge into a struct: handled there
		}
	}
	return out
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

// shortened returns the paths of the sequences below n that decoded into
// fewer elements than the file has, v being the decoded value of n.
func (f *File) shortened(n *yaml.Node, v reflect.Value, path string) []string {
	if f.budget--; f.budget < 0 {
		return nil
	}
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		n = n.Alias
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	var out []string
	switch {
	case v.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, c := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.ShortTag() == "!!merge" {
				if c.Kind == yaml.SequenceNode {
					for _, m := range c.Content {
						out = append(out, f.shortened(m, v, path)...)
					}
				} else {
					out = append(out, f.shortened(c, v, path)...)
				}
				continue
			}
			for j := 0; j < v.NumField(); j++ {
				if tag, _, _ := strings.Cut(v.Type().Field(j).Tag.Get("yaml"), ","); tag == k.Value {
					p := k.Value
					if path != "" {
						p = path + "." + k.Value
					}
					out = append(out, f.shortened(c, v.Field(j), p)...)
					break
				}
			}
		}
	case v.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		if v.Len() != len(n.Content) {
			return []string{path}
		}
		for i, c := range n.Content {
			out = append(out, f.shortened(c, v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}
