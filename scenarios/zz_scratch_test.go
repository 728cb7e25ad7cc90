package scenarios

import (
	"fmt"
	"testing"
)

func TestZZScratch(t *testing.T) {
	cases := []string{
		"x: &b {base_year: 2023, end_year: 2050}\nname: t\nregions: {source: synthetic}\nvariants: [{name: b}]\n",
		"name: t\n<<: {base_year: 2023, end_year: 2050}\nregions: {source: synthetic}\nvariants: [{name: b}]\n",
		"name: t\nbase_year: 2023\nend_year: 2050\nregions: {source: synthetic}\nvariants: [{name: b}]\ntransfer_coefficients: [{process: recycling, shares: {recyclate_output: 0.5, recyclate_output: 0.5}}]\n",
		"name: t\nbase_year: 2023\nend_year: 2050\nregions: {source: synthetic}\nvariants: [{name: b}]\ncomposition: {}\n",
		"name: t\nbase_year: 2023\nend_year: x\nregions: {source: synthetic}\nvariants: [{name: b}, {name: c, elements: [{element: ai_sorting, start_year: 2030}]}]\n",
	}
	for i, c := range cases {
		f, err := Parse("x.yaml", ".", []byte(c))
		fmt.Printf("--- case %d: f!=nil %v\n%v\n", i, f != nil, err)
		if f != nil {
			r, err := f.Build(".")
			fmt.Println(err)
			if r != nil {
				fmt.Println(r.Config.Composition[:8])
			}
		}
	}
}
