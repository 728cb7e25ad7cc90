package report

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// LoadBatch reads the statistics.csv of a batch (junkan batch -o DIR) into
// r.Batch: the p5, p50 and p95 of every cell the batch aggregated, keyed
// like r.Series. The charts then draw p5–p95 bands around the median for
// the variants, levels and indicators the batch covered. The batch must
// have been run with the p5, p50 and p95 statistics (its default).
func (r *Run) LoadBatch(dir string) error {
	path := filepath.Join(dir, "statistics.csv")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, e := os.Stat(filepath.Join(dir, "partial.bin")); e == nil {
			return fmt.Errorf("report: %s is one shard's partial result: merge the shards first (junkan merge part-1 … -o DIR) and give DIR", dir)
		}
		return fmt.Errorf("report: %s has no statistics.csv: the bands come from the output directory of junkan batch or junkan merge", dir)
	}
	if err != nil {
		return fmt.Errorf("report: batch: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("report: %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, need := range []string{"scenario", "level", "region", "year", "material", "indicator", "p5", "p50", "p95"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("report: %s: no column %s (the bands need p5, p50 and p95)", path, need)
		}
	}
	if r.Batch == nil {
		r.Batch = map[Key]Band{}
	}
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return fmt.Errorf("report: %s line %d: %w", path, line, err)
		}
		y, err := strconv.Atoi(rec[col["year"]])
		if err != nil {
			return fmt.Errorf("report: %s line %d: year %q", path, line, rec[col["year"]])
		}
		yi := r.YearIndex(y)
		if yi < 0 {
			continue
		}
		k := Key{rec[col["scenario"]], rec[col["level"]], rec[col["region"]], rec[col["material"]], rec[col["indicator"]]}
		b, ok := r.Batch[k]
		if !ok {
			b = Band{nanSlice(len(r.Years)), nanSlice(len(r.Years)), nanSlice(len(r.Years))}
			r.Batch[k] = b
		}
		for _, p := range []struct {
			name string
			dst  []float64
		}{{"p5", b.P5}, {"p50", b.P50}, {"p95", b.P95}} {
			v, err := strconv.ParseFloat(rec[col[p.name]], 64)
			if err != nil {
				return fmt.Errorf("report: %s line %d: %s %q is not a number", path, line, p.name, rec[col[p.name]])
			}
			p.dst[yi] = v
		}
	}
	return nil
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// BatchMismatch returns a note when the bands loaded by [Run.LoadBatch]
// do not look like this run's: in every series in tonnes the two share,
// the batch's base-year median is under half or over 1.5 times the run's
// value (as for a batch of another scenario whose variants happen to have
// the same names); "" otherwise. Base-year masses barely depend on the
// uncertain numbers, so a batch of the run's own scenario stays close.
func (r *Run) BatchMismatch() string {
	keys := make([]Key, 0, len(r.Batch))
	for k := range r.Batch {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Key) int {
		return cmp.Or(cmp.Compare(a.Variant, b.Variant), cmp.Compare(a.Level, b.Level), cmp.Compare(a.Scope, b.Scope),
			cmp.Compare(a.Material, b.Material), cmp.Compare(a.Indicator, b.Indicator))
	})
	n, far := 0, 0
	var example string
	for _, k := range keys {
		s, b := r.Series[k], r.Batch[k]
		if r.Units[k.Indicator] != "t" { // rates and per-person figures are alike across regions
			continue
		}
		if len(s) == 0 || len(b.P50) == 0 || math.IsNaN(s[0]) || math.IsNaN(b.P50[0]) || s[0] == 0 {
			continue
		}
		n++
		if q := b.P50[0] / s[0]; q < 0.5 || q > 1.5 {
			far++
			if example == "" {
				example = fmt.Sprintf("%s %s %s %s in %d: median %.4g, this run %.4g", k.Variant, k.Scope, k.Material, k.Indicator, r.Years[0], b.P50[0], s[0])
			}
		}
	}
	if n == 0 || far < n {
		return ""
	}
	return fmt.Sprintf("the batch's base-year medians are far from this run's in all %d series they share (%s): is it a batch of this run's scenario?", n, example)
}
