package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/circular-partners/junkan/model"
)

func paramsCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("params", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asCSV := fs.Bool("csv", false, "print the table as CSV")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput(fmt.Errorf("params: unexpected argument %q", pos[0]))
	}
	if *asCSV {
		_, err := io.WriteString(stdout, model.DefaultsCSV())
		return err
	}
	t := model.Defaults()
	counts := map[string]int{}
	for _, f := range t.Facts {
		counts[f.Kind]++
		fmt.Fprintf(stdout, "%s [archetype %s, material %s] = %v %s (%s)\n    source: %s\n", f.Key, f.Archetype,
			f.Material, f.Value, f.Unit, f.Kind, f.Source)
		if f.Note != "" {
			fmt.Fprintf(stdout, "    note: %s\n", f.Note)
		}
	}
	fmt.Fprintf(stdout, "\n%d parameters: %d cited, %d derived, %d assumption. Machine-readable: junkan params --csv\n",
		len(t.Facts), counts[model.KindCited], counts[model.KindDerived], counts[model.KindAssumption])
	return nil
}

func elementsCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("elements: unexpected argument %q", args[0]))
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
