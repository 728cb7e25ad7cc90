package model

// Material is one material stream of municipal waste. Its ID is the name
// used in outputs and scenario files.
type Material struct {
	ID     string // output id, e.g. "paper"
	NameJA string // Japanese name for reports, e.g. "紙類"
	// Durable marks a product with an in-use stock (appliances, …): its
	// waste comes from discards of past cohorts and is dismantled into the
	// non-durable materials.
	Durable bool
}

// DefaultMaterials returns the non-durable default materials of DESIGN §5,
// in output order. See [DefaultProducts] for the durable products.
func DefaultMaterials() []Material {
	return []Material{
		{"paper", "紙類", false},
		{"plastics", "プラスチック類", false},
		{"food", "厨芥類・有機物", false},
		{"glass", "ガラス類", false},
		{"ferrous", "鉄類", false},
		{"aluminium", "アルミ類", false},
		{"textiles", "布類", false},
		{"wood", "木・竹・草類", false},
		{"other", "その他", false},
	}
}

// MaterialIndex returns the index of the material with the given id in ms,
// or -1.
func MaterialIndex(ms []Material, id string) int {
	for i, m := range ms {
		if m.ID == id {
			return i
		}
	}
	return -1
}

// DefaultProducts returns the durable products of DESIGN §5, which carry an
// in-use stock and a material composition.
func DefaultProducts() []Material {
	return []Material{
		{"appliances", "家電製品", true},
		{"vehicle_batteries", "車載用電池", true},
		{"construction_materials", "建設資材", true},
	}
}
