// Package scenarios reads junkan scenario files (YAML) into validated
// values and builds the simulation inputs from them: regions from CSV files
// with a column mapping, base-year statistics, parameters with their
// sources, and variants with model elements (DESIGN §7).
//
// Decoding is strict: unknown keys, duplicate keys, wrong types,
// non-integers in integer fields, NaN or Inf, shares outside [0, 1] and
// unknown materials, regions or elements are errors that name the file,
// line, column and field path. All errors of a file are reported at once.
//
// The example scenarios of the repository live in this directory as
// *.yaml files; the embedded default (five synthetic archetype regions, no
// data files needed) is default.yaml.
package scenarios
