package model

// Material is one material stream of municipal waste. Its ID is the name
// used in outputs and scenario files.
type Material struct {
	ID     string // output id, e.g. "paper"
	NameJA string // Japanese name for reports, e.g. "紙類"
}

// DefaultMaterials returns the non-durable default materials of DESIGN §5,
// in output order. The durable products (appliances, vehicle_batteries,
// construction_materials) come with in-use stocks in a later release.
func DefaultMaterials() []Material {
	return []Material{
		{"paper", "紙類"},
		{"plastics", "プラスチック類"},
		{"food", "厨芥類・有機物"},
		{"glass", "ガラス類"},
		{"ferrous", "鉄類"},
		{"aluminium", "アルミ類"},
		{"textiles", "布類"},
		{"wood", "木・竹・草類"},
		{"other", "その他"},
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
