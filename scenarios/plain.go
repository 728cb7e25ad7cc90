package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/width"

	"github.com/circular-partners/junkan/model"
)

// This file turns what users of a scenario file get wrong into plain
// messages: characters YAML cannot read (tabs and full-width spaces in the
// indentation, full-width colons, a byte-order mark), keys that are not in
// the format (with the nearest valid key), and values of the wrong kind,
// with what to type instead. No message names a Go type.

// prescan finds, before YAML parsing, the characters whose parser message
// would say nothing useful: a byte-order mark anywhere, a tab or a
// full-width space (U+3000) in the indentation, a full-width colon after a
// key. Lines inside block scalars (| and >) are text and are not checked.
func prescan(name string, data []byte) ErrorList {
	var out ErrorList
	add := func(line, col int, format string, a ...any) {
		out = append(out, &Error{File: name, Line: line, Column: col, Err: fmt.Errorf(format, a...)})
	}
	blockIndent := -1 // indentation of the key that opened a block scalar; -1: none
	for i, raw := range strings.Split(string(data), "\n") {
		line := i + 1
		s := strings.TrimSuffix(raw, "\r")
		if !utf8.ValidString(s) {
			col := 1 + utf8.RuneCountInString(s[:firstInvalid(s)])
			add(line, col, "bytes that are not UTF-8 text: save the scenario as UTF-8 (not Shift_JIS)")
			continue
		}
		for j, r := range []rune(s) {
			if r == '\uFEFF' {
				where := "an invisible byte-order mark (BOM, U+FEFF)"
				if line == 1 && j == 0 {
					where = "a byte-order mark (BOM, U+FEFF) at the start of the file"
				}
				add(line, j+1, "%s: save the file as UTF-8 without BOM (BOM なしの UTF-8 で保存してください)", where)
			}
		}
		s = strings.ReplaceAll(s, "\uFEFF", "")
		// Indentation: spaces, tabs and full-width spaces before the first
		// other character.
		ind := 0 // in runes
		var tabAt, wideAt int
		for _, r := range s {
			if r != ' ' && r != '\t' && r != '\u3000' {
				break
			}
			ind++
			if r == '\t' && tabAt == 0 {
				tabAt = ind
			}
			if r == '\u3000' && wideAt == 0 {
				wideAt = ind
			}
		}
		rest := strings.TrimLeft(s, " \t\u3000")
		if blockIndent >= 0 {
			spaces := len(s) - len(strings.TrimLeft(s, " "))
			if rest == "" || spaces > blockIndent {
				continue // text of the block scalar
			}
			if tabAt == 0 && wideAt == 0 || ind == spaces {
				blockIndent = -1
			}
		}
		if rest == "" || (strings.HasPrefix(rest, "#") && wideAt == 0) {
			continue
		}
		if wideAt > 0 {
			add(line, wideAt, "a full-width space (U+3000, 全角スペース) in the indentation: indent with half-width spaces only")
		} else if tabAt > 0 {
			add(line, tabAt, "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces")
		}
		if c, key := fullWidthColon(rest); c > 0 {
			add(line, ind+c, "a full-width colon (：) after %q: write a half-width colon and a space (%s: …)", key, key)
		}
		if blockScalarRE.MatchString(rest) {
			blockIndent = ind
			if m := strings.TrimLeft(rest, "- "); len(m) < len(rest) {
				blockIndent = ind + len(rest) - len(m) // keys after "- " sit further right
			}
		}
	}
	return out
}

// firstInvalid returns the byte offset of the first invalid UTF-8 sequence
// of s.
func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(s)
}

var (
	// blockScalarRE matches a line whose value opens a block scalar.
	blockScalarRE = regexp.MustCompile(`:\s+[|>][-+0-9]*\s*(#.*)?$`)
	// wideColonRE matches a key (after list dashes) followed by a
	// full-width colon, before any half-width one.
	wideColonRE = regexp.MustCompile(`^((?:-\s+)*)([A-Za-z0-9_.\-]+)\s*：`)
)

// fullWidthColon returns the 1-based rune column in rest of a full-width
// colon that ends a key, and the key; 0 when there is none.
func fullWidthColon(rest string) (int, string) {
	m := wideColonRE.FindStringSubmatchIndex(rest)
	if m == nil {
		return 0, ""
	}
	end := m[1] - len("：")
	return utf8.RuneCountInString(rest[:end]) + 1, rest[m[4]:m[5]]
}

