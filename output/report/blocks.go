package report

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
)

// BlockMap is blocks.geojson: municipalities with their block, the
// facilities with their capacity, and the hauls.
type BlockMap struct {
	Municipalities []BlockMember
	Facilities     []Facility
	Hauls          []Haul
}

// BlockMember is one municipality of a block.
type BlockMember struct {
	Code, Name, Block string
	At                orb.Point // {lon, lat}
}

// Facility is the shared facility of one block.
type Facility struct {
	Block, Name     string
	At              orb.Point
	Existing        bool
	CapacityTPerDay float64
	TonnesPerYear   float64
	Members         int
}

// Haul is the line from a municipality to its block's facility.
type Haul struct {
	Code, Block string
	From, To    orb.Point
	Km          float64 // great-circle
}

func parseBlocks(b []byte) (*BlockMap, error) {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, err
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("type %q, expected FeatureCollection", fc.Type)
	}
	bm := &BlockMap{}
	for i, f := range fc.Features {
		str := func(k string) string { s, _ := f.Properties[k].(string); return s }
		num := func(k string) float64 { v, _ := f.Properties[k].(float64); return v }
		point := func() (orb.Point, error) {
			var c [2]float64
			if f.Geometry.Type != "Point" || json.Unmarshal(f.Geometry.Coordinates, &c) != nil {
				return orb.Point{}, fmt.Errorf("feature %d: expected a Point", i)
			}
			return orb.Point{c[0], c[1]}, nil
		}
		switch str("kind") {
		case "municipality":
			p, err := point()
			if err != nil {
				return nil, err
			}
			bm.Municipalities = append(bm.Municipalities, BlockMember{str("code"), str("name"), str("block"), p})
		case "facility":
			p, err := point()
			if err != nil {
				return nil, err
			}
			ex, _ := f.Properties["existing"].(bool)
			ms, _ := f.Properties["members"].([]any)
			bm.Facilities = append(bm.Facilities, Facility{str("block"), str("name"), p, ex,
				num("capacity_t_per_day"), num("tonnes_per_year"), len(ms)})
		case "haul":
			var c [][2]float64
			if f.Geometry.Type != "LineString" || json.Unmarshal(f.Geometry.Coordinates, &c) != nil || len(c) != 2 {
				return nil, fmt.Errorf("feature %d: haul is not a line of two points", i)
			}
			bm.Hauls = append(bm.Hauls, Haul{str("code"), str("block"), orb.Point(c[0]), orb.Point(c[1]), num("haul_km")})
		}
	}
	return bm, nil
}
