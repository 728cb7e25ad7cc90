package cli

import "github.com/circular-partners/junkan/output/chart"

// Exported for tests.
var (
	Thousands = chart.FormatNumber
	Signed    = signed
)