// checkNode checks the node n against the Go type t that it decodes into,
// at field path path: unknown keys (with the nearest valid key), values of
// the wrong kind, integers written ambiguously (010, 1:30) or too large
// for their field, numbers with a fraction in integer fields, booleans
// other than true/false, full-width digits and thousands separators in
// numbers. Types with their own YAML decoding are left to it.
func (f *File) checkNode(n *yaml.Node, t reflect.Type, path string) ErrorList {
	if f.budget--; f.budget < 0 {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		n = n.Alias
	}
	if customDecoding(t) {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // checkFloats reports nulls in mappings
	}
	bad := func(format string, a ...any) ErrorList {
		return ErrorList{{File: f.Path, Line: n.Line, Column: n.Column, Path: path, Err: fmt.Errorf(format, a...)}}
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	var out ErrorList
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return bad("expected keys (key: value) %s, found %s%s", under(path), describe(n), colonHint(n))
		}
		keys := yamlKeys(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.ShortTag() == "!!merge" {
				out = append(out, f.checkMerge(v, t, path)...)
				continue
			}
			if k.Kind != yaml.ScalarNode {
				out = append(out, &Error{File: f.Path, Line: k.Line, Column: k.Column, Path: path,
					Err: fmt.Errorf("a key must be a plain word, found %s", describe(k))})
				continue
			}
			ft, ok := fieldByTag(t, k.Value)
			if !ok {
				out = append(out, &Error{File: f.Path, Line: k.Line, Column: k.Column, Path: join(k.Value),
					Err: errors.New(unknownKey(k.Value, path, keys))})
				continue
			}
			out = append(out, f.checkNode(v, ft, join(k.Value))...)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return bad("expected keys (key: value) %s, found %s%s", under(path), describe(n), colonHint(n))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				out = append(out, &Error{File: f.Path, Line: k.Line, Column: k.Column, Path: path,
					Err: fmt.Errorf("a key must be a plain word, found %s", describe(k))})
				continue
			}
			out = append(out, f.checkNode(n.Content[i+1], t.Elem(), join(k.Value))...)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return bad("expected a list (items on lines starting with \"- \", or [a, b]), found %s", describe(n))
		}
		for i, c := range n.Content {
			out = append(out, f.checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return bad("expected a single value, found %s", describe(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode {
			return bad("expected true or false, found %s", describe(n))
		}
		if n.ShortTag() != "!!bool" {
			v := strings.ToLower(n.Value)
			switch {
			case v == "true" || v == "false":
				return bad("expected true or false without quotes, found %s", describe(n))
			case v == "yes" || v == "no" || v == "on" || v == "off" || v == "y" || v == "n":
				return bad("%s is not a boolean in YAML 1.2: write true or false", describe(n))
			}
			return bad("expected true or false, found %s", describe(n))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return f.checkNumber(n, t, path, true)
	case reflect.Float32, reflect.Float64:
		return f.checkNumber(n, t, path, false)
	}
	return out
}

// checkMerge checks the value of a merge key (<<): a mapping, an alias of
// one, or a list of them, merged into a value of type t.
func (f *File) checkMerge(v *yaml.Node, t reflect.Type, path string) ErrorList {
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind == yaml.SequenceNode {
		var out ErrorList
		for _, c := range v.Content {
			out = append(out, f.checkMerge(c, t, path)...)
		}
		return out
	}
	return f.checkNode(v, t, path)
}

var (
	// leadingZeroRE: YAML 1.1 reads these as octal, YAML 1.2 as decimal.
	leadingZeroRE = regexp.MustCompile(`^[-+]?0[0-9_]+$`)
	// sexagesimalRE: YAML 1.1 reads 1:30 as 90.
	sexagesimalRE = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`)
	// thousandsRE: 1,234 or 1,234.5.
	thousandsRE = regexp.MustCompile(`^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)
)

// checkNumber checks a scalar decoded into a number field of type t
// (integer when whole is true).
func (f *File) checkNumber(n *yaml.Node, t reflect.Type, path string, whole bool) ErrorList {
	bad := func(format string, a ...any) ErrorList {
		return ErrorList{{File: f.Path, Line: n.Line, Column: n.Column, Path: path, Err: fmt.Errorf(format, a...)}}
	}
	want := "a number"
	if whole {
		want = "a whole number"
	}
	if n.Kind != yaml.ScalarNode {
		return bad("expected %s, found %s", want, describe(n))
	}
	v := n.Value
	tag := n.ShortTag()
	if tag == "!!int" && leadingZeroRE.MatchString(v) {
		d := strings.TrimLeft(strings.TrimLeft(v, "+-"), "0_")
		if d == "" {
			d = "0"
		}
		return bad("%s starts with 0: YAML 1.1 reads it as octal, YAML 1.2 as decimal; write %s%s without the leading zero",
			v, sign(v), d)
	}
	if tag == "!!str" {
		narrow := strings.TrimSpace(strings.ReplaceAll(width.Narrow.String(v), "\u3000", " "))
		switch {
		case narrow != v && isNumber(narrow):
			if strings.TrimSpace(v) != strings.TrimSpace(width.Narrow.String(v)) || strings.ContainsRune(v, '\u3000') {
				return bad("%q is written with full-width (全角) characters: write %s in half-width digits", v, narrow)
			}
			return bad("%q has spaces around the number inside quotes: write %s", v, narrow)
		case sexagesimalRE.MatchString(v):
			return bad("%q is not a number here (YAML 1.1 would read it as base-60, 1:30 = 90): write the number itself", v)
		case thousandsRE.MatchString(v):
			return bad("%q has thousands separators: write %s without commas", v, strings.ReplaceAll(v, ",", ""))
		case isNumber(v):
			return bad("%q is in quotes: write the number without quotes", v)
		case tooLarge(v):
			return bad("%s is too large for a number (at most about 1.8e308)", v)
		}
		return bad("expected %s, found %s", want, describe(n))
	}
	if tag != "!!int" && tag != "!!float" {
		return bad("expected %s, found %s", want, describe(n))
	}
	if !whole {
		if tag == "!!float" {
			x, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64)
			lv := strings.ToLower(strings.TrimLeft(v, "+-"))
			if lv == ".nan" || lv == ".inf" {
				return nil // checkFloats
			}
			if err != nil || math.IsInf(x, 0) {
				return bad("%s is too large for a number (at most about 1.8e308)", v)
			}
		}
		return nil
	}
	// An integer field.
	clean := strings.ReplaceAll(v, "_", "")
	unsigned := t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64
	bits := t.Bits()
	if tag == "!!float" {
		x, err := strconv.ParseFloat(clean, 64)
		lv := strings.ToLower(strings.TrimLeft(v, "+-"))
		if lv == ".nan" || lv == ".inf" {
			return nil // checkFloats
		}
		if err == nil && finite(x) && x != math.Trunc(x) {
			return bad("%s is not an integer", v)
		}
		if err != nil || !finite(x) || !fitsInt(x, unsigned, bits) {
			return bad("%s is too large: %s", v, intRange(unsigned, bits))
		}
		return nil
	}
	var err error
	if unsigned {
		if strings.HasPrefix(clean, "-") {
			return bad("%s is negative: %s", v, intRange(unsigned, bits))
		}
		_, err = strconv.ParseUint(strings.TrimPrefix(clean, "+"), 0, bits)
	} else {
		_, err = strconv.ParseInt(clean, 0, bits)
	}
	if err != nil {
		return bad("%s is too large: %s", v, intRange(unsigned, bits))
	}
	return nil
}

// tooLarge reports whether s is a decimal number beyond float64.
func tooLarge(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return errors.Is(err, strconv.ErrRange)
}

// isNumber reports whether s is a plain decimal number.
func isNumber(s string) bool {
	if s == "" || strings.ContainsAny(s, "xXoObB_") {
		return false
	}
	x, err := strconv.ParseFloat(s, 64)
	return err == nil && finite(x)
}

func sign(v string) string {
	if strings.HasPrefix(v, "-") {
		return "-"
	}
	return ""
}

// fitsInt reports whether the whole number x fits an integer of the size.
func fitsInt(x float64, unsigned bool, bits int) bool {
	if unsigned {
		return x >= 0 && x < math.Ldexp(1, bits)
	}
	return x >= -math.Ldexp(1, bits-1) && x < math.Ldexp(1, bits-1)
}

func intRange(unsigned bool, bits int) string {
	if unsigned {
		return fmt.Sprintf("want a whole number from 0 to %d", uint64(math.MaxUint64)>>(64-bits))
	}
	return fmt.Sprintf("want a whole number from %d to %d", -(int64(1) << (bits - 1)), int64(math.MaxInt64)>>(64-bits))
}

// describe says in plain words what a node is.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "keys (key: value)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias (*" + n.Value + ")"
	}
	v := n.Value
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "…"
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "the number " + v
	case "!!bool":
		return v
	}
	return strconv.Quote(v)
}

