package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/circular-partners/junkan/internal/outdir"
	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteMissingParent(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "no", "such", "out")
	err := Write(dir, runConfig(t, testConfig(2024), testVariants), Options{Plots: true})
	if err == nil {
		t.Fatal("Write into a missing parent succeeded")
	}
	if names := dirNames(t, root); len(names) != 0 {
		t.Errorf("Write left %v", names)
	}
}

func TestWriteReplaces(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	results := runConfig(t, testConfig(2030), testVariants)
	// An earlier output, replaced below.
	if err := Write(dir, results[:1], Options{}); err != nil {
		t.Fatal(err)
	}
	manifest := map[string]any{"version": "test", "seed": 1}
	opt := Options{
		RegionMaterials: true,
		Manifest:        manifest,
		Validation:      []map[string]any{{"indicator": "waste_per_capita", "ok": true}},
		Extra:           map[string][]byte{"validation.csv": []byte("a,b\n1,2\n"), "notes.txt": []byte("x")},
		Plots:           true,
	}
	if err := Write(dir, results, opt); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
	want := []string{".junkan-output", "manifest.json", "notes.txt", "plots", "summary.json", "timeseries.csv", "validation.csv"}
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("dir holds %v; want %v", got, want)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("dir mode %v, %v; want 0755", fi.Mode(), err)
	}

	ts, err := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := writeTS(t, results, true); !bytes.Equal(ts, want) {
		t.Error("timeseries.csv differs from WriteTimeseries")
	}

	mb, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"seed\": 1,\n  \"version\": \"test\"\n}\n"; string(mb) != want {
		t.Errorf("manifest.json = %q; want %q", mb, want)
	}

	sb, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(sb, []byte("}\n")) || !bytes.HasPrefix(sb, []byte("{\n  \"variants\": [\n")) {
		t.Errorf("summary.json not indented with a trailing newline:\n%s", sb)
	}
	var s struct {
		Variants []struct {
			Name  string
			Total struct {
				EndYear map[string]float64 `json:"end_year"`
			}
			ByArchetype []struct {
				Archetype string
			} `json:"by_archetype"`
			VsBaseline map[string]any `json:"vs_baseline_end_year"`
		}
		Validation []map[string]any
	}
	if err := json.Unmarshal(sb, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Variants) != 2 || s.Variants[1].Name != "ai" || len(s.Validation) != 1 ||
		len(s.Variants[0].ByArchetype) != 2 || s.Variants[0].ByArchetype[1].Archetype != "e" {
		t.Errorf("summary.json: %+v", s)
	}
	if y := s.Variants[0].Total.EndYear["year"]; y != 2030 {
		t.Errorf("summary total end year %v; want 2030", y)
	}
	if b := s.Variants[1].VsBaseline["baseline"]; b != "baseline" {
		t.Errorf("vs_baseline_end_year.baseline = %v", b)
	}

	for _, name := range []string{"waste_per_capita.png", "recycling_rate.png", "final_disposal.png", "incinerated.png"} {
		f, err := os.Open(filepath.Join(dir, "plots", name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 576 || b.Dy() != 384 {
			t.Errorf("%s: %d × %d pixels; want 576 × 384", name, b.Dx(), b.Dy())
		}
	}

	// Writing again replaces: without plots and manifest they are gone.
	if err := Write(dir, results[:1], Options{}); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, dir), []string{".junkan-output", "summary.json", "timeseries.csv"}; !slices.Equal(got, want) {
		t.Errorf("after second Write dir holds %v; want %v", got, want)
	}
	if got, want := dirNames(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
}

// TestWriteFailureKeepsOld checks that a failing Write leaves an existing
// dir untouched and no temporary directory behind.
func TestWriteFailureKeepsOld(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	results := runConfig(t, testConfig(2024), testVariants)
	if err := Write(dir, results, Options{Manifest: "old"}); err != nil {
		t.Fatal(err)
	}
	marker, err := os.ReadFile(filepath.Join(dir, ".junkan-output"))
	if err != nil {
		t.Fatal(err)
	}
	bad := *results[1]
	bad.Flows = slices.Clone(bad.Flows)
	bad.Flows[3][model.FinalDisposal] = math.NaN()
	for name, tc := range map[string]struct {
		results []*sim.Result
		opt     Options
		is      error
	}{
		"nan":         {[]*sim.Result{results[0], &bad}, Options{Plots: true}, ErrNonFinite},
		"manifest":    {results, Options{Manifest: func() {}}, nil},
		"extra clash": {results, Options{Extra: map[string][]byte{"summary.json": nil}}, nil},
		"extra path":  {results, Options{Extra: map[string][]byte{"../x": nil}}, nil},
		"no results":  {nil, Options{}, nil},
	} {
		err := Write(dir, tc.results, tc.opt)
		if err == nil {
			t.Errorf("%s: Write succeeded", name)
			continue
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: err = %v; want %v", name, err, tc.is)
		}
		if !strings.HasPrefix(err.Error(), "output: ") {
			t.Errorf("%s: err = %q; want prefix output:", name, err)
		}
		if got, want := dirNames(t, root), []string{"out"}; !slices.Equal(got, want) {
			t.Errorf("%s: parent holds %v; want %v", name, got, want)
		}
		if got, want := dirNames(t, dir), []string{".junkan-output", "manifest.json", "summary.json", "timeseries.csv"}; !slices.Equal(got, want) {
			t.Errorf("%s: dir holds %v; want %v", name, got, want)
		}
		if m, _ := os.ReadFile(filepath.Join(dir, ".junkan-output")); !bytes.Equal(m, marker) {
			t.Errorf("%s: the earlier output changed", name)
		}
		if err := CheckDir(dir); err != nil {
			t.Errorf("%s: the earlier output is no longer whole: %v", name, err)
		}
	}
}

func TestWriteOntoFile(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "out")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, runConfig(t, testConfig(2024), testVariants), Options{}); err == nil {
		t.Error("Write onto a regular file succeeded")
	}
	if got, want := dirNames(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
}

