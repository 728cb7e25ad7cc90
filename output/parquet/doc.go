// Package parquet writes junkan's tables (batch statistics, per-run
// inputs and results, sensitivity indices, run timeseries) as Apache
// Parquet files with github.com/parquet-go/parquet-go: one row group,
// Snappy compression, string columns as UTF-8 byte arrays, integer columns
// as INT32, values as DOUBLE. Columns are stored in the order of their
// names (Parquet readers select them by name). The same table gives the
// same bytes.
package parquet
