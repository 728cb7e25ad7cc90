package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/output"
)

// Manifest is the part of manifest.json the report reads.
type Manifest struct {
	Tool       string           `json:"tool"`
	Version    string           `json:"version"`
	Scenario   string           `json:"scenario"`
	Seed       uint64           `json:"seed"`
	BaseYear   int              `json:"base_year"`
	EndYear    int              `json:"end_year"`
	Variants   []string         `json:"variants"`
	Inputs     []InputFile      `json:"inputs"`
	Regions    []ManifestRegion `json:"regions"`
	Parameters []Parameter      `json:"parameters"`
}

// InputFile is one input of the run with its SHA-256.
type InputFile struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// ManifestRegion is one region of the run.
type ManifestRegion struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Prefecture string  `json:"prefecture"`
	Archetype  string  `json:"archetype"`
	Population float64 `json:"population"`
}

// Parameter is one parameter used by the run, with its source.
type Parameter struct {
	Key       string   `json:"key"`
	Archetype string   `json:"archetype"`
	Material  string   `json:"material"`
	Regions   []string `json:"regions"`
	Value     float64  `json:"value"`
	Unit      string   `json:"unit"`
	Kind      string   `json:"kind"`
	Source    string   `json:"source"`
}

// ElementUse is one model element switched on in a variant.
type ElementUse struct {
	Element    string
	StartYear  int
	RampYears  int
	Ramp       string
	Archetypes []string
	Regions    []string
}

// Key identifies one series of timeseries.csv.
type Key struct {
	Variant, Level, Scope, Material, Indicator string
}

// Run is the one view of a run's outputs that the report reads: the
// files of an output directory (summary.json, manifest.json,
// timeseries.csv, targets.csv, validation.csv, blocks.geojson) as Go
// values. Series hold the total, archetype and block levels (materials
// all and msw at total and archetype levels, every material at total
// level) and, at region level, material all of [RegionIndicators].
type Run struct {
	Dir      string
	Name     string // scenario name (file name without extension) or directory name
	Manifest Manifest
	Summary  output.Summary
	Years    []int    // fiscal years of the series, base … end
	Variants []string // in run order
	// Elements are the model elements of each variant, when known (from
	// the scenario file; the output files do not list them).
	Elements map[string][]ElementUse
	// Series by key, one value per year of Years (NaN where missing).
	Series map[Key][]float64
	Units  map[string]string // indicator → unit
	// Validation rows of validation.csv.
	Validation [][]string
	Blocks     *BlockMap // nil without blocks.geojson
	// Batch holds p5/p50/p95 bands from a batch aggregate, if any.
	Batch map[Key]Band
}

// Band is a p5–p95 band around the median of a batch (DESIGN §9), one
// value per year of [Run.Years].
type Band struct{ P5, P50, P95 []float64 }

// RegionIndicators are the indicators kept at region level (for maps).
var RegionIndicators = []string{"waste_per_capita", "recycling_rate", "final_disposal", "cost_per_capita", "ghg_net", "waste_generated", "population"}

// ErrNotRun is wrapped by [Load]'s error when dir is not a junkan output.
var ErrNotRun = errors.New("report: not a junkan output directory")

// Load reads the output directory dir of an earlier run. summary.json and
// timeseries.csv are required; the other files are read when present.
func Load(dir string) (*Run, error) {
	r := &Run{Dir: dir, Series: map[Key][]float64{}, Units: map[string]string{}, Elements: map[string][]ElementUse{}}
	b, err := os.ReadFile(filepath.Join(dir, output.SummaryFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s (run `junkan run SCENARIO -o %s` first)", ErrNotRun, dir, output.SummaryFile, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal(b, &r.Summary); err != nil {
		return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, output.SummaryFile), err)
	}
	if len(r.Summary.Variants) == 0 {
		return nil, fmt.Errorf("%w: %s lists no variants", ErrNotRun, filepath.Join(dir, output.SummaryFile))
	}
	if b, err := os.ReadFile(filepath.Join(dir, output.ManifestFile)); err == nil {
		if err := json.Unmarshal(b, &r.Manifest); err != nil {
			return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, output.ManifestFile), err)
		}
	}
	for _, v := range r.Summary.Variants {
		r.Variants = append(r.Variants, v.Name)
	}
	v0 := r.Summary.Variants[0]
	if v0.EndYear < v0.BaseYear || v0.EndYear-v0.BaseYear > 1000 {
		return nil, fmt.Errorf("report: %s: years %d–%d", filepath.Join(dir, output.SummaryFile), v0.BaseYear, v0.EndYear)
	}
	for y := v0.BaseYear; y <= v0.EndYear; y++ {
		r.Years = append(r.Years, y)
	}
	r.Name = strings.TrimSuffix(filepath.Base(r.Manifest.Scenario), filepath.Ext(r.Manifest.Scenario))
	if r.Name == "" || r.Name == "." {
		r.Name = filepath.Base(filepath.Clean(dir))
	}
	if err := r.readTimeseries(filepath.Join(dir, output.TimeseriesFile)); err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "validation.csv")); err == nil {
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, "validation.csv"), err)
		}
		r.Validation = rows
	}
	if b, err := os.ReadFile(filepath.Join(dir, output.BlocksFile)); err == nil {
		bm, err := parseBlocks(b)
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, output.BlocksFile), err)
		}
		r.Blocks = bm
	}
	return r, nil
}

