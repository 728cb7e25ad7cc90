package scenarios

// Scenario is the content of a scenario file. Field comments give the YAML
// key, the unit and the default.
type Scenario struct {
	Name        string `yaml:"name"`        // required; used in output names
	Description string `yaml:"description"` // free text
	BaseYear    int    `yaml:"base_year"`   // fiscal year of the base-year data; required
	EndYear     int    `yaml:"end_year"`    // last fiscal year simulated; required, ≥ base_year
	Seed        uint64 `yaml:"seed"`        // random seed, recorded in the manifest (for Monte Carlo batches)
	// StepsPerYear is the number of sub-steps of a fiscal year (1, 2, 4 or
	// 12; default 1). Annual totals do not depend on it (see
	// sim.Config.StepsPerYear); outputs stay per fiscal year.
	StepsPerYear int `yaml:"steps_per_year"`
	// DataDir is the directory that relative file names below are resolved
	// against, itself relative to the scenario file's directory. Default:
	// the scenario file's directory. The command line may override it.
	DataDir string `yaml:"data_dir"`
	// Calibrate, when false, keeps every region's parameters as written:
	// no calibration to a base-year recycling rate (nor to a survey's
	// group collection and direct landfill). Default true. A region can
	// turn it off alone with regions.overrides[].calibrate.
	Calibrate   *bool              `yaml:"calibrate"`
	Regions     RegionsSpec        `yaml:"regions"`
	Composition map[string]float64 `yaml:"composition"` // material id → share of waste generated; must sum to 1; default: defaults table
	Parameters  []ParameterSpec    `yaml:"parameters"`
	// TransferCoefficients set whole splits of a process; the shares of
	// each split must sum to 1 within 1e-9.
	TransferCoefficients []TCSpec `yaml:"transfer_coefficients"`
	// Products lists the durable products simulated with in-use stocks
	// (appliances, vehicle_batteries, construction_materials); empty: none.
	Products []ProductSpec `yaml:"products"`
	Variants []VariantSpec `yaml:"variants"` // at least one; the first is the reference (usually "baseline")
	// Targets are goals in the CPs format, evaluated for every variant.
	Targets []TargetSpec `yaml:"targets"`
	// Consolidation configures the blocks of wide_area_consolidation.
	Consolidation *ConsolidationSpec `yaml:"consolidation"`
	Outputs       OutputSpec         `yaml:"outputs"`
	// Report sets what the HTML report (outputs.report, junkan report)
	// draws.
	Report     *ReportSpec     `yaml:"report"`
	Validation *ValidationSpec `yaml:"validation"`
	// Batch configures `junkan batch` (Monte Carlo, sweeps, sensitivity);
	// a plain run ignores it.
	Batch *BatchSpec `yaml:"batch"`
}

// BatchSpec configures a batch of runs over the uncertain numbers of the
// scenario (those given as distributions). See the README's section on
// batches.
type BatchSpec struct {
	// Method is the sampler: montecarlo (default), latin_hypercube, grid,
	// sobol (Saltelli sampling, Sobol indices) or morris (trajectories,
	// elementary effects).
	Method string `yaml:"method"`
	// Runs is the number of runs (montecarlo, latin_hypercube), of base
	// points N (sobol: N × (inputs + 2) runs) or of trajectories R (morris:
	// R × (inputs + 1) runs); grid ignores it.
	Runs int `yaml:"runs"`
	// Seed of the batch; default: the scenario's seed.
	Seed *uint64 `yaml:"seed"`
	// Levels are the output levels with statistics: total, archetype,
	// region (default [total, archetype]).
	Levels []string `yaml:"levels"`
	// Indicators with statistics (default: waste_generated,
	// final_disposal, recycling_rate, ghg_net, cost_total).
	Indicators []string `yaml:"indicators"`
	// Materials with statistics (default: all, and msw with products).
	Materials []string `yaml:"materials"`
	// Variants with statistics (default: all).
	Variants []string `yaml:"variants"`
	// Statistics per cell: mean, sd, min, max and percentiles pN
	// (default [mean, sd, min, max, p5, p50, p95]).
	Statistics []string `yaml:"statistics"`
	// GridLevels is the number of levels per input of a grid (default 3).
	GridLevels int `yaml:"grid_levels"`
	// MorrisLevels is the (even) number of levels of morris (default 4).
	MorrisLevels int `yaml:"morris_levels"`
	// Bootstrap resamples for the confidence intervals of sobol and morris
	// (default 500).
	Bootstrap *int `yaml:"bootstrap"`
}

