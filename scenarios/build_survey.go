package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/sim"
)

// Base-year sources of a region (Run.RegionInfo, regions.csv, manifest).
const (
	SourceSurvey     = "municipal survey"
	SourcePrefecture = "prefecture"
	SourceNational   = "national default"
	SourceSynthetic  = "synthetic"
	SourceOverride   = "override"
)

// RegionInfo is what a run knows of each region beyond sim.Region.
type RegionInfo struct {
	// BaseYearSource says where the base-year generation and recycling
	// rate come from: municipal survey, prefecture, national default,
	// synthetic or override.
	BaseYearSource string
	// SurveyCode is the survey row the region's base year comes from ("" if
	// none): its own code, or the row standing for several (13100 for the
	// 23 special wards).
	SurveyCode string
	// SurveyFlags are the oddities the survey file flags on that row, kept
	// as published.
	SurveyFlags []string
	// Calibrate is false when the scenario or an override turned
	// calibration off for the region.
	Calibrate bool
}

// ExplicitSplit is a separate-collection share the scenario set itself
// (parameters: separate_collection_share or transfer_coefficients:
// collection) on one region and material, which calibration may rescale.
type ExplicitSplit struct {
	Region, Material int
	Value            float64
	Source           string // scenario field
}

// selectMunicipalities keeps the municipalities named by prefectures: and
// codes: (either; both empty: all). Unknown names and codes are errors
// with a did-you-mean.
func (b *builder) selectMunicipalities(all []regions.Municipality) []regions.Municipality {
	ms := b.s.Regions.Municipalities
	if len(ms.Prefectures) == 0 && len(ms.Codes) == 0 {
		return all
	}
	prefs := map[string]bool{}
	for _, m := range all {
		prefs[m.Prefecture] = true
	}
	var prefNames []string
	for p := range prefs {
		prefNames = append(prefNames, p)
	}
	slices.Sort(prefNames)
	for i, p := range ms.Prefectures {
		if !prefs[p] {
			b.bad(fmt.Sprintf("regions.municipalities.prefectures[%d]", i), "unknown prefecture %q: no row of %s has it (names are written in full, e.g. \"埼玉県\")%s",
				p, ms.File, model.Suggest(p, prefNames))
		}
	}
	byCode := map[string]int{}
	var codes []string
	for i, m := range all {
		byCode[m.Code] = i
		codes = append(codes, m.Code)
	}
	want := map[string]bool{}
	for i, c := range ms.Codes {
		if _, ok := byCode[c]; ok {
			want[c] = true
			continue
		}
		b.bad(fmt.Sprintf("regions.municipalities.codes[%d]", i), "unknown municipality code %q in %s%s", c, ms.File, suggestMunicipality(c, all, codes))
	}
	var out []regions.Municipality
	for _, m := range all {
		if want[m.Code] || slices.Contains(ms.Prefectures, m.Prefecture) {
			out = append(out, m)
		}
	}
	return out
}

// suggestMunicipality is a did-you-mean for an unknown code: by name when c
// is a municipality's name, else the nearest codes with their names.
func suggestMunicipality(c string, all []regions.Municipality, codes []string) string {
	var named []string
	for _, m := range all {
		if m.Name == c || strings.TrimSpace(m.Prefecture+m.Name) == c {
			named = append(named, fmt.Sprintf("%s (%s %s)", m.Code, m.Prefecture, m.Name))
		}
	}
	if len(named) > 0 {
		return fmt.Sprintf(" (%q is a name: its code is %s; codes are 5-digit strings)", c, strings.Join(named, " or "))
	}
	var near []string
	best := -1
	for i, m := range all {
		d := codeDistance(c, codes[i])
		switch {
		case best < 0 || d < best:
			best, near = d, []string{fmt.Sprintf("%s (%s %s)", m.Code, m.Prefecture, m.Name)}
		case d == best && len(near) < 3:
			near = append(near, fmt.Sprintf("%s (%s %s)", m.Code, m.Prefecture, m.Name))
		}
	}
	if best < 0 || best > 2 {
		return ""
	}
	return "; did you mean " + strings.Join(near, ", ") + "?"
}

// codeDistance counts the positions at which two codes differ, a
// transposition of neighbours counting once.
func codeDistance(a, b string) int {
	if len(a) != len(b) {
		return 99
	}
	d := 0
	for i := 0; i < len(a); i++ {
		if a[i] == b[i] {
			continue
		}
		if i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] {
			d++
			i++
			continue
		}
		d++
	}
	return d
}