// colonHint explains a text value that was meant as a key: "key:value"
// needs a space after the colon.
func colonHint(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Style == 0 && strings.Contains(n.Value, ":") && !strings.Contains(n.Value, ": ") {
		return " (a space is needed after the colon: key: value)"
	}
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "：") {
		return " (a full-width colon ：: write a half-width colon and a space)"
	}
	return ""
}

// under names the place of a path in messages.
func under(path string) string {
	if path == "" {
		return "at the top level"
	}
	return "under " + path
}

// unknownKey is the message for key, not a field at path.
func unknownKey(key, path string, keys []string) string {
	msg := fmt.Sprintf("unknown key %q %s", key, under(path))
	if s := model.Suggest(key, keys); strings.HasPrefix(s, " (did you mean") {
		msg += s
	} else if w := width.Narrow.String(key); w != key {
		if s := model.Suggest(w, keys); strings.HasPrefix(s, " (did you mean") {
			msg += s + " (write keys in half-width characters)"
		}
	}
	return msg + "; valid keys: " + strings.Join(keys, ", ")
}

// yamlKeys lists the keys of struct type t in declaration order.
func yamlKeys(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

var (
	unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
)

// customDecoding reports whether values of t decode themselves.
func customDecoding(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)
}

var (
	unmarshalRE = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
	fieldRE     = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	// goNameRE finds what looks like a Go type in a message.
	goNameRE = regexp.MustCompile(`\b(?:\[\]|map\[)?\*?(?:[a-z]+\.)?[A-Z]\w*Spec\b|\b(?:int|uint|float)(?:8|16|32|64)?\b|\[\]\w+|map\[\w+\]\w+|\bscenarios\.`)
)