// RegionsSpec says where the regions come from.
type RegionsSpec struct {
	// Source is "synthetic" (one region per archetype from the defaults
	// table) or "municipalities" (from CSV files).
	Source         string              `yaml:"source"`
	Synthetic      *SyntheticSpec      `yaml:"synthetic"`
	Municipalities *MunicipalitiesSpec `yaml:"municipalities"`
	Locations      *LocationsSpec      `yaml:"locations"`
	// Boundaries locates, by the centroid of its polygon (computed in an
	// equal-area projection, never planar on degrees), every municipality
	// that locations did not place.
	Boundaries *BoundariesSpec `yaml:"boundaries"`
	WasteStats *WasteStatsSpec `yaml:"waste_statistics"`
	// WasteSurvey gives each municipality its own base year from a
	// municipal survey (環境省 一般廃棄物処理実態調査, or a municipality's own
	// row in the same shape); municipalities without a row keep their
	// prefecture's figures.
	WasteSurvey    *WasteSurveySpec    `yaml:"waste_survey"`
	Classification *ClassificationSpec `yaml:"classification"`
	// PopulationChangePerYear is the compound rate of population change
	// (1/yr) for every region; default: defaults table.
	PopulationChangePerYear *float64         `yaml:"population_change_per_year"`
	Overrides               []RegionOverride `yaml:"overrides"`
}

// SyntheticSpec generates one region per listed archetype.
type SyntheticSpec struct {
	Archetypes []string `yaml:"archetypes"` // subset of a–e; default all five
}

// MunicipalitiesSpec loads municipalities from a CSV file.
type MunicipalitiesSpec struct {
	File        string              `yaml:"file"`
	Columns     MunicipalityColumns `yaml:"columns"`
	Prefectures []string            `yaml:"prefectures"` // keep only these 都道府県 (names); empty = all
	// Codes keeps these municipalities (5-digit codes, as strings), alone
	// or with the municipalities of Prefectures; both empty: all.
	Codes []string `yaml:"codes"`
	// Encoding of the file: utf-8 or cp932 (Shift_JIS); default:
	// detected (UTF-8 if the bytes are UTF-8, else CP932).
	Encoding string `yaml:"encoding"`
}

// MunicipalityColumns maps fields to CSV header names.
type MunicipalityColumns struct {
	Code                   string `yaml:"code"`
	Name                   string `yaml:"name"`
	Prefecture             string `yaml:"prefecture"`
	Population             string `yaml:"population"` // base-year population (persons)
	Employees              string `yaml:"employees"`
	ManufacturingEmployees string `yaml:"manufacturing_employees"`
}

// LocationsSpec loads point locations (lon, lat degrees) by code.
type LocationsSpec struct {
	File    string `yaml:"file"`
	Columns struct {
		Code string `yaml:"code"`
		Lon  string `yaml:"lon"`
		Lat  string `yaml:"lat"`
	} `yaml:"columns"`
	Encoding string `yaml:"encoding"` // utf-8 or cp932; default: detected
}

// WasteStatsSpec loads base-year waste statistics per prefecture; each
// municipality takes its prefecture's per-capita generation and recycling
// rate unless an override gives its own.
type WasteStatsSpec struct {
	File    string `yaml:"file"`
	Columns struct {
		Prefecture       string `yaml:"prefecture"`
		Population       string `yaml:"population"`
		WasteT           string `yaml:"waste_t"`
		PerCapitaGPerDay string `yaml:"per_capita_g_per_day"`
		RecyclingRatePct string `yaml:"recycling_rate_pct"`
		FiscalYear       string `yaml:"fiscal_year"`
	} `yaml:"columns"`
	Encoding string `yaml:"encoding"` // utf-8 or cp932; default: detected
}

