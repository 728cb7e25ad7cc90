package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// Scale is how an axis shows a quantity: values are divided by Div and
// the axis label carries Unit, e.g. tonnes in 万t (Div 1e4).
type Scale struct {
	Div  float64
	Unit string // unit as printed on the axis, e.g. "万t", "億円", "%"
}

// ScaleFor returns the scale for values in unit (a junkan output unit:
// t, JPY, JPY/person/yr, tCO2e, FTE, %, g/person/day, MWh, t·km, persons)
// whose largest magnitude is maxAbs, in the style's language.
func (s *Style) ScaleFor(unit string, maxAbs float64) Scale {
	ja := s.Lang == "ja"
	big := func(jaUnit, enUnit string) Scale {
		switch {
		case ja && maxAbs >= 1e8:
			return Scale{1e8, "億" + jaUnit}
		case ja && maxAbs >= 1e4:
			return Scale{1e4, "万" + jaUnit}
		case ja:
			return Scale{1, jaUnit}
		case maxAbs >= 1e9:
			return Scale{1e9, "billion " + enUnit}
		case maxAbs >= 1e6:
			return Scale{1e6, "million " + enUnit}
		case maxAbs >= 1e4:
			return Scale{1e3, "thousand " + enUnit}
		}
		return Scale{1, enUnit}
	}
	switch unit {
	case "t":
		return big("t", "t")
	case "JPY":
		return big("円", "JPY")
	case "tCO2e":
		return big("tCO2e", "tCO2e")
	case "MWh":
		return big("MWh", "MWh")
	case "t·km":
		return big("t·km", "t·km")
	case "persons":
		return big("人", "persons")
	case "FTE":
		return Scale{1, s.T("人 (FTE)", "FTE")}
	case "JPY/person/yr":
		return Scale{1, s.T("円/人/年", "JPY/person/yr")}
	case "g/person/day":
		return Scale{1, s.T("g/人/日", "g/person/day")}
	case "%":
		return Scale{1, "%"}
	}
	return Scale{1, unit}
}

// FormatNumber formats v with thousands separators and dec decimals
// (1234567.8, 1 → "1,234,567.8"). NaN and ±Inf print as "–".
func FormatNumber(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// decimalsFor returns the decimals needed to tell apart values step apart.
func decimalsFor(step float64) int {
	if !(step > 0) || math.IsInf(step, 0) {
		return 0
	}
	d := int(math.Ceil(-math.Log10(step) - 1e-9))
	return min(max(d, 0), 6)
}

// humanTicks labels the ticks of plot.DefaultTicks divided by div, with
// thousands separators and just enough decimals.
type humanTicks struct{ div float64 }

func (h humanTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	var major []float64
	for _, t := range ts {
		if t.Label != "" {
			major = append(major, t.Value)
		}
	}
	step := 0.0
	if len(major) > 1 {
		step = (major[1] - major[0]) / h.div
	}
	dec := decimalsFor(step)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = FormatNumber(ts[i].Value/h.div, dec)
		}
	}
	return ts
}

// logTicks labels a log axis (powers of ten and 2, 5 between) in the
// scale's division.
type logTicks struct{ div float64 }

func (l logTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.LogTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			v := ts[i].Value / l.div
			ts[i].Label = FormatNumber(v, decimalsFor(v))
		}
	}
	return ts
}

// yearTicks marks whole fiscal years: labelled every 1, 2, 5, 10 … years
// (at most 8 labels).
type yearTicks struct{}

func (yearTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := math.Ceil(lo), math.Floor(hi)
	if !(b >= a) || b-a > 1e5 {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := 1.0
	for i := 0; (b-a)/step > 7; i++ {
		step *= [...]float64{2, 2.5, 2}[i%3]
	}
	var ts []plot.Tick
	for y := a; y <= b; y++ {
		switch {
		case math.Mod(y, step) == 0:
			ts = append(ts, plot.Tick{Value: y, Label: strconv.Itoa(int(y))})
		case b-a <= 60:
			ts = append(ts, plot.Tick{Value: y})
		}
	}
	return ts
}
