// Package xlsx writes the Excel workbook of a run, summary.xlsx, for
// municipal staff: the variants compared on the headline indicators in the
// base year and the report years (with the change from the first
// variant), the yearly totals, every municipality in the report years,
// the targets with their CPs achievement bands (0–19 … 100 %), the
// validation against published statistics and every parameter used with
// its unit and source.
//
// Headers are Japanese (English on request) and carry units; figures are
// numbers with number formats, rounded to the significant digits of
// timeseries.csv, so a cell equals the CSV value it comes from. Header
// rows are frozen and filtered. Sheets stay within Excel's limits
// (1,048,576 rows, sheet names of at most 31 characters, unique): a longer
// table continues on a second sheet. The same run gives the same bytes.
//
// It reads an [output.View] and is written with excelize
// (github.com/xuri/excelize/v2); the rows of the municipalities sheet are
// written as the same XML directly, and the parts are compressed once, in
// chunks on every CPU, with github.com/klauspost/compress/flate.
package xlsx
