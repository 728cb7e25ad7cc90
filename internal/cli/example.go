package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/regions"
	"github.com/circular-partners/junkan/scenarios"
)

// Files of the shared data that a generated example reads.
const (
	exampleMunicipalities = "jp_municipalities_ssdse_a_2026.csv"
	exampleOffices        = "jp_municipal_offices.csv"
)

func exampleCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("example", stderr)
	codes := fs.String("codes", "", "comma-separated 5-digit municipal `CODES` (e.g. 11343): print a scenario for them")
	names := fs.String("name", "", "comma-separated municipality `NAMES` (e.g. 小川町, or 埼玉県小川町 when the name repeats)")
	km := fs.Float64("neighbours-km", 0, "also take every municipality whose office is within `KM` (great-circle) of one named")
	data := fs.String("data", dataDirDefault(), "shared data `DIR` (default: env JUNKAN_DATA_DIR, else ../shared/data)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput(fmt.Errorf("example: unexpected argument %q", pos[0]))
	}
	if *codes == "" && *names == "" {
		if *km != 0 {
			return badInput(errors.New("example: --neighbours-km needs --codes or --name"))
		}
		_, err := stdout.Write(scenarios.DefaultYAML())
		return err
	}
	if *km < 0 {
		return badInput(fmt.Errorf("example: --neighbours-km %v: want a distance ≥ 0", *km))
	}
	dir, err := exampleDataDir(*data)
	if err != nil {
		return badInput(err)
	}
	muns, err := regions.LoadMunicipalities(filepath.Join(dir, exampleMunicipalities), exampleColumns(), nil)
	if err != nil {
		return badInput(err)
	}
	if _, err := regions.LoadLocations(filepath.Join(dir, exampleOffices), regions.OfficeColumns(), muns); err != nil {
		return badInput(err)
	}
	chosen, err := pickMunicipalities(muns, split(*codes), split(*names))
	if err != nil {
		return badInput(fmt.Errorf("example: %w", err))
	}
	chosen = withNeighbours(muns, chosen, *km)
	_, err = io.WriteString(stdout, exampleYAML(dir, muns, chosen, *km))
	return err
}

// exampleColumns maps the columns of the SSDSE municipal file.
func exampleColumns() regions.MunicipalityColumns {
	return regions.MunicipalityColumns{Code: "code5", Name: "municipality_name", Prefecture: "pref_name",
		Population: "population_sanitation_total", Employees: "employees_private",
		ManufacturingEmployees: "employees_private_manufacturing"}
}

// exampleDataDir returns the absolute shared data directory: dir, or
// ../shared/data from the working directory or one of its parents.
func exampleDataDir(dir string) (string, error) {
	cands := []string{dir}
	if dir == "" {
		cands = []string{filepath.Join("..", "shared", "data"), filepath.Join("..", "..", "shared", "data"),
			filepath.Join("..", "..", "..", "shared", "data")}
	}
	for _, c := range cands {
		if fi, err := os.Stat(filepath.Join(c, exampleMunicipalities)); err == nil && !fi.IsDir() {
			return filepath.Abs(c)
		}
	}
	if dir != "" {
		return "", fmt.Errorf("example: %s has no %s (the shared data directory, see SOURCES.md)", dir, exampleMunicipalities)
	}
	return "", errors.New("example: the shared data directory was not found: give --data DIR (or JUNKAN_DATA_DIR)")
}

