package model

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Kinds of provenance of a default value.
const (
	KindCited      = "cited"      // taken directly from the named source
	KindDerived    = "derived"    // computed from cited values; the note shows how
	KindAssumption = "assumption" // no source found; the note gives the reasoning
)

// Fact is one row of the defaults table: a default value with its unit
// and source. Every default number of junkan is a Fact.
type Fact struct {
	Key       string  // parameter key, e.g. "sorting_yield"
	Archetype string  // "a" … "e", or "*" for all
	Material  string  // material id, or "*" for all or not per material
	Value     float64 // in Unit
	Unit      string
	Kind      string // KindCited, KindDerived or KindAssumption
	Source    string // document, publisher, year, table or URL
	Note      string // derivation or reasoning
}

// The defaults table is the concatenation of the embedded files
// defaults.csv (material flows), defaults_durables.csv (products and
// manufacturing) and defaults_economics.csv (costs, GHG, energy, jobs),
// each with the same header.
//
//go:embed defaults*.csv
var defaultsFS embed.FS

var defaultsCSV = concatDefaults()

// concatDefaults joins the embedded tables under one header, in file-name
// order.
func concatDefaults() string {
	names, err := fs.Glob(defaultsFS, "defaults*.csv")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, n := range names {
		data, err := defaultsFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		s := strings.TrimPrefix(string(data), "\ufeff")
		if i > 0 {
			if j := strings.IndexByte(s, '\n'); j >= 0 {
				s = s[j+1:]
			}
		}
		if s != "" && !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		b.WriteString(s)
	}
	return b.String()
}

// Table is a set of facts, searchable by key, archetype and material.
// A Table is safe for concurrent reads.
type Table struct {
	Facts []Fact
}

var (
	defaultsOnce  sync.Once
	defaultsTable *Table
	defaultsErr   error
)

// Defaults returns the embedded defaults table (model/defaults.csv). It
// panics if the embedded table is malformed, which tests rule out.
func Defaults() *Table {
	defaultsOnce.Do(func() {
		defaultsTable, defaultsErr = ParseTable(strings.NewReader(defaultsCSV))
	})
	if defaultsErr != nil {
		panic("model: embedded defaults.csv: " + defaultsErr.Error())
	}
	return defaultsTable
}

// DefaultsCSV returns the embedded defaults table as CSV text.
func DefaultsCSV() string { return defaultsCSV }

// ParseTable reads a defaults table in CSV with the header
// key,archetype,material,value,unit,kind,source,note.
func ParseTable(r interface{ Read([]byte) (int, error) }) (*Table, error) {
	cr := csv.NewReader(r)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	want := []string{"key", "archetype", "material", "value", "unit", "kind", "source", "note"}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("header must be %s", strings.Join(want, ","))
	}
	t := &Table{}
	for i, row := range rows[1:] {
		line := i + 2
		v, err := strconv.ParseFloat(strings.TrimSpace(row[3]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("line %d: value %q is not a finite number", line, row[3])
		}
		switch row[5] {
		case KindCited, KindDerived, KindAssumption:
		default:
			return nil, fmt.Errorf("line %d: kind %q must be cited, derived or assumption", line, row[5])
		}
		if strings.TrimSpace(row[6]) == "" && row[5] != KindAssumption {
			return nil, fmt.Errorf("line %d: %s value without source", line, row[5])
		}
		t.Facts = append(t.Facts, Fact{Key: row[0], Archetype: row[1], Material: row[2], Value: v,
			Unit: row[4], Kind: row[5], Source: row[6], Note: row[7]})
	}
	return t, nil
}

// Lookup returns the fact for key that best matches archetype a and material
// id mat: an exact archetype beats "*", then an exact material beats "*".
// A zero a matches only "*".
func (t *Table) Lookup(key string, a Archetype, mat string) (Fact, bool) {
	best, score := -1, -1
	for i := range t.Facts {
		f := &t.Facts[i]
		if f.Key != key {
			continue
		}
		s := 0
		switch {
		case a != 0 && f.Archetype == a.String():
			s += 2
		case f.Archetype != "*":
			continue
		}
		switch {
		case f.Material == mat && mat != "":
			s++
		case f.Material != "*":
			continue
		}
		if s > score {
			best, score = i, s
		}
	}
	if best < 0 {
		return Fact{}, false
	}
	return t.Facts[best], true
}

// Value is Lookup returning an error naming the key when it is missing.
func (t *Table) Value(key string, a Archetype, mat string) (float64, error) {
	f, ok := t.Lookup(key, a, mat)
	if !ok {
		return 0, fmt.Errorf("model: no default for %s (archetype %s, material %s)", key, a, mat)
	}
	return f.Value, nil
}

// Has reports whether any fact has the key.
func (t *Table) Has(key string) bool {
	for i := range t.Facts {
		if t.Facts[i].Key == key {
			return true
		}
	}
	return false
}

// CellParams returns the default parameters of archetype a and material id
// mat (GenerationFactor 1, LifetimeExtension 0).
//
// The element cost parameters start at 0 and LifetimeExtension at 0. A
// product (durable) row without its own value of a parameter takes the
// value of material "other" (e.g. the collection cost of appliances).
func (t *Table) CellParams(a Archetype, mat string) (Params, error) {
	var p Params
	p[GenerationFactor] = 1
	for k := ReuseShare; k < ElementCostPerTGenerated; k++ {
		if k == LifetimeExtension {
			continue
		}
		v, err := t.Value(k.String(), a, mat)
		if err != nil {
			if alt, err2 := t.Value(k.String(), a, "other"); err2 == nil && isProduct(mat) {
				v, err = alt, nil
			}
		}
		if err != nil {
			return p, err
		}
		p[k] = v
	}
	return p, nil
}

func isProduct(id string) bool {
	for _, m := range DefaultProducts() {
		if m.ID == id {
			return true
		}
	}
	return false
}
