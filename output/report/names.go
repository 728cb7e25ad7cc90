package report

// Headline indicators of the report, in order: their key in summary.json,
// their name in timeseries.csv, unit, and Japanese and English names.
type indicator struct {
	json, name, unit, ja, en string
	dec                      int     // decimals in tables
	div                      float64 // tables show value ÷ div (0 = 1) in tableUnit
	tableUnitJA, tableUnitEN string
}

var headlines = []indicator{
	{json: "waste_per_capita_g_per_day", name: "waste_per_capita", unit: "g/person/day", ja: "1人1日当たりごみ排出量", en: "Waste per capita", dec: 0},
	{json: "recycling_rate_pct", name: "recycling_rate", unit: "%", ja: "リサイクル率", en: "Recycling rate", dec: 1},
	{json: "final_disposal_t", name: "final_disposal", unit: "t", ja: "最終処分量", en: "Final disposal", dec: 0},
	{json: "incinerated_t", name: "incinerated", unit: "t", ja: "焼却処理量", en: "Incineration", dec: 0},
	{json: "cost_per_capita_jpy", name: "cost_per_capita", unit: "JPY/person/yr", ja: "1人当たり処理費用", en: "Cost per capita", dec: 0},
	{json: "ghg_net_tco2e", name: "ghg_net", unit: "tCO2e", ja: "温室効果ガス排出量（正味）", en: "GHG net", dec: 0},
	{json: "ce_market_jpy", name: "ce_market", unit: "JPY", ja: "CE市場規模", en: "CE market", dec: 2, div: 1e8, tableUnitJA: "億円", tableUnitEN: "100 million JPY"},
	{json: "jobs_fte", name: "jobs", unit: "FTE", ja: "雇用", en: "Jobs", dec: 0},
	{json: "inlet_circular_use_rate_pct", name: "inlet_circular_use_rate", unit: "%", ja: "入口側の循環利用率", en: "Inlet circular use rate", dec: 1},
	{json: "outlet_circular_use_rate_pct", name: "outlet_circular_use_rate", unit: "%", ja: "出口側の循環利用率", en: "Outlet circular use rate", dec: 1},
}

var elementJA = map[string]string{
	"wide_area_consolidation":      "地域の広域化",
	"ai_sorting":                   "先端技術を用いた高度かつ効率的な選別",
	"advanced_recycling":           "高度な再生技術",
	"arterial_venous_linkage":      "動静脈連携",
	"cross_supply_chain_design":    "サプライチェーン横断での製品設計",
	"collection_incentives":        "分別・回収へのインセンティブ",
	"consumer_experience_services": "消費者の体験価値に訴求したサービス",
	"reskilling_education":         "地域人材のリスキル・教育",
}

var archetypeJA = map[string]string{
	"a": "a 大都市・製造業集積",
	"b": "b 地方・製造業",
	"c": "c 都市・商業（ベッドタウン）",
	"d": "d 地方中心都市",
	"e": "e 農山漁村・離島",
}

var archetypeEN = map[string]string{
	"a": "a large, manufacturing",
	"b": "b small–medium, manufacturing",
	"c": "c large, commerce",
	"d": "d small–medium, commerce",
	"e": "e very small, rural",
}

// unitJA is the Japanese reading of a junkan unit in tables.
var unitJA = map[string]string{
	"g/person/day": "g/人/日", "JPY/person/yr": "円/人/年", "JPY": "円", "FTE": "人 (FTE)",
	"persons": "人",
}
