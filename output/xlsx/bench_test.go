package xlsx

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/circular-partners/junkan/output"
)

// japanView is a view of the size of scenarios/japan-2050.yaml: 1,741
// regions, four variants, five report years, scopes msw and all, with
// figures of realistic magnitudes.
func japanView() *output.View {
	const R, V, K = 1741, 4, 5
	rng := rand.New(rand.NewPCG(3, 4))
	v := &output.View{BaseYear: 2023, EndYear: 2050, ReportYears: []int{2023, 2030, 2035, 2040, 2050}}
	for r := range R {
		v.Regions = append(v.Regions, output.ViewRegion{Code: fmt.Sprintf("%05d", 1000+r),
			Name: "市区町村" + fmt.Sprint(r), Prefecture: "都道府県", Archetype: "abcde"[r%5 : r%5+1]})
	}
	h := func(scale float64) output.Headline {
		f := func(x float64) float64 { return x * scale * (0.5 + rng.Float64()) }
		return output.Headline{WastePerCapita: f(900), WasteGenerated: f(3e4), RecyclingRate: f(20), FinalDisposal: f(3e3),
			Incinerated: f(2e4), CostPerCapita: f(1.5e4), CostTotal: f(1e9), GHGNet: f(1e4), CEMarket: f(1e8), Jobs: f(50),
			InletCircularUseRate: f(5), OutletCircularUseRate: f(20), Population: f(7e4)}
	}
	for i := range V {
		v.Variants = append(v.Variants, fmt.Sprintf("variant-%d", i))
		var tot, totMSW []output.Headline
		for range 28 {
			tot, totMSW = append(tot, h(1741)), append(totMSW, h(1700))
		}
		v.Totals, v.TotalsMSW = append(v.Totals, tot), append(v.TotalsMSW, totMSW)
		ry, ryMSW := make([]output.Headline, R*K), make([]output.Headline, R*K)
		for j := range ry {
			ry[j], ryMSW[j] = h(1), h(0.95)
		}
		v.RegionYears, v.RegionYearsMSW = append(v.RegionYears, ry), append(v.RegionYearsMSW, ryMSW)
	}
	return v
}

// BenchmarkWriteJapan writes the workbook of an all-Japan-sized view
// (69,640 rows in the municipalities sheet), with the municipalities sheet
// written by fastRows and, for the ratio, through excelize's stream writer
// (both compressed once by pack). MB is the size of the file.
func BenchmarkWriteJapan(b *testing.B) {
	v := japanView()
	for _, fast := range []bool{true, false} {
		name := "fast"
		if !fast {
			name = "excelize"
		}
		b.Run(name, func(b *testing.B) {
			fastSheets = fast
			defer func() { fastSheets = true }()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, v, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len())/1e6, "MB")
		})
	}
}