// WasteSurveySpec loads a municipal waste survey by code. Required columns:
// code, total_t (ごみ総排出量), group_collection_t (集団回収量) and
// recycling_rate_pct (R); optional: name, covers (codes a row stands
// for, ";"-separated), population, treated_t, final_disposal_t,
// reduction_rate_pct (減量処理率), recycling_rate_r2_pct (R′), flags,
// fiscal_year.
type WasteSurveySpec struct {
	File    string `yaml:"file"`
	Columns struct {
		Code               string `yaml:"code"`
		Name               string `yaml:"name"`
		Covers             string `yaml:"covers"`
		Population         string `yaml:"population"`
		TotalT             string `yaml:"total_t"`
		GroupCollectionT   string `yaml:"group_collection_t"`
		TreatedT           string `yaml:"treated_t"`
		FinalDisposalT     string `yaml:"final_disposal_t"`
		ReductionRatePct   string `yaml:"reduction_rate_pct"`
		RecyclingRatePct   string `yaml:"recycling_rate_pct"`
		RecyclingRateR2Pct string `yaml:"recycling_rate_r2_pct"`
		Flags              string `yaml:"flags"`
		FiscalYear         string `yaml:"fiscal_year"`
	} `yaml:"columns"`
}

// ClassificationSpec overrides the archetype thresholds.
type ClassificationSpec struct {
	LargePopulationMin     *float64 `yaml:"large_population_min"`      // persons
	VerySmallPopulationMax *float64 `yaml:"very_small_population_max"` // persons
	ManufacturingShareMin  *float64 `yaml:"manufacturing_share_min"`   // fraction of private employees
}

// RegionOverride changes one region's base-year figures. Code is a string:
// quote codes with leading zeros ("01100").
type RegionOverride struct {
	Code                    string   `yaml:"code"`
	Archetype               string   `yaml:"archetype"`
	Population              *float64 `yaml:"population"`                 // persons
	PerCapitaGPerDay        *float64 `yaml:"per_capita_g_per_day"`       // g/person/day
	RecyclingRatePct        *float64 `yaml:"recycling_rate_pct"`         // %
	PopulationChangePerYear *float64 `yaml:"population_change_per_year"` // 1/yr
	// Calibrate false keeps this region's parameters as written (see
	// Scenario.Calibrate).
	Calibrate *bool `yaml:"calibrate"`
}

// ParameterSpec overrides a default parameter (see `junkan params`) for
// the matching cells: material, archetype and regions narrow it; empty
// means all.
type ParameterSpec struct {
	Key       string   `yaml:"key"`
	Material  string   `yaml:"material"`
	Archetype string   `yaml:"archetype"`
	Regions   []string `yaml:"regions"`
	Value     float64  `yaml:"value"`
	Source    string   `yaml:"source"` // where the value comes from (recorded in the manifest)
}

// VariantSpec is one variant: it inherits the elements of its parent and
// adds its own.
type VariantSpec struct {
	Name     string        `yaml:"name"`
	Inherits string        `yaml:"inherits"`
	Elements []ElementSpec `yaml:"elements"`
}

// ElementSpec switches a model element on.
type ElementSpec struct {
	Element    string             `yaml:"element"`
	StartYear  int                `yaml:"start_year"`
	RampYears  int                `yaml:"ramp_years"` // years to full strength; 0 or 1 = at once
	Ramp       string             `yaml:"ramp"`       // linear (default) or logistic
	Archetypes []string           `yaml:"archetypes"`
	Regions    []string           `yaml:"regions"`
	Magnitudes map[string]float64 `yaml:"magnitudes"` // defaults-table key → value at full strength
}

// OutputSpec controls output detail.
type OutputSpec struct {
	// RegionMaterials writes per-material rows at region level (default
	// true; set false for large runs such as all Japan).
	RegionMaterials *bool `yaml:"region_materials"`
	Plots           *bool `yaml:"plots"` // default true
	// Report writes report.html, the self-contained HTML report in
	// Japanese (default false; needs a CJK font, Debian
	// fonts-ipaexfont-gothic).
	Report *bool `yaml:"report"`
	// Attribution lists variants whose change in the headline indicators
	// is decomposed among their elements (Shapley values; 2^n runs for n
	// elements, at most 10).
	Attribution []string `yaml:"attribution"`
	// RegionIndicators lists the indicators written at level region
	// (flow names, population, waste_per_capita, …); empty: all. The
	// archetype and total levels always have every indicator.
	RegionIndicators []string `yaml:"region_indicators"`
	// Format of the timeseries: csv (default), parquet or both.
	Format string `yaml:"format"`
	// ReportYears are the fiscal years shown per variant and municipality
	// in summary.xlsx and the run's summary table (the last one); default:
	// the base year, 2030, 2035, 2040 and 2050 within the horizon.
	ReportYears []int `yaml:"report_years"`
	// CSVBOM writes the CSV files with a UTF-8 byte-order mark, so that
	// Excel opens them as UTF-8 (default false; also --bom).
	CSVBOM *bool `yaml:"csv_bom"`
}