// surveyBaseYear gives each municipality with a survey row its own base
// year: per-capita generation so that its tonnage is the row's (the rows
// standing for several municipalities, such as 13100 for the 23 special
// wards, are split by population: each has the same per-capita figures),
// the row's recycling rate R and R′, group collection and direct
// landfill. all are every municipality of the municipalities file, to
// check the row codes against.
func (b *builder) surveyBaseYear() {
	all := b.allMuns
	ws := b.s.Regions.WasteSurvey
	if ws == nil {
		return
	}
	c := ws.Columns
	path := b.abs(ws.File)
	cols := regions.SurveyColumns{Code: c.Code, Name: c.Name, Covers: c.Covers, Population: c.Population, TotalT: c.TotalT,
		GroupCollectionT: c.GroupCollectionT, TreatedT: c.TreatedT, FinalDisposalT: c.FinalDisposalT,
		ReductionRatePct: c.ReductionRatePct, RecyclingRatePct: c.RecyclingRatePct, RecyclingRateR2Pct: c.RecyclingRateR2Pct,
		Flags: c.Flags, FiscalYear: c.FiscalYear}
	rows, err := regions.LoadSurvey(path, cols)
	if err != nil {
		b.bad("regions.waste_survey.file", "%w", err)
		return
	}
	b.addInput("waste_survey", path)
	pop := map[string]float64{}
	var codes []string
	for _, m := range all {
		pop[m.Code] = m.Population
		codes = append(codes, m.Code)
	}
	s := b.s
	used := false
	for k := range rows {
		row := &rows[k]
		var covPop float64
		ok := true
		for _, x := range row.Covers {
			p, known := pop[x]
			if !known {
				b.bad("regions.waste_survey.file", "%w", &regions.DataError{File: path, Line: row.Line, Column: orDefault(c.Covers, c.Code),
					Err: fmt.Errorf("code %q is not among the municipalities of %s%s", x, s.Regions.Municipalities.File, suggestMunicipality(x, all, codes))})
				ok = false
				continue
			}
			covPop += p
		}
		if row.FiscalYear != 0 && row.FiscalYear != s.BaseYear {
			b.bad("regions.waste_survey.file", "%w", &regions.DataError{File: path, Line: row.Line, Column: c.FiscalYear,
				Err: fmt.Errorf("row for FY%d, base_year is %d", row.FiscalYear, s.BaseYear)})
			ok = false
		}
		if !ok {
			continue
		}
		inRun := false
		for _, x := range row.Covers {
			r, found := b.index[x]
			if !found {
				continue
			}
			inRun = true
			g := &b.regs[r]
			if covPop > 0 {
				g.PerCapitaGPerDay = model.PerCapitaGPerDay(row.TotalT, covPop, s.BaseYear)
			} else {
				g.PerCapitaGPerDay = 0
			}
			g.RecyclingRate = row.RecyclingRatePct / 100
			sv := &sim.Survey{DirectLandfillRate: -1, RecyclingRateR2: -1}
			if row.TotalT > 0 {
				sv.GroupCollectionRate = row.GroupCollectionT / row.TotalT
			}
			if row.HasReductionRate {
				sv.DirectLandfillRate = 1 - row.ReductionRatePct/100
			}
			if row.HasR2 {
				sv.RecyclingRateR2 = row.RecyclingRateR2Pct / 100
			}
			g.Survey = sv
			info := &b.run.RegionInfo[r]
			info.BaseYearSource, info.SurveyCode, info.SurveyFlags = SourceSurvey, row.Code, row.Flags
		}
		if inRun {
			b.run.Survey = append(b.run.Survey, *row)
			used = true
		}
	}
	b.run.SurveyFile = path
	if used {
		b.groupWeights = make([]float64, len(b.mats))
		for i, m := range b.mats {
			if !m.Durable {
				b.groupWeights[i] = b.val("group_collection_eligible", 0, m.ID)
			}
		}
	}
}

// calibrationSwitch applies calibrate: false (scenario-wide or per
// override): the region's parameters stand as written.
func (b *builder) calibrationSwitch() {
	off := b.s.Calibrate != nil && !*b.s.Calibrate
	for r := range b.regs {
		b.run.RegionInfo[r].Calibrate = !off
	}
	for _, o := range b.s.Regions.Overrides {
		if r, ok := b.index[o.Code]; ok && o.Calibrate != nil {
			b.run.RegionInfo[r].Calibrate = *o.Calibrate
		}
	}
	for r := range b.regs {
		if !b.run.RegionInfo[r].Calibrate {
			b.regs[r].RecyclingRate = -1
			b.regs[r].Survey = nil
		}
	}
}
