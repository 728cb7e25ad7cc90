package output

import (
	"fmt"
	"image/color"
	"math"

	"github.com/paulmach/orb"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/circular-partners/junkan/sim"
)

// Blocks describes the wide-area consolidation of a run for output: which
// regions share which facility. B = number of blocks, R = regions.
type Blocks struct {
	IDs              []string    // block (facility) id, len B
	RegionBlock      []int       // block index per region, len R
	Locations        []orb.Point // {lon, lat} per region, len R
	Facility         []orb.Point // {lon, lat} of each block's facility, len B
	FacilityName     []string    // len B; a new site is named "new site at <code>"
	Existing         []bool      // the facility is an operating plant today, len B
	TonnesPerYear    []float64   // base-year tonnage of the block (t/yr), len B
	CapacityTPerDay  []float64   // facility size: tonnage ÷ operating days (t/day), len B
	HaulKm           []float64   // great-circle km from each region to its facility, len R
	StatusQuoPlants  int         // operating plants of the run's prefectures today
	StatusQuoTPerDay float64     // their total capacity (t/day)
	RegionsSplit     int         // regions whose tonnage is split among several plants
	Solver           string      // cbc or heuristic
	Groups           []SolverSummary
}

type geoFeature struct {
	Type       string         `json:"type"`
	Geometry   geoGeometry    `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type geoGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// GeoJSON returns blocks.geojson: a FeatureCollection with one Point per
// municipality (properties code, name, block), one Point per facility
// (kind facility, capacity_t_per_day, tonnes_per_year, existing, members)
// and one LineString per haul from a municipality to its facility
// (kind haul, haul_km great-circle). regions must be the run's regions.
func (b *Blocks) GeoJSON(regions []sim.Region) ([]byte, error) {
	if len(regions) != len(b.RegionBlock) || len(b.Locations) != len(b.RegionBlock) {
		return nil, fmt.Errorf("%w: blocks cover %d regions, the run has %d", ErrMismatch, len(b.RegionBlock), len(regions))
	}
	members := make([][]string, len(b.IDs))
	for r, k := range b.RegionBlock {
		members[k] = append(members[k], regions[r].Code)
	}
	var fs []geoFeature
	pt := func(p orb.Point) geoGeometry { return geoGeometry{"Point", [2]float64{p[0], p[1]}} }
	for r, g := range regions {
		fs = append(fs, geoFeature{"Feature", pt(b.Locations[r]), map[string]any{
			"kind": "municipality", "code": g.Code, "name": g.Name, "archetype": g.Archetype.String(),
			"block": b.IDs[b.RegionBlock[r]]}})
	}
	for k, id := range b.IDs {
		fs = append(fs, geoFeature{"Feature", pt(b.Facility[k]), map[string]any{
			"kind": "facility", "block": id, "name": b.FacilityName[k], "existing": b.Existing[k],
			"capacity_t_per_day": b.CapacityTPerDay[k], "tonnes_per_year": b.TonnesPerYear[k], "members": members[k]}})
	}
	for r, g := range regions {
		k := b.RegionBlock[r]
		if b.HaulKm[r] == 0 {
			continue
		}
		fs = append(fs, geoFeature{"Feature", geoGeometry{"LineString", [][2]float64{
			{b.Locations[r][0], b.Locations[r][1]}, {b.Facility[k][0], b.Facility[k][1]}}},
			map[string]any{"kind": "haul", "code": g.Code, "block": b.IDs[k], "haul_km": b.HaulKm[r]}})
	}
	return marshalIndent(struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}{"FeatureCollection", fs})
}

// plotMap draws municipalities coloured by block, hauls as lines, and
// facilities as circles sized by capacity, on a lon/lat plate carrée
// (adequate at prefecture scale; not an equal-area map).
func (b *Blocks) plotMap(path string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Wide-area consolidation: %d blocks (today %d plants)", len(b.IDs), b.StatusQuoPlants)
	p.X.Label.Text = "longitude (°E)"
	p.Y.Label.Text = "latitude (°N)"
	colour := func(k int) color.Color { return plotutil.Color(k % 7) }
	for r, k := range b.RegionBlock {
		if b.HaulKm[r] == 0 {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: b.Locations[r][0], Y: b.Locations[r][1]}, {X: b.Facility[k][0], Y: b.Facility[k][1]}})
		if err != nil {
			return fmt.Errorf("output: map: %w", err)
		}
		l.Color = colour(k)
		l.Width = vg.Points(0.5)
		p.Add(l)
	}
	for k := range b.IDs {
		var xys plotter.XYs
		for r, kk := range b.RegionBlock {
			if kk == k {
				xys = append(xys, plotter.XY{X: b.Locations[r][0], Y: b.Locations[r][1]})
			}
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("output: map: %w", err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: colour(k), Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	maxCap := 0.0
	for _, c := range b.CapacityTPerDay {
		maxCap = math.Max(maxCap, c)
	}
	for k := range b.IDs {
		s, err := plotter.NewScatter(plotter.XYs{{X: b.Facility[k][0], Y: b.Facility[k][1]}})
		if err != nil {
			return fmt.Errorf("output: map: %w", err)
		}
		rad := 3.0
		if maxCap > 0 {
			rad = 3 + 9*math.Sqrt(b.CapacityTPerDay[k]/maxCap)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(rad), Shape: draw.RingGlyph{}}
		p.Add(s)
	}
	if err := p.Save(8*vg.Inch, 7*vg.Inch, path); err != nil {
		return fmt.Errorf("output: map: %w", err)
	}
	return nil
}
