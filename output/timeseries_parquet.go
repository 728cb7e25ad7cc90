package output

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/circular-partners/junkan/output/parquet"
)

// TimeseriesParquetFile is the Parquet form of timeseries.csv: the same
// columns, year as INT32 and value as DOUBLE (the 12 significant digits of
// the CSV), text columns dictionary-encoded.
const TimeseriesParquetFile = "timeseries.parquet"

// timeseriesParquet converts dir/timeseries.csv into timeseries.parquet for
// format "parquet" or "both", and removes the CSV for "parquet".
func timeseriesParquet(dir, format string) error {
	switch format {
	case "", "csv":
		return nil
	case "parquet", "both":
	default:
		return fmt.Errorf("output: format %q: want csv, parquet or both", format)
	}
	src := filepath.Join(dir, TimeseriesFile)
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer in.Close()
	out, err := os.Create(filepath.Join(dir, TimeseriesParquetFile))
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	err = parquet.FromCSV(out, in, "timeseries", map[string]parquet.Kind{"year": parquet.Int32, "value": parquet.Double})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("output: %s: %w", TimeseriesParquetFile, err)
	}
	if format == "parquet" {
		in.Close()
		return os.Remove(src)
	}
	return nil
}
