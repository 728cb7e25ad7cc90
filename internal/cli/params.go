package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/model"
)

func paramsCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("params", stderr)
	asCSV := fs.Bool("csv", false, "print the (filtered) table as CSV")
	material := fs.String("material", "", "only parameters of this material or product `ID` (and those for all materials)")
	kind := fs.String("kind", "", "only parameters of this `KIND`: cited, derived or assumption")
	archetype := fs.String("archetype", "", "only parameters of this archetype `LETTER` a–e (and those for all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	t := model.Defaults()
	if err := checkParamsFilter(t, *material, *kind, *archetype); err != nil {
		return err
	}
	// Words match the key, the source or the note (case-insensitive); a
	// parameter must match every word.
	var facts []model.Fact
	for _, f := range t.Facts {
		if matchFact(f, pos, *material, *kind, *archetype) {
			facts = append(facts, f)
		}
	}
	if len(facts) == 0 {
		keys := make([]string, 0, len(t.Facts))
		for _, f := range t.Facts {
			if !slices.Contains(keys, f.Key) {
				keys = append(keys, f.Key)
			}
		}
		hint := ""
		if len(pos) == 1 {
			if s := model.Suggest(pos[0], keys); strings.HasPrefix(s, " (did you mean") {
				hint = s
			}
		}
		return badInput(fmt.Errorf("params: no parameter matches %s%s", strings.Join(append(pos, flagWords(*material, *kind, *archetype)...), " "), hint))
	}
	if *asCSV {
		cw := csv.NewWriter(stdout)
		cw.Write([]string{"key", "archetype", "material", "value", "unit", "kind", "source", "note"})
		for _, f := range facts {
			cw.Write([]string{f.Key, f.Archetype, f.Material, strconv.FormatFloat(f.Value, 'g', -1, 64), f.Unit, f.Kind, f.Source, f.Note})
		}
		cw.Flush()
		return cw.Error()
	}
	counts := map[string]int{}
	for _, f := range facts {
		counts[f.Kind]++
		fmt.Fprintf(stdout, "%s [archetype %s, material %s] = %v %s (%s)\n    source: %s\n", f.Key, f.Archetype,
			f.Material, f.Value, f.Unit, f.Kind, f.Source)
		if f.Note != "" {
			fmt.Fprintf(stdout, "    note: %s\n", f.Note)
		}
	}
	of := ""
	if len(facts) < len(t.Facts) {
		of = fmt.Sprintf(" of %d", len(t.Facts))
	}
	fmt.Fprintf(stdout, "\n%d%s parameters: %d cited, %d derived, %d assumption. Machine-readable: junkan params --csv\n",
		len(facts), of, counts[model.KindCited], counts[model.KindDerived], counts[model.KindAssumption])
	return nil
}

// checkParamsFilter rejects a filter value that no parameter can have.
func checkParamsFilter(t *model.Table, material, kind, archetype string) error {
	switch kind {
	case "", model.KindCited, model.KindDerived, model.KindAssumption:
	default:
		return badInput(fmt.Errorf("params: --kind %q: want cited, derived or assumption", kind))
	}
	if archetype != "" {
		if _, err := model.ParseArchetype(archetype); err != nil {
			return badInput(fmt.Errorf("params: --archetype %q: want one of a, b, c, d, e", archetype))
		}
	}
	if material != "" {
		var ids []string
		for _, m := range append(model.DefaultMaterials(), model.DefaultProducts()...) {
			ids = append(ids, m.ID)
		}
		for _, f := range t.Facts {
			if f.Material != "*" && !slices.Contains(ids, f.Material) {
				ids = append(ids, f.Material)
			}
		}
		if !slices.Contains(ids, material) {
			return badInput(fmt.Errorf("params: --material %q: unknown material or product%s", material, model.Suggest(material, ids)))
		}
	}
	return nil
}

// matchFact reports whether f matches every word (in its key, source or
// note) and the filters.
func matchFact(f model.Fact, words []string, material, kind, archetype string) bool {
	if material != "" && f.Material != material && f.Material != "*" {
		return false
	}
	if kind != "" && f.Kind != kind {
		return false
	}
	if archetype != "" && f.Archetype != archetype && f.Archetype != "*" {
		return false
	}
	text := strings.ToLower(f.Key + "\x00" + f.Source + "\x00" + f.Note)
	for _, w := range words {
		if !strings.Contains(text, strings.ToLower(w)) {
			return false
		}
	}
	return true
}

func flagWords(material, kind, archetype string) []string {
	var out []string
	for _, p := range [][2]string{{"--material", material}, {"--kind", kind}, {"--archetype", archetype}} {
		if p[1] != "" {
			out = append(out, p[0]+" "+p[1])
		}
	}
	return out
}

func elementsCmd(args []string, stdout, stderr io.Writer) error {
	if err := noArgs("elements", args, stderr); err != nil {
		return err
	}
	mats := append(model.DefaultMaterials(), model.DefaultProducts()...)
	lib, err := model.Library(model.Defaults(), mats)
	if err != nil {
		return err
	}
	tab := model.Defaults()
	for _, e := range lib {
		fmt.Fprintf(stdout, "%s  %s  [stage: %s]\n    %s\n", e.ID, e.NameJA, e.Stage, e.Description)
		// One line per magnitude key: the parameters it changes and on
		// which rows.
		for _, key := range e.MagnitudeKeys {
			var params, rows []string
			var op string
			for _, ef := range e.Effects {
				if ef.Key != key {
					continue
				}
				op = ef.Op.String()
				if !slices.Contains(params, ef.Param.String()) {
					params = append(params, ef.Param.String())
				}
				if !slices.Contains(rows, ef.Material) {
					rows = append(rows, ef.Material)
				}
			}
			f, _ := tab.Lookup(key, 0, "")
			if key == "ai_sorting.capex_per_t" {
				op = "annualised (discount_rate, capex_life_years), " + op
			}
			if key == "collection_incentives.cost_per_capita" {
				op = "divided by the national t/person/yr, " + op
			}
			if op == "" {
				fmt.Fprintf(stdout, "    %s = %v %s (%s) — %s\n", key, f.Value, f.Unit, f.Kind, f.Source)
				continue
			}
			fmt.Fprintf(stdout, "    %s = %v %s (%s): %s %s on %s\n      source: %s\n", key, f.Value, f.Unit, f.Kind, op,
				strings.Join(params, ", "), strings.Join(rows, ", "), f.Source)
		}
	}
	fmt.Fprintln(stdout, "\nOverride any magnitude in a variant: elements: [{element: ID, start_year: Y, magnitudes: {KEY: VALUE}}]")
	return nil
}
