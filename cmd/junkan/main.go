// Command junkan simulates regional circulation models (地域循環モデル):
// how a region's municipal waste is generated, reused, collected, sorted,
// recycled, incinerated and landfilled, year by year, for a baseline and
// variants that adopt model elements.
//
// Usage:
//
//	junkan run [SCENARIO.yaml] -o DIR   simulate all variants; no file: the embedded default
//	junkan validate SCENARIO.yaml       check a scenario and its data without running
//	junkan params                       print every default parameter with its source
//	junkan elements                     print the model elements and their effects
//	junkan example                      print the embedded default scenario
//	junkan version                      print the version
//
// Exit status: 0 on success, 1 on a failure while running, 2 for bad input
// (usage, scenario or data errors).
package main

import (
	"os"

	"github.com/circular-partners/junkan/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