// plainYAML rewrites a message of the YAML library in plain words. It is
// the fallback for what checkNode does not see first (values of types that
// decode themselves) and for syntax errors.
func plainYAML(m string) string {
	if sm := unmarshalRE.FindStringSubmatch(m); sm != nil {
		return fmt.Sprintf("expected %s, found %s", goKind(sm[3]), tagKind(sm[1], sm[2]))
	}
	if sm := fieldRE.FindStringSubmatch(m); sm != nil {
		return fmt.Sprintf("unknown key %q", sm[1])
	}
	for _, sm := range syntaxMessages {
		if strings.Contains(m, sm.raw) {
			return sm.plain
		}
	}
	return goNameRE.ReplaceAllString(m, "value")
}

// syntaxMessages are the YAML parser's messages in plain words, longer
// (more specific) messages first.
var syntaxMessages = []struct{ raw, plain string }{
	{"found unexpected end of stream while scanning a quoted scalar", "quotes are not closed: add the closing quote"},
	{"found unexpected end of stream", "the file ends inside quotes or brackets: close them"},
	{"mapping values are not allowed in this context", "a colon where no key can start: check the indentation of this line and the line above (keys of one mapping start in the same column; a value with \": \" in it needs quotes)"},
	{"did not find expected key", "this line is not indented like the keys above it: keys of one mapping start in the same column"},
	{"did not find expected ',' or ']'", "a list in [ ] is not closed: add ] (or quote a value that contains [ ] , or :)"},
	{"did not find expected ',' or '}'", "keys in { } are not closed: add } (or quote a value that contains { } , or :)"},
	{"could not find expected ':'", "a key without its colon: write key: value"},
	{"found character that cannot start any token", "a character that cannot start a value here (a tab, @ or `): indent with spaces, quote values that start with @ or `"},
	{"found a tab character where an indentation space is expected", "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"},
	{"found a tab character that violates indentation", "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"},
	{"did not find expected node content", "a value is missing here (after a dash or a colon)"},
	{"found undefined alias", "an alias (*name) with no anchor (&name) before it"},
	{"did not find expected alphabetic or numeric character", "an anchor or alias (& or *) without a name"},
	{"found unknown escape character", "an unknown escape (\\) in double quotes: use single quotes, or write \\\\ for a backslash"},
	{"block sequence entries are not allowed in this context", "a list item (- ) where a value was expected: put the list on its own lines below the key"},
}

