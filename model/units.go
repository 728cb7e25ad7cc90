package model

// DaysInFY returns the number of days in Japanese fiscal year fy
// (1 April fy to 31 March fy+1): 366 when February of fy+1 has 29 days,
// else 365.
//
// FY2023 has 366 days, because February 2024 has 29: the national figure
// 38,974,270 t ÷ 125,068,896 persons ÷ 366 d = 851 g/person/day is the
// published one.
func DaysInFY(fy int) int {
	y := fy + 1
	if (y%4 == 0 && y%100 != 0) || y%400 == 0 {
		return 366
	}
	return 365
}

// PerCapitaGPerDay returns waste per person per day in g from a mass in t
// over one fiscal year: t × 10⁶ ÷ persons ÷ days. It returns 0 when
// persons is not positive (never NaN).
func PerCapitaGPerDay(tonnes, persons float64, fy int) float64 {
	if persons <= 0 {
		return 0
	}
	return tonnes * 1e6 / persons / float64(DaysInFY(fy))
}