func split(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '、' || r == ' ' || r == '　' }) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// pickMunicipalities returns the indices of the municipalities with the
// given codes and names (a name may carry its prefecture in front,
// 埼玉県小川町, to tell apart municipalities of the same name).
func pickMunicipalities(muns []regions.Municipality, codes, names []string) ([]int, error) {
	byCode := map[string]int{}
	var allCodes, allNames []string
	for i, m := range muns {
		byCode[m.Code] = i
		allCodes = append(allCodes, m.Code)
		allNames = append(allNames, m.Name)
	}
	var out []int
	add := func(i int) {
		for _, j := range out {
			if j == i {
				return
			}
		}
		out = append(out, i)
	}
	for _, c := range codes {
		i, ok := byCode[c]
		if !ok {
			hint := ""
			if len(c) == 6 {
				hint = " (a 6-digit code with check digit? give the 5-digit code)"
			}
			return nil, fmt.Errorf("no municipality has code %q%s%s", c, hint, nearOnly(model.Suggest(c, allCodes)))
		}
		add(i)
	}
	for _, n := range names {
		var hits []int
		for i, m := range muns {
			if m.Name == n || m.Prefecture+m.Name == n {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			return nil, fmt.Errorf("no municipality is named %q%s", n, nearOnly(model.Suggest(n, allNames)))
		case 1:
			add(hits[0])
		default:
			var opts []string
			for _, i := range hits {
				opts = append(opts, fmt.Sprintf("%s %s%s", muns[i].Code, muns[i].Prefecture, muns[i].Name))
			}
			return nil, fmt.Errorf("%d municipalities are named %q: give the code or prefecture and name (%s)", len(hits), n, strings.Join(opts, ", "))
		}
	}
	return out, nil
}

// nearOnly keeps a did-you-mean hint and drops a list of every name.
func nearOnly(s string) string {
	if strings.HasPrefix(s, " (did you mean") {
		return s
	}
	return ""
}

// withNeighbours adds to chosen every municipality whose office lies within
// km of the office of one chosen (great-circle distance), in code order
// after the chosen ones.
func withNeighbours(muns []regions.Municipality, chosen []int, km float64) []int {
	if km <= 0 {
		return chosen
	}
	in := map[int]bool{}
	for _, i := range chosen {
		in[i] = true
	}
	var extra []int
	for j, m := range muns {
		if in[j] || !m.HasLocation {
			continue
		}
		for _, i := range chosen {
			if muns[i].HasLocation && regions.Distance(muns[i].Location, m.Location) <= km {
				extra = append(extra, j)
				break
			}
		}
	}
	sort.Slice(extra, func(a, b int) bool { return muns[extra[a]].Code < muns[extra[b]].Code })
	return append(chosen, extra...)
}

// exampleElements are the variants of a generated scenario: one per
// model element, each starting from the baseline, with a start year and a
// ramp; the magnitudes are the defaults (junkan elements), except for the
// two elements without a measured effect, given illustrative magnitudes
// as in scenarios/saitama-2050.yaml.
var exampleElements = []struct {
	id, ja, extra string
}{
	{"wide_area_consolidation", "地域の広域化 (施設の共同利用)", "{element: wide_area_consolidation, start_year: 2030}"},
	{"ai_sorting", "AI・自動選別", "{element: ai_sorting, start_year: 2027, ramp_years: 4}"},
	{"advanced_recycling", "高度な再生技術", "{element: advanced_recycling, start_year: 2028, ramp_years: 5}"},
	{"arterial_venous_linkage", "動静脈連携", "{element: arterial_venous_linkage, start_year: 2027, ramp_years: 5}"},
	{"cross_supply_chain_design", "サプライチェーン横断の製品設計", "{element: cross_supply_chain_design, start_year: 2027, ramp_years: 5}"},
	{"collection_incentives", "分別・回収へのインセンティブ", "{element: collection_incentives, start_year: 2026, ramp_years: 5}"},
	{"consumer_experience_services", "消費者の体験価値に訴求したサービス (効果の実測値がないため例示の値)",
		"{element: consumer_experience_services, start_year: 2027, ramp_years: 5, magnitudes: {consumer_experience_services.generation_change: -0.02, consumer_experience_services.reuse_gain: 0.05, consumer_experience_services.recycled_demand_change: 0.1}}"},
	{"reskilling_education", "地域人材のリスキル・教育 (効果の実測値がないため例示の値)",
		"{element: reskilling_education, start_year: 2026, ramp_years: 3, magnitudes: {reskilling_education.jobs_per_10kt_gain: 0.05}}"},
}

// exampleYAML is a ready scenario for the chosen municipalities, reading
// the shared data in dir, with Japanese comments.
func exampleYAML(dir string, muns []regions.Municipality, chosen []int, km float64) string {
	var b strings.Builder
	first := muns[chosen[0]]
	var list, codes []string
	for _, i := range chosen {
		m := muns[i]
		list = append(list, fmt.Sprintf("%s %s%s", m.Code, m.Prefecture, m.Name))
		codes = append(codes, fmt.Sprintf("%q", m.Code))
	}
	name := "example-" + first.Code
	fmt.Fprintf(&b, "# %s%s を対象とするシナリオ (junkan example で生成)。\n", first.Prefecture, first.Name)
	if km > 0 {
		fmt.Fprintf(&b, "# 役場から %g km 以内 (大圏距離) の市区町村を含む %d 団体:\n", km, len(chosen))
	} else {
		fmt.Fprintf(&b, "# 対象 %d 団体:\n", len(chosen))
	}
	for _, l := range list {
		fmt.Fprintf(&b, "#   %s\n", l)
	}
	b.WriteString(`# 実行: junkan run このファイル.yaml -o out   (結果は out/summary.xlsx ほか)
# データの出典は ` + dir + `/SOURCES.md を参照。
name: ` + name + `
description: >-
  ` + first.Prefecture + first.Name + ` ほか。基準年度 FY2023、2050年度まで。ベースラインと、モデル要素ごとに1つのバリアント。
base_year: 2023               # 基準年度 (一般廃棄物処理実態調査 令和5年度)
end_year: 2050                # 最終年度
seed: 1
data_dir: ` + yamlQuote(dir) + `   # 共有データのディレクトリ (junkan run --data DIR で変更可)
regions:
  source: municipalities
  municipalities:
    file: ` + exampleMunicipalities + `   # SSDSE-A-2026 (人口・従業者数)
    columns:
      code: code5
      name: municipality_name
      prefecture: pref_name
      population: population_sanitation_total   # 基準年度の人口
      employees: employees_private
      manufacturing_employees: employees_private_manufacturing
    codes: [` + strings.Join(codes, ", ") + `]   # 対象の団体コード (5桁、文字列)
  locations:                  # 役場の位置 (距離の計算に使用)
    file: ` + exampleOffices + `
    columns: {code: code5, lon: lon, lat: lat}
  waste_statistics:           # 都道府県のごみ統計 (市町村の値がない場合に使用)
    file: jp_prefecture_waste_fy2023_ssdse_e_2026.csv
    columns:
      prefecture: pref_name
      population: population_sanitation_total_persons
      waste_t: waste_total_generated_t
      per_capita_g_per_day: waste_per_capita_g_per_day
      recycling_rate_pct: recycling_rate_pct
      fiscal_year: fiscal_year
  waste_survey:               # 市町村ごとの実績 (環境省 一般廃棄物処理実態調査 令和5年度)
    file: jp_municipal_waste_fy2023_moe.csv
    columns:
      code: code5
      name: municipality_name
      covers: covers_ssdse_code5
      population: population_moe
      total_t: total_waste_t
      group_collection_t: group_collection_t_derived
      treated_t: treated_amount_t
      final_disposal_t: final_disposal_t
      reduction_rate_pct: reduction_rate_pct
      recycling_rate_pct: recycling_rate_r_pct
      recycling_rate_r2_pct: recycling_rate_r2_pct
      flags: flags
      fiscal_year: fiscal_year
products:                     # 使用中ストックをもつ耐久消費財 (junkan params lifetime_ で寿命を確認)
  - id: appliances            # 家電
  - id: vehicle_batteries     # 車載電池
  - id: construction_materials # 建設資材
variants:
  - name: baseline            # ベースライン (現状の延長)
`)
	for _, e := range exampleElements {
		fmt.Fprintf(&b, "  - name: %s            # %s\n    inherits: baseline\n    elements:\n      - %s\n", e.id, e.ja, e.extra)
	}
	b.WriteString(`targets:                      # CPs形式の目標 (達成率と達成度区分が summary.xlsx の「目標」シートに出ます)
  - name: 1人1日当たりごみ排出量 10%削減 (FY2030)
    indicator: waste_per_capita
    year: 2030
    change_pct: -10
  - name: 最終処分量 20%削減 (FY2035)
    indicator: final_disposal
    year: 2035
    change_pct: -20
consolidation:                # 広域化のブロック (wide_area_consolidation で使用)
  incinerators: jp_incineration_facilities_fy2024.csv   # 稼働中の焼却施設 (令和6年度)
  candidates: existing
  within_prefectures: true
  max_haul_km: 60             # 収集運搬の最大距離 (km)
outputs:
  region_materials: false     # true で市区町村ごとの品目別の行も出力
  # report_years: [2023, 2030, 2035, 2040, 2050]   # summary.xlsx に出す年度
  # csv_bom: true             # Excel で開く CSV に BOM を付ける
validation:
  incinerators: jp_incineration_facilities_fy2024.csv
`)
	return b.String()
}

// yamlQuote quotes s for YAML when it needs it.
func yamlQuote(s string) string {
	if strings.ContainsAny(s, ":#'\"{}[],&*!|>%@` ") {
		return fmt.Sprintf("%q", s)
	}
	return s
}
