// Package report writes the HTML report of junkan runs for the working
// group (DESIGN §9): one self-contained file, Japanese by default, that
// opens offline (figures as inline SVG or PNG data URIs, inline CSS, no
// script, nothing fetched).
//
// It reads a run through one view, [Run], loaded by [Load] from an output
// directory: summary.json, manifest.json, timeseries.csv (the total,
// archetype and block levels, and the region level of [RegionIndicators]
// for maps), targets, validation.csv and blocks.geojson. So a report can
// be made from any earlier output, and [Write] with several runs compares
// runs of different scenario files.
//
// Sections: what was run; the headline table, whose base- and end-year
// cells equal summary.json (total_msw when the run has durable products,
// else total) and whose other report years come from timeseries.csv; one
// chart per headline indicator; where waste goes; archetypes; a Sankey of
// one variant and year ([Run.Sankey], flows of [SankeyLinks], loops drawn);
// maps; targets with the CPs bands; the attribution waterfalls; validation;
// parameters with their sources. With a batch's statistics.csv
// ([Run.LoadBatch]) the charts draw p5–p95 bands around the median.
//
// Figures are drawn by package output/chart; a Japanese report needs a
// CJK font (error wrapping chart.ErrNoFont otherwise).
package report