// ReportSpec chooses what the HTML report draws.
type ReportSpec struct {
	// Variants drawn in the charts (default all; tables list all).
	Variants []string `yaml:"variants"`
	// Years are report years shown in the headline tables besides the base
	// and end years (default: outputs.report_years).
	Years []int `yaml:"years"`
	// Lang is ja (default) or en.
	Lang string `yaml:"lang"`
	// SankeyYear and SankeyVariant choose the Sankey (default: the base
	// year and the first variant).
	SankeyYear    int    `yaml:"sankey_year"`
	SankeyVariant string `yaml:"sankey_variant"`
	// MapIndicator colours the municipality map (default
	// waste_per_capita).
	MapIndicator string `yaml:"map_indicator"`
}

// ValidationSpec names data to compare the base year with.
type ValidationSpec struct {
	// Incinerators is the MOE facility table; simulated incineration per
	// prefecture is compared with the summed throughput of operating plants.
	Incinerators string `yaml:"incinerators"`
	// NationalFinalDisposalT is a published national final disposal (t) to
	// compare the base-year total with, with its source.
	FinalDisposalT      *float64 `yaml:"final_disposal_t"`
	FinalDisposalSource string   `yaml:"final_disposal_source"`
	// National checks of other base-year totals of the non-durable
	// materials (MSW scope), each with its published value and source.
	National []NationalCheck `yaml:"national"`
	// PrefectureCost compares the base-year cost per person of the
	// non-durable materials per prefecture with the Ministry's ごみ処理事業経費
	// per person (jp_prefecture_waste_cost_fy2023_moe.csv).
	PrefectureCost *PrefectureCostSpec `yaml:"prefecture_cost"`
}

// PrefectureCostSpec loads the cost per person of each prefecture.
type PrefectureCostSpec struct {
	File    string `yaml:"file"`
	Columns struct {
		Prefecture    string `yaml:"prefecture"`
		CostPerCapita string `yaml:"cost_per_capita"` // JPY/person/yr
	} `yaml:"columns"`
}

// NationalCheck compares one base-year total with a published figure.
type NationalCheck struct {
	Indicator string  `yaml:"indicator"` // e.g. cost_per_capita, energy_recovered
	Value     float64 `yaml:"value"`     // in the indicator's unit
	Source    string  `yaml:"source"`
}

// TCSpec sets the transfer coefficients of one process split, e.g.
// process recycling, shares {recyclate_output: 0.49, process_loss: 0,
// recycling_residue: 0.51}. Material, archetype and regions narrow it.
type TCSpec struct {
	Process   string             `yaml:"process"`
	Material  string             `yaml:"material"`
	Archetype string             `yaml:"archetype"`
	Regions   []string           `yaml:"regions"`
	Shares    map[string]float64 `yaml:"shares"`
	Source    string             `yaml:"source"`
}

// ProductSpec switches a durable product on and optionally overrides its
// defaults (see `junkan params`, keys durable_inflow_per_capita,
// lifetime_*, product_composition.<id>, reuse_remaining_life_factor).
type ProductSpec struct {
	ID string `yaml:"id"`
	// InflowPerCapitaT is the mass put into use per person per year
	// (t/person/yr).
	InflowPerCapitaT *float64      `yaml:"inflow_per_capita_t"`
	Lifetime         *LifetimeSpec `yaml:"lifetime"`
	// Composition is the share of the product's mass by material; must
	// list every material and sum to 1.
	Composition map[string]float64 `yaml:"composition"`
	// ReuseLifeFactor is the lifetime of a reused product as a share of a
	// new one's, in (0, 1].
	ReuseLifeFactor *float64 `yaml:"reuse_life_factor"`
}

// LifetimeSpec is a lifetime distribution in years: fixed (years), normal
// (mean, sd; truncated at zero), weibull (shape, scale), lognormal (mu,
// sigma of ln years) or folded_normal (mean, sd of the normal whose
// absolute value it is, as flodym's FoldedNormalLifetime).
type LifetimeSpec struct {
	Distribution string   `yaml:"distribution"`
	Years        *float64 `yaml:"years"`
	Mean         *float64 `yaml:"mean"`
	SD           *float64 `yaml:"sd"`
	Shape        *float64 `yaml:"shape"`
	Scale        *float64 `yaml:"scale"`
	Mu           *float64 `yaml:"mu"`
	Sigma        *float64 `yaml:"sigma"`
}

