package cli

// Exported for tests.
var (
	Thousands = thousands
	Signed    = signed
)
