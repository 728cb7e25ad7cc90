// Package chart draws the figures of junkan's reports with gonum/plot:
// time series per variant (with optional p5–p95 bands), stacked areas of
// where waste goes, grouped bars, attribution waterfalls, target
// achievement with the Circular Partners' bands, a Sankey diagram with
// explicit loops, and choropleth maps of municipalities (DESIGN §9).
//
// Every figure renders to SVG or PNG ([Render]). Text is drawn with the
// font of a [Style]: Japanese needs a CJK TrueType font, found on the
// system by [FindFont] (Debian package fonts-ipaexfont-gothic) or given by
// path; without one, [NewStyle] returns an error naming the package, since
// gonum/plot would otherwise drop Japanese glyphs silently.
//
// Axes carry units and human ticks: tonnes in 万t, yen in 億円 or 万円,
// thousands separators ([Scale]). Legends sit outside the plot area, and
// each variant has its own colour and dash pattern (15 distinct pairs,
// [VariantColor], [VariantDashes]).
//
// Figures are robust to bad data: NaN and ±Inf points are left out and a
// note says how many; empty series and variants without rows give a
// drawn chart with a note; a log axis leaves out values ≤ 0 with a note.
// No input makes a figure panic or loop.
//
// Maps draw lon/lat with an equirectangular projection scaled by
// cos(lat0) at the map's mean latitude (x = lon·cos lat0, y = lat), so
// shapes keep their proportions at prefecture scale; no area or distance
// is computed on degrees.
package chart