// ConsolidationSpec configures wide-area consolidation (広域化): how the
// municipalities of the run are grouped into blocks that share sorting,
// recycling and incineration facilities. Blocks are found once, on the
// base-year tonnage not recycled (generation × (1 − recycling rate), the
// load of the facility), as a capacitated facility-location problem solved
// exactly by CBC when installed (within a time limit), else by a heuristic
// (regions.Consolidate); the element wide_area_consolidation then applies
// them in the variants that adopt it.
type ConsolidationSpec struct {
	// Incinerators is the MOE facility table (operating plants are
	// candidate sites and define the status quo); default:
	// validation.incinerators.
	Incinerators string `yaml:"incinerators"`
	// Candidates: "existing" (operating plants with their capacities),
	// "existing_sites" (the sites of operating plants, rebuilt at the end
	// of their life with the capacity their block needs, up to
	// max_plant_t_per_day) or "existing_and_new" (operating plants, plus a
	// new site of up to max_plant_t_per_day at each municipal office;
	// default). Annual capacity = t/day × operating_days_per_year ×
	// plant_utilisation; a municipality may be split among plants.
	Candidates string `yaml:"candidates"`
	// WithinPrefectures keeps blocks inside prefectures (default true).
	WithinPrefectures *bool `yaml:"within_prefectures"`
	// MaxHaulKm is the longest road haul from a municipality to its
	// facility (km); 0: no limit.
	MaxHaulKm float64 `yaml:"max_haul_km"`
	// PlantShare sets the number of blocks of a prefecture to this share
	// of its operating plants (rounded, at least 1); default: the table's
	// consolidation_plant_share. Blocks, if > 0, fixes the number per
	// prefecture instead.
	PlantShare *float64 `yaml:"plant_share"`
	Blocks     int      `yaml:"blocks"`
	// HaulCostPerTKm (JPY per t·km), if set with choose_blocks_by_cost,
	// lets the number of blocks be chosen by minimising facility plus haul
	// cost. No cited Japanese value exists in the data; give your own.
	HaulCostPerTKm     *float64 `yaml:"haul_cost_per_tkm"`
	ChooseBlocksByCost bool     `yaml:"choose_blocks_by_cost"`
	// MaxPlantTPerDay caps the size of a new or rebuilt plant (t/day);
	// default: the largest operating plant of the facility table (1,800
	// t/day in FY2024, 新江東清掃工場).
	MaxPlantTPerDay *float64 `yaml:"max_plant_t_per_day"`
	// Solver: "auto" (default: CBC if installed, else the heuristic),
	// "cbc" (required) or "heuristic".
	Solver string `yaml:"solver"`
	// TimeLimitS bounds the time per prefecture (per run without
	// within_prefectures), in seconds; default 60. At the limit the best
	// plan found is kept and its optimality gap reported.
	TimeLimitS *float64 `yaml:"time_limit_s"`
}

// TargetSpec is a target in the Circular Partners' format: an indicator at
// a level and scope, a fiscal year, and either an absolute value or a
// change from the base year.
type TargetSpec struct {
	Name      string `yaml:"name"`      // label, e.g. "1人1日当たりごみ排出量 10%削減"
	Indicator string `yaml:"indicator"` // e.g. waste_per_capita, final_disposal, ghg_net, jobs
	// Level is total (default), archetype, region or block; Scope names the
	// archetype letter, region code or block id.
	Level    string `yaml:"level"`
	Scope    string `yaml:"scope"`
	Material string `yaml:"material"` // default msw (all when the run has no products)
	Year     int    `yaml:"year"`
	// Exactly one of Value (in the indicator's unit) and ChangePct (% from
	// the base-year value of the same variant) is given.
	Value     *float64 `yaml:"value"`
	ChangePct *float64 `yaml:"change_pct"`
	// Direction is decrease or increase; default: the sign of change_pct,
	// else the indicator's usual goal (lower waste, higher rates).
	Direction string `yaml:"direction"`
}

// BoundariesSpec names a GeoJSON FeatureCollection of municipal polygons
// and the property holding the municipal code (N03_007 in the N03 files).
// Features with null geometry (e.g. islands lost in simplification) are
// skipped and several features of one code merged.
type BoundariesSpec struct {
	File         string `yaml:"file"`
	CodeProperty string `yaml:"code_property"`
}
