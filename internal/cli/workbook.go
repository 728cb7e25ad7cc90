package cli

import (
	"bytes"

	"github.com/circular-partners/junkan/output"
	"github.com/circular-partners/junkan/output/xlsx"
	"github.com/circular-partners/junkan/scenarios"
)

// WorkbookFile is the Excel workbook every run writes.
const WorkbookFile = "summary.xlsx"

// addWorkbook builds summary.xlsx from the view of the run and adds it to
// the outputs of w.
func addWorkbook(w *output.Writer, view *output.View, f *scenarios.File, run *scenarios.Run, val *output.Validation, lang string) error {
	opt := xlsx.Options{Lang: lang, Scenario: run.Scenario.Name, Version: Version(), Validation: val}
	for _, p := range run.Used {
		opt.Params = append(opt.Params, xlsx.Param{Key: p.Key, Archetype: p.Archetype, Material: p.Material,
			Regions: p.Regions, Value: p.Value, Unit: p.Unit, Kind: p.Kind, Source: p.Source})
	}
	// Built while Close writes the other outputs.
	return w.AddFileFunc(WorkbookFile, func() ([]byte, error) {
		var b bytes.Buffer
		if err := xlsx.Write(&b, view, opt); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	})
}
