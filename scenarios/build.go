package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/circular-partners/junkan/internal/limit"
	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
	"github.com/paulmach/orb"
)

// InputFile is one file read by a run, with its SHA-256.
type InputFile struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	// Encoding is the encoding a CSV file was read in (utf-8 or cp932).
	Encoding string `json:"encoding,omitempty"`
}

// UsedParameter is a parameter value used by a run with its source: a
// default from the table or a scenario override.
type UsedParameter struct {
	Key       string   `json:"key"`
	Archetype string   `json:"archetype"`
	Material  string   `json:"material"`
	Regions   []string `json:"regions,omitempty"`
	Value     float64  `json:"value"`
	Unit      string   `json:"unit"`
	Kind      string   `json:"kind"` // cited, derived, assumption, or scenario
	Source    string   `json:"source"`
}

// Run is everything needed to simulate a scenario and write its outputs.
type Run struct {
	Scenario        *Scenario
	Config          sim.Config
	Variants        []sim.Variant
	Locations       []orb.Point // per region {lon, lat}; valid where HasLocation
	HasLocation     []bool
	Inputs          []InputFile
	Used            []UsedParameter
	RegionMaterials bool
	// RegionIndicators are the indicators written at level region; nil:
	// all.
	RegionIndicators []string
	Plots            bool
	// Incinerators is the facility table named in validation, or nil.
	Incinerators []regions.Incinerator
	// Blocks is the consolidation of the regions, when the scenario has a
	// consolidation section; nil otherwise.
	Blocks *Blocks
	// Stats are the base-year prefecture statistics, or nil.
	Stats map[string]regions.PrefectureStats
	// RegionInfo is, per region, its base-year source, survey row and
	// whether it is calibrated.
	RegionInfo []RegionInfo
	// Survey holds the municipal survey rows that give regions of the run
	// their base year (in file order), SurveyFile the file they come from.
	Survey     []regions.SurveyRow
	SurveyFile string
	// PrefectureCost is the published cost per person of each prefecture
	// (JPY/person/yr), nil if the scenario names none.
	PrefectureCost map[string]float64
	// Explicit lists the separate-collection shares the scenario set
	// itself, which calibration may rescale.
	Explicit []ExplicitSplit
	// FinalDisposalT and FinalDisposalSource are the validation reference
	// for national final disposal (t), 0 if none.
	FinalDisposalT      float64
	FinalDisposalSource string
}

// DataDir returns the directory relative data paths are resolved against:
// override if non-empty, else the scenario's data_dir relative to the file.
func (f *File) DataDir(override string) string {
	if override != "" {
		return override
	}
	if filepath.IsAbs(f.Scenario.DataDir) {
		return f.Scenario.DataDir
	}
	return filepath.Join(f.Dir, f.Scenario.DataDir)
}

// Build reads the data files of the scenario (relative to dataDir; see
// [File.DataDir]) and returns the simulation inputs. Errors are an
// ErrorList positioned at the field that names the bad file or value; data
// errors keep the data file's name, line and column in their message.
//
// Build reads the scenario construct by construct, each step its own
// method of builder: regions (and their base year), overrides, parameters,
// consolidation, variants (elements), validation data, targets, then the
// simulation configuration with products and demand, and the record of
// the defaults used.
func (f *File) Build(dataDir string) (*Run, error) {
	b := newBuilder(f, dataDir)
	if !b.regions() {
		return nil, b.list
	}
	b.surveyBaseYear()
	b.overrides()
	b.calibrationSwitch()
	b.parameters()
	b.consolidation()
	if err := b.variants(); err != nil {
		return nil, err
	}
	b.validationData()
	b.targets()
	if len(b.list) > 0 {
		b.list.sortByPosition()
		return nil, b.list
	}
	b.config()
	b.products()
	b.demand()
	b.recordDefaults()
	return b.run, nil
}

// builder holds the state shared by the steps of [File.Build].
//
// Steps: regions (with their locations, classification and prefecture base
// year), the survey base year, overrides, the calibration switch,
// parameters, consolidation, variants (elements), validation data,
// targets; then the configuration, products, demand and the defaults
// used.
type builder struct {
	f       *File
	s       *Scenario
	tab     *model.Table
	mats    []model.Material
	run     *Run
	list    ErrorList
	dataDir string

	usedKeys map[string]bool    // default keys the run looked up
	memo     map[valKey]float64 // defaults looked up so far

	regs         []sim.Region
	munsKept     []regions.Municipality // the municipalities in region order, nil for synthetic regions
	allMuns      []regions.Municipality // every municipality of the file (to check survey codes against)
	groupWeights []float64              // group collection weight per material, nil without a survey
	explicitAt   map[int]int            // cell → index into run.Explicit
	index        map[string]int         // region code → index in regs
	codes        []string               // region codes in order
	comp         []float64              // region × material composition
	params       []model.Params         // region × material parameters
	// encodings are the declared encodings of data files, by path.
	encodings map[string]string
}

