package model

import "fmt"

// Archetype is a region archetype a–e of the 地域循環モデル構築WG
// (population scale × main industry; DESIGN §1).
type Archetype byte

// The five archetypes.
const (
	ArchetypeA Archetype = 'a' // large population, manufacturing-centred: big industrial belt
	ArchetypeB Archetype = 'b' // small–medium (or very small) population, manufacturing-centred
	ArchetypeC Archetype = 'c' // large population, commerce-centred: metropolitan cities, bed towns
	ArchetypeD Archetype = 'd' // small–medium population, commerce/agriculture: regional centres
	ArchetypeE Archetype = 'e' // very small population: rural, mountain and island areas
)

// Archetypes lists the five archetypes in order.
var Archetypes = [...]Archetype{ArchetypeA, ArchetypeB, ArchetypeC, ArchetypeD, ArchetypeE}

// String returns "a" … "e".
func (a Archetype) String() string { return string(rune(a)) }

// Index returns 0 … 4 for a … e, or -1 for an invalid archetype.
func (a Archetype) Index() int {
	if a < 'a' || a > 'e' {
		return -1
	}
	return int(a - 'a')
}

// ParseArchetype parses "a" … "e".
func ParseArchetype(s string) (Archetype, error) {
	if len(s) == 1 && s[0] >= 'a' && s[0] <= 'e' {
		return Archetype(s[0]), nil
	}
	return 0, fmt.Errorf("model: unknown archetype %q (want one of a, b, c, d, e)", s)
}

// DescriptionJA returns the working group's one-line description.
func (a Archetype) DescriptionJA() string {
	switch a {
	case ArchetypeA:
		return "大規模・製造業中心（工業地帯）"
	case ArchetypeB:
		return "中小規模・製造業中心（地場産業）"
	case ArchetypeC:
		return "大規模・商業中心（都市部・ベッドタウン）"
	case ArchetypeD:
		return "中小規模・商業/農林水産業中心（地方中核都市）"
	case ArchetypeE:
		return "極小規模（農村・山間部・離島）"
	}
	return "?"
}
