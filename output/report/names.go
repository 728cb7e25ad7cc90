package report

// Headline indicators of the report, in order: their key in summary.json,
// their name in timeseries.csv, unit, and Japanese and English names.
type indicator struct {
	json, name, unit, ja, en string
	dec                      int // decimals in tables
}

var headlines = []indicator{
	{"waste_per_capita_g_per_day", "waste_per_capita", "g/person/day", "1人1日当たりごみ排出量", "Waste per capita", 0},
	{"recycling_rate_pct", "recycling_rate", "%", "リサイクル率", "Recycling rate", 1},
	{"final_disposal_t", "final_disposal", "t", "最終処分量", "Final disposal", 0},
	{"incinerated_t", "incinerated", "t", "焼却処理量", "Incineration", 0},
	{"cost_per_capita_jpy", "cost_per_capita", "JPY/person/yr", "1人当たり処理費用", "Cost per capita", 0},
	{"ghg_net_tco2e", "ghg_net", "tCO2e", "温室効果ガス排出量（正味）", "GHG net", 0},
	{"ce_market_jpy", "ce_market", "JPY", "CE市場規模", "CE market", 0},
	{"jobs_fte", "jobs", "FTE", "雇用", "Jobs", 0},
	{"inlet_circular_use_rate_pct", "inlet_circular_use_rate", "%", "入口側の循環利用率", "Inlet circular use rate", 1},
	{"outlet_circular_use_rate_pct", "outlet_circular_use_rate", "%", "出口側の循環利用率", "Outlet circular use rate", 1},
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