func TestSummarize(t *testing.T) {
	results := runConfig(t, testConfig(2024), testVariants)
	s, err := Summarize(results)
	if err != nil {
		t.Fatal(err)
	}
	b, a := s.Variants[0], s.Variants[1]
	if b.Name != "baseline" || b.BaseYear != 2023 || b.EndYear != 2024 || b.Total.Regions != 2 {
		t.Errorf("baseline summary header: %+v", b)
	}
	// FY2024 total: 365 + 182.5 = 547.5 t over 1625 persons (see
	// TestHandValues).
	end := b.Total.EndYear
	if end.Year != 2024 || !near(end.WasteGenerated, 547.5, 1e-12) || end.Population != 1625 ||
		!near(end.WastePerCapita, 547.5e6/1625/365, 1e-12) {
		t.Errorf("baseline end year: %+v", end)
	}
	// FY2023 total: 366 + 500 × 800 × 366 × 1e-6 = 366 + 146.4 t.
	if !near(b.Total.BaseYear.WasteGenerated, 512.4, 1e-12) {
		t.Errorf("baseline base-year waste %.17g; want 512.4", b.Total.BaseYear.WasteGenerated)
	}
	if len(b.ByArchetype) != 2 || b.ByArchetype[0].Archetype != "c" || b.ByArchetype[1].Archetype != "e" ||
		b.ByArchetype[1].EndYear.Population != 625 {
		t.Errorf("by archetype: %+v", b.ByArchetype)
	}
	if b.VsBaselineEndYear != (Difference{Baseline: "baseline"}) {
		t.Errorf("baseline vs itself: %+v", b.VsBaselineEndYear)
	}
	d := a.VsBaselineEndYear
	if d.Baseline != "baseline" || d.WasteGenerated != 0 || d.Population != 0 ||
		!(d.RecyclingRate > 0) || !(d.FinalDisposal < 0) ||
		!near(d.RecyclingRate, a.Total.EndYear.RecyclingRate-b.Total.EndYear.RecyclingRate, 1e-15) {
		t.Errorf("ai vs baseline: %+v", d)
	}
	// Deterministic bytes.
	j1, err := marshalIndent(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := Summarize(results)
	j2, _ := marshalIndent(s2)
	if !bytes.Equal(j1, j2) {
		t.Error("summary JSON differs between calls")
	}
}

func TestPlotSeriesCleaned(t *testing.T) {
	results := runConfig(t, testConfig(2025), testVariants)
	bad := *results[1]
	bad.Flows = slices.Clone(bad.Flows)
	// FY2024 (year index 1) of region 0, material 0: a NaN final disposal.
	bad.Flows[(1*2+0)*2+0][model.FinalDisposal] = math.NaN()
	rs := []*sim.Result{results[0], &bad}
	totals := []*groups{sumGroups(rs[0]), sumGroups(rs[1])}
	var spec *plotSpec
	for i := range plotSpecs {
		if plotSpecs[i].file == "final_disposal.png" {
			spec = &plotSpecs[i]
		}
	}
	xys := spec.series(rs[0].BaseYear, totals)
	if len(xys[0]) != 3 || len(xys[1]) != 2 || xys[1][1].X != 2025 {
		t.Errorf("series = %v; want 3 points and 2 points without FY2024", xys)
	}
	if err := writePlots(t.TempDir(), rs); err != nil {
		t.Errorf("writePlots with a NaN: %v", err)
	}
}

func TestYearTicks(t *testing.T) {
	cases := []struct {
		min, max float64
		labels   string
	}{
		{2023, 2024, "2023 2024"},
		{2023, 2030, "2023 2024 2025 2026 2027 2028 2029 2030"},
		{2023, 2050, "2025 2030 2035 2040 2045 2050"},
		{2022, 2023, "2022 2023"},
		{2023.5, 2023.7, ""}, // no whole year: default ticks, no year labels
	}
	for _, tc := range cases {
		var labels []string
		for _, tk := range (yearTicks{}).Ticks(tc.min, tc.max) {
			if tk.Label != "" && tc.labels != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != tc.labels {
			t.Errorf("Ticks(%g, %g) labels %q; want %q", tc.min, tc.max, got, tc.labels)
		}
	}
}

// TestWriteRefusesForeignDir checks that a directory holding other files
// than a previous output is never replaced.
func TestWriteRefusesForeignDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "my.yaml"), []byte("name: x"), 0o644); err != nil {
		t.Fatal(err)
	}
	results := runConfig(t, testConfig(2024), testVariants)
	if err := Write(dir, results, Options{}); !errors.Is(err, ErrNotOutputDir) {
		t.Fatalf("err = %v; want ErrNotOutputDir", err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"my.yaml"}) {
		t.Errorf("dir holds %v; want [my.yaml]", got)
	}
}

