// Package sim is the discrete-time engine of junkan: it calibrates the base
// year, steps every region × material × fiscal year through the flow chain
// of package model, applies model elements over time and checks the mass
// balance of every process at every step. It does no I/O.
//
// Data layout: flows are dense arrays indexed [year][region][material]; the
// inner step uses no maps, no interface calls and does not allocate.
package sim
