package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
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
	f := &File{Path: name, Dir: dir, pos: map[string]*yaml.Node{}, keyPos: map[string]*yaml.Node{}}
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
	if doc.Kind != yaml.MappingNode {
		return nil, ErrorList{{File: name, Line: doc.Line, Column: doc.Column, Err: errors.New("a scenario must be a mapping of keys (name, base_year, …)")}}
	}
	f.index("", doc)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f.Scenario); err != nil && err != io.EOF {
		list = append(list, f.yamlErr(err)...)
	}
	list = append(list, f.checkFloats(doc, "")...)
	if len(list) == 0 {
		list = append(list, f.validate()...)
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

// index records the node of every field path.
func (f *File) index(path string, n *yaml.Node) {
	f.pos[path] = n
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			p := k
			if path != "" {
				p = path + "." + k
			}
			if _, dup := f.keyPos[p]; !dup {
				f.keyPos[p] = n.Content[i]
				f.index(p, n.Content[i+1])
			}
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

var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

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
			e.Path, e.Column = f.pathAtLine(e.Line)
		}
		m = strings.ReplaceAll(m, "scenarios.", "")
		e.Err = errors.New(m)
		out = append(out, e)
	}
	return out
}

// pathAtLine returns the deepest field path whose key starts on line, and
// its column.
func (f *File) pathAtLine(line int) (string, int) {
	best, col := "", 0
	for p, k := range f.keyPos {
		if k.Line == line && (best == "" || len(p) > len(best) || (len(p) == len(best) && p < best)) {
			best, col = p, k.Column
		}
	}
	if best == "" {
		for p, n := range f.pos {
			if n.Line == line && p != "" && (best == "" || len(p) > len(best) || (len(p) == len(best) && p < best)) {
				best, col = p, n.Column
			}
		}
	}
	return best, col
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
				p, _ := f.pathAtLine(n.Line)
				out = append(out, &Error{File: f.Path, Line: n.Line, Column: n.Column, Path: p,
					Err: fmt.Errorf("%s is not allowed: numbers must be finite", n.Value)})
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
