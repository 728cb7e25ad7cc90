// Package model holds the domain types and equations of junkan: materials,
// the flows and processes of the regional circulation chain (DESIGN §5),
// transfer coefficients and their cited defaults, model elements (モデル要素)
// and the indicators of DESIGN §6.
//
// Units: mass in tonnes (t), population in persons, time in Japanese fiscal
// years (FY Y = 1 April Y to 31 March Y+1). Every share and transfer
// coefficient (TC) is a fraction in [0, 1].
//
// model imports nothing from the rest of the project.
package model