// TestMarkerHashOfTimeseries checks that the SHA-256 of timeseries.csv
// computed while writing, and listed in the marker, is that of the file.
func TestMarkerHashOfTimeseries(t *testing.T) {
	for _, bom := range []bool{false, true} {
		markerHashOfTimeseries(t, bom)
	}
}

func markerHashOfTimeseries(t *testing.T, bom bool) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := Write(dir, runConfig(t, testConfig(2030), testVariants), Options{RegionMaterials: true, CSVBOM: bom}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, TimeseriesFile))
	if err != nil {
		t.Fatal(err)
	}
	mb, err := os.ReadFile(filepath.Join(dir, outdir.MarkerFile))
	if err != nil {
		t.Fatal(err)
	}
	var m outdir.Marker
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	found := false
	for _, f := range m.Files {
		if f.Path == TimeseriesFile {
			found = true
			if f.Size != int64(len(data)) || f.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("marker lists %d bytes, %s; file has %d bytes, %x", f.Size, f.SHA256, len(data), sum)
			}
		}
	}
	if !found {
		t.Error("timeseries.csv not in the marker")
	}
}

// BenchmarkHashedFile writes 64 MiB in chunks of 2 MiB to a file while
// hashing them with SHA-256, as timeseries.csv is written: the hash on its
// own goroutine (hashedFile) and, for the ratio, after each write
// (io.MultiWriter, as before).
func BenchmarkHashedFile(b *testing.B) {
	chunk := bytes.Repeat([]byte("scenario,region,01100,c,2030,all,waste_generated,123456.789012,t\n"), 2<<20/66)
	for _, overlapped := range []bool{true, false} {
		name := "overlapped"
		if !overlapped {
			name = "serial"
		}
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "ts.csv")
			for b.Loop() {
				f, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				h := &countingHash{h: sha256.New()}
				var w io.Writer = io.MultiWriter(f, h)
				var hf *hashedFile
				if overlapped {
					hf = newHashedFile(f, h)
					w = hf
				}
				for range 32 {
					if _, err := w.Write(chunk); err != nil {
						b.Fatal(err)
					}
				}
				if hf != nil {
					hf.close()
				}
				f.Close()
			}
			b.SetBytes(32 * int64(len(chunk)))
		})
	}
}

