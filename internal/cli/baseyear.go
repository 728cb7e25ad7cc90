package cli

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/scenarios"
	"github.com/circular-partners/junkan/sim"
)

// CalibrationChange is a value the scenario set itself that calibration
// changed (manifest.json "calibration_changes").
type CalibrationChange struct {
	Region     string  `json:"region"`
	Material   string  `json:"material"`
	Parameter  string  `json:"parameter"`
	Written    float64 `json:"written"`
	Calibrated float64 `json:"calibrated"`
	Field      string  `json:"field"` // scenario field that set it
}

// calibrationChanges lists the separate-collection shares the scenario set
// that calibration rescaled.
func calibrationChanges(run *scenarios.Run, m *sim.Model) []CalibrationChange {
	var out []CalibrationChange
	mats, regs := run.Config.Materials, run.Config.Regions
	for _, e := range run.Explicit {
		got := m.BaseParams(e.Region, e.Material)[model.SeparateCollection]
		if got == e.Value {
			continue
		}
		out = append(out, CalibrationChange{Region: regs[e.Region].Code, Material: mats[e.Material].ID,
			Parameter: model.SeparateCollection.String(), Written: e.Value, Calibrated: got, Field: e.Source})
	}
	return out
}

// warnCalibration prints to w one warning per region whose explicit split
// calibration rescaled, and to notes how many regions could not reach
// every base-year figure.
func warnCalibration(w, notes io.Writer, run *scenarios.Run, m *sim.Model, changes []CalibrationChange) {
	seen := map[string]bool{}
	for _, c := range changes {
		if seen[c.Region] {
			continue
		}
		seen[c.Region] = true
		n := 0
		for _, d := range changes {
			if d.Region == c.Region {
				n++
			}
		}
		fmt.Fprintf(w, "junkan: warning: region %s: calibration to the base-year recycling rate changed the separate_collection_share you set (%s: %s %g → %g", c.Region,
			c.Field, c.Material, c.Written, c.Calibrated)
		if n > 1 {
			fmt.Fprintf(w, ", and %d more", n-1)
		}
		fmt.Fprintln(w, "); both values are in manifest.json; set calibrate: false (for the scenario, or in regions.overrides for the region) to keep what you wrote")
	}
	var unreached int
	for r := range m.Calibrations {
		if len(m.Calibrations[r].Unreached) > 0 {
			unreached++
		}
	}
	if unreached > 0 {
		fmt.Fprintf(notes, "junkan: note: %d region(s) cannot reach every base-year figure of their survey row exactly; manifest.json lists what (regions[].calibration.unreached)\n", unreached)
	}
}

// ManifestCalibration is what calibration set for a region.
type ManifestCalibration struct {
	GroupCollectionPct  *float64 `json:"group_collection_pct,omitempty"`  // of waste generated
	DirectLandfillShare *float64 `json:"direct_landfill_share,omitempty"` // of mixed collection
	FuelCementShare     *float64 `json:"fuel_cement_share,omitempty"`     // of mixed collection not landfilled
	AshRecyclingScale   float64  `json:"ash_recycling_scale"`             // multiplier on ash_recycling_share
	Unreached           []string `json:"unreached,omitempty"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// manifestBaseYear fills the base-year source, survey row, flags and
// calibration of each region of the manifest.
func manifestBaseYear(mf *Manifest, run *scenarios.Run, m *sim.Model) {
	for r := range mf.Regions {
		mr := &mf.Regions[r]
		if r < len(run.RegionInfo) {
			in := run.RegionInfo[r]
			mr.BaseYearSource, mr.SurveyCode, mr.SurveyFlags, mr.Calibrated = in.BaseYearSource, in.SurveyCode, in.SurveyFlags, in.Calibrate
		}
		c := m.Calibrations[r]
		mc := &ManifestCalibration{GroupCollectionPct: num(c.GroupCollectionRate * 100), DirectLandfillShare: num(c.DirectLandfillShare),
			FuelCementShare: num(c.FuelCementShare), AshRecyclingScale: c.AshRecyclingScale, Unreached: c.Unreached}
		if mc.GroupCollectionPct != nil || len(mc.Unreached) > 0 || c.AshRecyclingScale != 1 {
			mr.Calibration = mc
		}
	}
	if run.SurveyFile != "" {
		mf.SurveyMunicipalities = len(run.Survey)
	}
}

// regionsCSV is regions.csv: one row per region with code, name,
// prefecture, archetype, base-year population, base-year source, lon, lat
// and block id (when consolidated).
func regionsCSV(run *scenarios.Run) []byte {
	var b bytes.Buffer
	b.WriteString("code,name,prefecture,archetype,population,base_year_source,survey_code,lon,lat,block\n")
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for r, g := range run.Config.Regions {
		src, sc := "", ""
		if r < len(run.RegionInfo) {
			src, sc = run.RegionInfo[r].BaseYearSource, run.RegionInfo[r].SurveyCode
		}
		lon, lat := "", ""
		if r < len(run.HasLocation) && run.HasLocation[r] {
			lon, lat = f(run.Locations[r][0]), f(run.Locations[r][1])
		}
		block := ""
		if bl := run.Blocks; bl != nil && r < len(bl.RegionBlock) {
			block = bl.Result.Blocks[bl.RegionBlock[r]].ID
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", csvCell(g.Code), csvCell(g.Name), csvCell(g.Prefecture),
			g.Archetype.String(), f(g.Population), csvCell(src), csvCell(sc), lon, lat, csvCell(block))
	}
	return b.Bytes()
}

// csvCell quotes a CSV field when it needs it.
func csvCell(s string) string {
	for _, c := range s {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			var b bytes.Buffer
			b.WriteByte('"')
			for _, d := range s {
				if d == '"' {
					b.WriteByte('"')
				}
				b.WriteRune(d)
			}
			b.WriteByte('"')
			return b.String()
		}
	}
	return s
}

// surveyValidation adds the checks against the municipal survey (final
// disposal per surveyed municipality) and the prefecture cost per person.
func surveyValidation(val *output.Validation, res *sim.Result, run *scenarios.Run) {
	if len(run.Survey) > 0 {
		idx := map[string]int{}
		for r, g := range run.Config.Regions {
			idx[g.Code] = r
		}
		var rows []output.SurveyRef
		for _, row := range run.Survey {
			if !row.HasFinalDisposal {
				continue
			}
			ref := output.SurveyRef{Code: row.Code, Name: row.Name, FinalDisposalT: row.FinalDisposalT}
			for _, c := range row.Covers {
				if r, ok := idx[c]; ok {
					ref.Regions = append(ref.Regions, r)
				}
			}
			if len(ref.Regions) == len(row.Covers) { // every municipality of the row is in the run
				rows = append(rows, ref)
			}
		}
		val.SurveyChecks(res, rows, "環境省 一般廃棄物処理実態調査 令和5年度: 最終処分量 per municipality (not calibrated)")
	}
	if run.PrefectureCost != nil {
		val.CostChecks(res, run.PrefectureCost, "環境省 一般廃棄物処理実態調査 令和5年度: ごみ処理事業経費 per person (jp_prefecture_waste_cost_fy2023_moe.csv)")
	}
}