// Get returns the series of k (nil if absent).
func (r *Run) Get(k Key) []float64 { return r.Series[k] }

// Total returns the series of indicator at the total level for material
// ("all" or "msw").
func (r *Run) Total(variant, material, indicator string) []float64 {
	return r.Series[Key{variant, "total", "total", material, indicator}]
}

// HasMSW reports whether the run has the MSW scope (durable products).
func (r *Run) HasMSW() bool { return r.Summary.Variants[0].TotalMSW != nil }

// Scope returns the material scope the headline figures use: "msw" when
// the run has durable products (comparable with the MOE statistics), else
// "all".
func (r *Run) Scope() string {
	if r.HasMSW() {
		return "msw"
	}
	return "all"
}

// YearIndex returns the index of fiscal year y in Years, or -1.
func (r *Run) YearIndex(y int) int {
	if len(r.Years) == 0 || y < r.Years[0] || y > r.Years[len(r.Years)-1] {
		return -1
	}
	return y - r.Years[0]
}

// readTimeseries streams timeseries.csv and keeps the rows the report uses.
func (r *Run) readTimeseries(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		pq := filepath.Join(filepath.Dir(path), output.TimeseriesParquetFile)
		if _, err := os.Stat(pq); err == nil {
			return fmt.Errorf("report: %s has %s but no %s: the report reads the CSV; run the scenario again with outputs.format: both (or csv)",
				filepath.Dir(path), output.TimeseriesParquetFile, filepath.Base(path))
		}
		return fmt.Errorf("%w: %s is missing", ErrNotRun, path)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	keepRegion := map[string]bool{}
	for _, s := range RegionIndicators {
		keepRegion[s] = true
	}
	Y := len(r.Years)
	var fields [9][]byte
	line := 0
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("report: %s line %d: line longer than 1 MiB", path, line+1)
		}
		if len(b) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("report: %s: %w", path, err)
		}
		line++
		b = bytes.TrimRight(b, "\r\n")
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
			if string(b) != "scenario,level,region,archetype,year,material,indicator,value,unit" {
				return fmt.Errorf("report: %s line 1: header %q, expected scenario,level,region,archetype,year,material,indicator,value,unit", path, b)
			}
			continue
		}
		if len(b) == 0 {
			continue
		}
		var rec []string
		if bytes.IndexByte(b, '"') >= 0 {
			cr := csv.NewReader(bytes.NewReader(b))
			rec, err = cr.Read()
			if err != nil || len(rec) != 9 {
				return fmt.Errorf("report: %s line %d: expected 9 fields", path, line)
			}
			for i := range rec {
				fields[i] = []byte(rec[i])
			}
		} else {
			n := 0
			for n < 8 {
				i := bytes.IndexByte(b, ',')
				if i < 0 {
					break
				}
				fields[n] = b[:i]
				b = b[i+1:]
				n++
			}
			if n != 8 || bytes.IndexByte(b, ',') >= 0 {
				return fmt.Errorf("report: %s line %d: expected 9 fields", path, line)
			}
			fields[8] = b
		}
		level, material, ind := fields[1], fields[5], string(fields[6])
		keep := false
		switch string(level) {
		case "total", "block":
			keep = true
		case "archetype":
			keep = string(material) == "all" || string(material) == "msw"
		case "region":
			keep = string(material) == "all" && keepRegion[ind]
		}
		if !keep {
			continue
		}
		year, err1 := strconv.Atoi(string(fields[4]))
		v, err2 := strconv.ParseFloat(string(fields[7]), 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("report: %s line %d: year %q or value %q is not a number", path, line, fields[4], fields[7])
		}
		yi := r.YearIndex(year)
		if yi < 0 {
			continue
		}
		scope := string(fields[2])
		k := Key{string(fields[0]), string(level), scope, string(material), ind}
		s := r.Series[k]
		if s == nil {
			s = make([]float64, Y)
			for i := range s {
				s[i] = math.NaN()
			}
			r.Series[k] = s
			if _, ok := r.Units[ind]; !ok {
				r.Units[ind] = string(fields[8])
			}
		}
		s[yi] = v
	}
	if line <= 1 {
		return fmt.Errorf("report: %s has no rows", path)
	}
	return nil
}

// Scopes returns the sorted scopes (archetype letters, block ids, region
// codes) that have series at level.
func (r *Run) Scopes(level string) []string {
	seen := map[string]bool{}
	for k := range r.Series {
		if k.Level == level {
			seen[k.Scope] = true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