// A file of AddFileFunc is built while Close writes the rest and lands
// with its bytes; its error fails Close and leaves the earlier output as
// it was; its name is checked as AddFile's.
func TestAddFileFunc(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	results := runConfig(t, testConfig(2024), testVariants)
	write := func(build func() ([]byte, error)) error {
		w, err := Create(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range results {
			if err := w.Add(res); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.AddFileFunc("book.xlsx", build); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"book.xlsx", "summary.json", "../x"} {
			if err := w.AddFileFunc(name, build); err == nil {
				t.Errorf("AddFileFunc(%q) accepted", name)
			}
			if err := w.AddFile(name, nil); err == nil {
				t.Errorf("AddFile(%q) accepted", name)
			}
		}
		if err := w.SetValidation(nil, map[string][]byte{"book.xlsx": nil}); err == nil {
			t.Errorf("SetValidation with book.xlsx accepted")
		}
		err = w.Close()
		if err2 := w.AddFileFunc("late.xlsx", build); err2 == nil {
			t.Errorf("AddFileFunc after Close accepted")
		}
		return err
	}
	if err := write(func() ([]byte, error) { return []byte("workbook"), nil }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "book.xlsx")); err != nil || string(b) != "workbook" {
		t.Fatalf("book.xlsx = %q, %v", b, err)
	}
	if err := CheckDir(dir); err != nil {
		t.Fatal(err)
	}
	marker, _ := os.ReadFile(filepath.Join(dir, outdir.MarkerFile))
	boom := errors.New("workbook: boom")
	if err := write(func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("Close = %v; want the build's error", err)
	}
	if got, want := dirNames(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
	if m, _ := os.ReadFile(filepath.Join(dir, outdir.MarkerFile)); !bytes.Equal(m, marker) {
		t.Errorf("the earlier output changed")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "book.xlsx")); string(b) != "workbook" {
		t.Errorf("the earlier book.xlsx changed: %q", b)
	}
}

// A signal while Close waits for a file of AddFileFunc ends the run at
// once, with the earlier output kept, instead of after the build.
func TestAddFileFuncSignal(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	results := runConfig(t, testConfig(2024), testVariants)
	if err := Write(dir, results, Options{}); err != nil {
		t.Fatal(err)
	}
	marker, _ := os.ReadFile(filepath.Join(dir, outdir.MarkerFile))
	g := outdir.Watch(nil)
	defer g.Stop()
	w, err := Create(dir, Options{Guard: g})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		if err := w.Add(res); err != nil {
			t.Fatal(err)
		}
	}
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	if err := w.AddFileFunc("book.xlsx", func() ([]byte, error) {
		close(started)
		<-release // a build that takes long
		return []byte("late"), nil
	}); err != nil {
		t.Fatal(err)
	}
	<-started
	closed := make(chan error, 1)
	go func() { closed <- w.Close() }()
	time.Sleep(20 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	select {
	case err := <-closed:
		if !errors.Is(err, outdir.ErrInterrupted) {
			t.Errorf("Close = %v; want interrupted", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close still waits for the build after SIGHUP")
	}
	if m, _ := os.ReadFile(filepath.Join(dir, outdir.MarkerFile)); !bytes.Equal(m, marker) {
		t.Errorf("the earlier output changed")
	}
	if got, want := dirNames(t, root), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v; want %v", got, want)
	}
}