type valKey struct {
	key string
	a   model.Archetype
	mat string
}

func newBuilder(f *File, dataDir string) *builder {
	s := &f.Scenario
	mats := model.DefaultMaterials()
	for _, p := range model.DefaultProducts() {
		for _, ps := range s.Products {
			if ps.ID == p.ID {
				mats = append(mats, p)
			}
		}
	}
	run := &Run{Scenario: s, RegionMaterials: true, Plots: true}
	if s.Outputs.RegionMaterials != nil {
		run.RegionMaterials = *s.Outputs.RegionMaterials
	}
	if s.Outputs.Plots != nil {
		run.Plots = *s.Outputs.Plots
	}
	run.RegionIndicators = s.Outputs.RegionIndicators
	b := &builder{f: f, s: s, tab: model.Defaults(), mats: mats, run: run, dataDir: dataDir,
		usedKeys: map[string]bool{}, memo: map[valKey]float64{}}
	if f.Path != "" {
		b.addInput("scenario", f.Path)
	}
	return b
}

// bad records an error at the scenario field path.
func (b *builder) bad(path, format string, a ...any) {
	for i, x := range a {
		if err, ok := x.(error); ok {
			a[i] = b.missing(err)
		}
	}
	b.list = append(b.list, b.f.at(path, format, a...))
}

// missing rewrites a data file that does not exist into a message that
// says where it was looked for and how to point junkan elsewhere; other
// errors are returned as they are.
func (b *builder) missing(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return missingFile{pe, b.dataDir}
}

// missingFile is a data file that does not exist, told with where it was
// looked for; it unwraps to the *fs.PathError.
type missingFile struct {
	err     *fs.PathError
	dataDir string
}

func (e missingFile) Error() string {
	return fmt.Sprintf("%s not found (data directory %s: set data_dir in the scenario, or give --data DIR or JUNKAN_DATA_DIR)", e.err.Path, e.dataDir)
}

func (e missingFile) Unwrap() error { return e.err }

// val returns the default of key for archetype a and material mat, and
// records the key as used.
func (b *builder) val(key string, a model.Archetype, mat string) float64 {
	b.usedKeys[key] = true
	if v, ok := b.memo[valKey{key, a, mat}]; ok {
		return v
	}
	v, err := b.tab.Value(key, a, mat)
	if err != nil {
		panic(err) // the embedded table is complete; tests check it
	}
	b.memo[valKey{key, a, mat}] = v
	return v
}

// abs resolves a data path against the data directory.
func (b *builder) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(b.dataDir, p)
}

// addInput records a file read by the run, once, with its SHA-256.
func (b *builder) addInput(role, path string) {
	for _, in := range b.run.Inputs {
		if in.Path == filepath.ToSlash(path) {
			return
		}
	}
	sum, err := sha256File(path)
	if err == nil {
		in := InputFile{Role: role, Path: filepath.ToSlash(path), SHA256: sum}
		if strings.EqualFold(filepath.Ext(path), ".csv") {
			in.Encoding, _ = regions.FileEncoding(path, b.encodings[path])
		}
		b.run.Inputs = append(b.run.Inputs, in)
	}
}

// checkRegions reports the codes of rs that name no region of the run.
func (b *builder) checkRegions(path string, rs []string) {
	for j, c := range rs {
		if _, ok := b.index[c]; !ok {
			b.bad(fmt.Sprintf("%s[%d]", path, j), "unknown region %q%s", c, model.Suggest(c, b.codes))
		}
	}
}

// sortByPosition orders the list by line, then column, keeping the order
// of errors at the same position.
func (l ErrorList) sortByPosition() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Column < l[j].Column
	})
}

// config assembles the simulation configuration of the sound run.
func (b *builder) config() {
	s := b.s
	b.run.Config = sim.Config{BaseYear: s.BaseYear, EndYear: s.EndYear, Materials: b.mats, Regions: b.regs,
		Composition: b.comp, Params: b.params, StepsPerYear: s.StepsPerYear, GroupCollectionWeights: b.groupWeights}
}

// recordDefaults records every default the run used (after the products
// and demand looked theirs up), ahead of the scenario's own values.
func (b *builder) recordDefaults() {
	var used []UsedParameter
	for _, fa := range b.tab.Facts {
		if b.usedKeys[fa.Key] {
			used = append(used, UsedParameter{Key: fa.Key, Archetype: fa.Archetype, Material: fa.Material, Value: fa.Value,
				Unit: fa.Unit, Kind: fa.Kind, Source: fa.Source})
		}
	}
	b.run.Used = append(used, b.run.Used...)
}

func orStar(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// sha256File hashes an input file (regular files within the limits of
// package limit; others are not hashed).
func sha256File(path string) (string, error) {
	fh, err := limit.OpenRegular(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