// goKind names in plain words the kind of value a Go type holds.
func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "keys (key: value)"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "string":
		return "a single value"
	}
	return "keys (key: value)"
}

// tagKind names a YAML tag and value in plain words.
func tagKind(tag, v string) string {
	switch tag {
	case "seq":
		return "a list"
	case "map":
		return "keys (key: value)"
	case "int", "float":
		return "the number " + v
	case "bool":
		return v
	}
	return strconv.Quote(v)
}

// decode sets v from the node n at field path path, in time linear in the
// size of the document (yaml's own decoder compares every key of a mapping
// with every other). Unknown keys and values of the wrong kind, which
// checkNode reports, are skipped (the field keeps its zero value); a key
// repeated in one mapping is reported here and its second value ignored.
// Values of types with their own YAML decoding decode themselves.
func (f *File) decode(n *yaml.Node, v reflect.Value, path string) ErrorList {
	if f.budget--; f.budget < 0 {
		return nil
	}
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil
	}
	if customDecoding(v.Type()) {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			return ErrorList{{File: f.Path, Line: n.Line, Column: n.Column, Path: path, Err: errors.New(plainYAML(strings.TrimPrefix(err.Error(), "yaml: ")))}}
		}
		return nil
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	var out ErrorList
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return f.decode(n, v.Elem(), path)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Value == "<<" && k.ShortTag() == "!!merge" {
				out = append(out, f.decodeMerge(n.Content[i+1], v, path)...)
			}
		}
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, c := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || (k.Value == "<<" && k.ShortTag() == "!!merge") {
				continue
			}
			if e := repeated(f, seen, k, join(k.Value)); e != nil {
				out = append(out, e)
				continue
			}
			if j := fieldIndex(v.Type(), k.Value); j >= 0 {
				out = append(out, f.decode(c, v.Field(j), join(k.Value))...)
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(v.Type(), len(n.Content)/2))
		}
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, c := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			if e := repeated(f, seen, k, join(k.Value)); e != nil {
				out = append(out, e)
				continue
			}
			key := reflect.New(v.Type().Key()).Elem()
			if key.Kind() != reflect.String {
				if err := k.Decode(key.Addr().Interface()); err != nil {
					continue
				}
			} else {
				key.SetString(k.Value)
			}
			elem := reflect.New(v.Type().Elem()).Elem()
			out = append(out, f.decode(c, elem, join(k.Value))...)
			v.SetMapIndex(key, elem)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return nil
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			out = append(out, f.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		v.Set(s)
	default:
		if n.Kind == yaml.ScalarNode {
			// A scalar of the wrong kind fails here and is reported by
			// checkNode; the field keeps its zero value.
			tmp := reflect.New(v.Type())
			if err := n.Decode(tmp.Interface()); err == nil {
				v.Set(tmp.Elem())
			}
		}
	}
	return out
}

// decodeMerge decodes the value of a merge key into v.
func (f *File) decodeMerge(n *yaml.Node, v reflect.Value, path string) ErrorList {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.SequenceNode {
		var out ErrorList
		// Earlier mappings of the list take precedence.
		for i := len(n.Content) - 1; i >= 0; i-- {
			out = append(out, f.decodeMerge(n.Content[i], v, path)...)
		}
		return out
	}
	return f.decode(n, v, path)
}

// repeated records key k in seen and returns an error if the mapping
// already had it.
func repeated(f *File, seen map[string]*yaml.Node, k *yaml.Node, path string) *Error {
	if first, ok := seen[k.Value]; ok {
		return &Error{File: f.Path, Line: k.Line, Column: k.Column, Path: path,
			Err: fmt.Errorf("key %q already defined at line %d: a key appears once in a mapping", k.Value, first.Line)}
	}
	seen[k.Value] = k
	return nil
}

// fieldIndex returns the index of the field of struct t with yaml key
// name, or -1.
func fieldIndex(t reflect.Type, name string) int {
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == name {
			return i
		}
	}
	return -1
}
