package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/circular-partners/junkan/model"
	"github.com/circular-partners/junkan/sim/batch"
	"go.yaml.in/yaml/v3"
)

// Uncertain is a number of the scenario file given as a distribution,
// e.g. `value: {distribution: triangular, min: 0.8, mode: 0.9, max: 0.95}`.
// A plain run (junkan run) uses its central value ([batch.Dist.Central],
// the mean); a batch samples it.
type Uncertain struct {
	// Name identifies the input in batch outputs: the `name:` given in the
	// distribution, else a name built from the field (e.g.
	// "sorting_yield[plastics]", "ai_sorting.sorting_yield_gain",
	// "tc.recycling.recyclate_output[plastics]"), else the field path.
	Name    string
	Path    string // field path, e.g. "parameters[2].value"
	Dist    batch.Dist
	Central float64 // the value a plain run uses (for a TC share: after scaling, see Group)
	Line    int
	Column  int
	// Group is the index of the transfer_coefficients entry whose shares
	// this is, or −1. The uncertain shares of a split are drawn, then scaled
	// together so that they fill what its fixed shares leave (1 − Σ fixed):
	// every sampled split sums to 1 and every share stays in [0, 1].
	Group int
	segs  []seg
}

// seg is one step of a field path: a struct field (by yaml key), a
// sequence index or a map key.
type seg struct {
	key   string
	index int // ≥ 0 for a sequence index
}

// Uncertain returns the numbers of the file given as distributions, in
// file order.
func (f *File) Uncertain() []Uncertain { return f.uncertain }

// uncertainAllowed lists the fields that may hold a distribution (path
// patterns with [*] for any index and .* for any map key).
var uncertainAllowed = []string{
	"parameters[*].value",
	"transfer_coefficients[*].shares.*",
	"variants[*].elements[*].magnitudes.*",
	"products[*].lifetime.years", "products[*].lifetime.mean", "products[*].lifetime.sd",
	"products[*].lifetime.shape", "products[*].lifetime.scale", "products[*].lifetime.mu",
	"products[*].lifetime.sigma", "products[*].inflow_per_capita_t", "products[*].reuse_life_factor",
	"regions.population_change_per_year", "regions.overrides[*].population",
	"regions.overrides[*].per_capita_g_per_day", "regions.overrides[*].recycling_rate_pct",
	"regions.overrides[*].population_change_per_year",
}

func patternOf(segs []seg) string {
	var b strings.Builder
	for i, s := range segs {
		switch {
		case s.index >= 0:
			b.WriteString("[*]")
		case i > 0 && segs[i-1].key == "shares", i > 0 && segs[i-1].key == "magnitudes":
			b.WriteString(".*")
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		}
	}
	return b.String()
}

func pathOf(segs []seg) string {
	var b strings.Builder
	for i, s := range segs {
		if s.index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// extractUncertain finds the distributions at number fields of doc,
// checks them, and replaces each distribution's node, in place, by a
// number node of its central value at the same line and column (0 for a
// distribution in error, reported), so that the rest of decoding and
// validation sees a plain number.
func (f *File) extractUncertain(doc *yaml.Node) ErrorList {
	var list ErrorList
	type repl struct {
		node *yaml.Node
		u    int // index into f.uncertain, −1 for a distribution in error
	}
	var repls []repl
	var walk func(n *yaml.Node, t reflect.Type, segs []seg, parent *yaml.Node)
	walk = func(n *yaml.Node, t reflect.Type, segs []seg, parent *yaml.Node) {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Int, reflect.Uint64, reflect.Int64, reflect.String, reflect.Bool:
			if n.Kind == yaml.MappingNode && scalarOf(n, "distribution") != "" {
				list = append(list, &Error{File: f.Path, Line: n.Line, Column: n.Column, Path: pathOf(segs),
					Err: errors.New("a distribution is not allowed here: only parameter values, transfer-coefficient shares, element magnitudes, product lifetimes, inflows and reuse factors, and the population, per-capita and rate figures of regions may be uncertain")})
				repls = append(repls, repl{node: n, u: -1})
			}
		case reflect.Float64:
			if n.Kind != yaml.MappingNode {
				return
			}
			u, err := f.parseUncertain(n, segs, parent)
			if err != nil {
				list = append(list, err...)
				repls = append(repls, repl{node: n, u: -1})
				return
			}
			u.Group = -1
			if len(segs) == 4 && segs[0].key == "transfer_coefficients" && segs[2].key == "shares" {
				u.Group = segs[1].index
			}
			f.uncertain = append(f.uncertain, u)
			repls = append(repls, repl{node: n, u: len(f.uncertain) - 1})
		case reflect.Struct:
			if n.Kind != yaml.MappingNode {
				return
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if ft, ok := fieldByTag(t, k.Value); ok {
					walk(v, ft, append(segs[:len(segs):len(segs)], seg{key: k.Value, index: -1}), n)
				}
			}
		case reflect.Map:
			if n.Kind != yaml.MappingNode {
				return
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], t.Elem(), append(segs[:len(segs):len(segs)], seg{key: n.Content[i].Value, index: -1}), n)
			}
		case reflect.Slice:
			if n.Kind != yaml.SequenceNode {
				return
			}
			for i, c := range n.Content {
				walk(c, t.Elem(), append(segs[:len(segs):len(segs)], seg{index: i}), n)
			}
		}
	}
	walk(doc, reflect.TypeOf(f.Scenario), nil, nil)
	if len(repls) == 0 {
		return list
	}
	// Central values; uncertain TC shares scaled to fill 1 − Σ fixed.
	for i := range f.uncertain {
		f.uncertain[i].Central = f.uncertain[i].Dist.Central()
	}
	f.scaleGroups(func(i int) float64 { return f.uncertain[i].Central }, func(i int, v float64) { f.uncertain[i].Central = v }, doc)
	for _, r := range repls {
		text := "0" // a distribution in error: reported above; 0 keeps the decoder quiet
		if r.u >= 0 {
			text = strconv.FormatFloat(f.uncertain[r.u].Central, 'g', -1, 64)
		}
		*r.node = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: text, Line: r.node.Line, Column: r.node.Column}
	}
	return list
}

// scaleGroups scales the uncertain shares of each TC split with uncertain
// members so that they fill 1 − Σ fixed shares (read from the file).
func (f *File) scaleGroups(get func(int) float64, set func(int, float64), doc *yaml.Node) {
	groups := map[int][]int{}
	for i, u := range f.uncertain {
		if u.Group >= 0 {
			groups[u.Group] = append(groups[u.Group], i)
		}
	}
	for g, members := range groups {
		fixed := f.fixedShares(g)
		var s float64
		for _, i := range members {
			s += get(i)
		}
		if s <= 0 {
			continue
		}
		room := math.Max(0, 1-fixed)
		for _, i := range members {
			set(i, get(i)*room/s)
		}
	}
}

// fixedShares returns the sum of the plain (not uncertain) shares of
// transfer_coefficients[g], read from the file's nodes.
func (f *File) fixedShares(g int) float64 {
	n, ok := f.pos[fmt.Sprintf("transfer_coefficients[%d].shares", g)]
	if !ok || n.Kind != yaml.MappingNode {
		return 0
	}
	unc := map[string]bool{}
	for _, u := range f.uncertain {
		if u.Group == g {
			unc[u.segs[len(u.segs)-1].key] = true
		}
	}
	var s float64
	for i := 1; i < len(n.Content); i += 2 {
		v := n.Content[i]
		if v.Kind == yaml.ScalarNode && !unc[n.Content[i-1].Value] {
			x, err := strconv.ParseFloat(v.Value, 64)
			if err == nil {
				s += x
			}
		}
	}
	return s
}

// ScaleShares applies the rule of [Uncertain.Group] to sampled values x
// (len(Uncertain()), in place).
func (f *File) ScaleShares(x []float64) {
	f.scaleGroups(func(i int) float64 { return x[i] }, func(i int, v float64) { x[i] = v }, nil)
}

// distKeys are the keys of a distribution mapping.
var distKeys = []string{"distribution", "name", "min", "mode", "max", "mean", "sd", "mu", "sigma", "alpha", "beta"}

// parseUncertain reads a distribution mapping at segs; parent is the
// mapping holding the field (for the parameter key of parameters[i]).
func (f *File) parseUncertain(n *yaml.Node, segs []seg, parent *yaml.Node) (Uncertain, ErrorList) {
	path := pathOf(segs)
	u := Uncertain{Path: path, Line: n.Line, Column: n.Column, segs: append([]seg(nil), segs...)}
	var list ErrorList
	bad := func(at *yaml.Node, p, format string, a ...any) {
		list = append(list, &Error{File: f.Path, Line: at.Line, Column: at.Column, Path: p, Err: fmt.Errorf(format, a...)})
	}
	allowed := false
	pat := patternOf(segs)
	for _, a := range uncertainAllowed {
		allowed = allowed || a == pat
	}
	if !allowed {
		bad(n, path, "a distribution is not allowed here: only parameter values, transfer-coefficient shares, element magnitudes, product lifetimes, inflows and reuse factors, and the population, per-capita and rate figures of regions may be uncertain")
		return u, list
	}
	vals := map[string]float64{}
	kind := batch.Kind(0)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := path + "." + k.Value
		switch k.Value {
		case "distribution":
			kd, ok := batch.ParseKind(v.Value)
			if !ok {
				bad(v, kp, "unknown distribution %q: want one of %s%s", v.Value, strings.Join(batch.KindNames, ", "), model.Suggest(v.Value, batch.KindNames))
				continue
			}
			kind = kd
		case "name":
			u.Name = v.Value
		default:
			known := false
			for _, d := range distKeys {
				known = known || d == k.Value
			}
			if !known {
				bad(k, kp, "unknown key %q in a distribution%s", k.Value, model.Suggest(k.Value, distKeys))
				continue
			}
			x, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
			if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") || err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				bad(v, kp, "%q is not a finite number", v.Value)
				continue
			}
			vals[k.Value] = x
		}
	}
	if len(list) > 0 {
		return u, list
	}
	if kind == 0 {
		bad(n, path, "a mapping here must be a distribution: {distribution: uniform|triangular|pert|normal|lognormal|beta, …}")
		return u, list
	}
	need := map[batch.Kind][]string{batch.Uniform: {"min", "max"}, batch.Triangular: {"min", "mode", "max"},
		batch.PERT: {"min", "mode", "max"}, batch.Normal: {"mean", "sd"}, batch.Lognormal: {"mu", "sigma"},
		batch.Beta: {"alpha", "beta"}}[kind]
	optional := map[string]bool{}
	if kind == batch.Beta {
		optional["min"], optional["max"] = true, true
	}
	for _, k := range need {
		if _, ok := vals[k]; !ok {
			bad(n, path, "%s distribution needs %s", kind, strings.Join(need, ", "))
			return u, list
		}
	}
	for k := range vals {
		ok := optional[k]
		for _, x := range need {
			ok = ok || x == k
		}
		if !ok {
			bad(n, path, "%s distribution takes %s, not %s", kind, strings.Join(need, ", "), k)
			return u, list
		}
	}
	d := batch.Dist{Kind: kind, Min: vals["min"], Mode: vals["mode"], Max: vals["max"], Mean: vals["mean"], SD: vals["sd"],
		Mu: vals["mu"], Sigma: vals["sigma"], Alpha: vals["alpha"], Beta: vals["beta"]}
	if kind == batch.Beta {
		if _, ok := vals["max"]; !ok {
			d.Max = 1
		}
	}
	d.Lo, d.Hi = f.uncertainDomain(segs, parent)
	if err := d.Validate(); err != nil {
		bad(n, path, "%s", strings.TrimPrefix(err.Error(), batch.ErrDist.Error()+": "))
		return u, list
	}
	if c := d.Central(); math.IsNaN(c) || math.IsInf(c, 0) {
		if kind == batch.Lognormal {
			// Its middle 90 % spans e^(2·1.645σ), i.e. 1.43σ powers of ten.
			bad(n, path, "lognormal with mu %g and sigma %g is too wide: its mean, which a plain run uses, is not a finite number (e^(mu + sigma²/2) = e^%g), and its middle 90 %% spans %.0f powers of ten; give a much smaller sigma",
				d.Mu, d.Sigma, d.Mu+d.Sigma*d.Sigma/2, 2*1.6448536269514722*d.Sigma/math.Ln10)
		} else {
			bad(n, path, "%s distribution is too wide: its mean, which a plain run uses, is not a finite number", kind)
		}
		return u, list
	}
	u.Dist = d
	if u.Name == "" {
		u.Name = defaultName(segs, parent, f)
	}
	return u, nil
}

// uncertainDomain returns the valid range of the number at segs.
func (f *File) uncertainDomain(segs []seg, parent *yaml.Node) (float64, float64) {
	inf := math.Inf(1)
	last := segs[len(segs)-1].key
	switch segs[0].key {
	case "parameters":
		if k, ok := model.ParamByName(scalarOf(parent, "key")); ok {
			lo, hi := paramDomain(k)
			return math.Max(lo, -maxMagnitude), math.Min(hi, maxMagnitude)
		}
		return -maxMagnitude, maxMagnitude
	case "transfer_coefficients":
		return 0, 1
	case "variants":
		lib, err := model.Library(model.Defaults(), append(model.DefaultMaterials(), model.DefaultProducts()...))
		if err == nil {
			for _, el := range lib {
				for _, ef := range el.Effects {
					if ef.Key != last {
						continue
					}
					switch ef.Op {
					case model.GapClose:
						return 0, 1
					case model.Relative:
						return -1, maxMagnitude
					case model.Add:
						if lo, _ := paramDomain(ef.Param); lo >= 0 && ef.Param != model.LifetimeExtension {
							return 0, maxMagnitude
						}
					}
				}
			}
		}
		return -maxMagnitude, maxMagnitude
	case "products":
		switch last {
		case "mu":
			return -maxMagnitude, maxMagnitude
		case "reuse_life_factor":
			return 1e-6, 1
		case "inflow_per_capita_t":
			return 0, inf
		}
		return 1e-6, inf // lifetime years, sd, shape, scale, sigma: > 0
	case "regions":
		switch last {
		case "recycling_rate_pct":
			return 0, 100
		case "population_change_per_year":
			return -0.999, 1
		}
		return 0, inf
	}
	return -maxMagnitude, maxMagnitude
}

func scalarOf(m *yaml.Node, key string) string {
	if m == nil || m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1].Value
		}
	}
	return ""
}

// defaultName builds a readable input name from the field.
func defaultName(segs []seg, parent *yaml.Node, f *File) string {
	last := segs[len(segs)-1].key
	narrow := func(m *yaml.Node) string {
		var b strings.Builder
		if mat := scalarOf(m, "material"); mat != "" {
			b.WriteString("[" + mat + "]")
		}
		if a := scalarOf(m, "archetype"); a != "" {
			b.WriteString("@" + a)
		}
		return b.String()
	}
	switch segs[0].key {
	case "parameters":
		return scalarOf(parent, "key") + narrow(parent)
	case "transfer_coefficients":
		g := f.pos[fmt.Sprintf("transfer_coefficients[%d]", segs[1].index)]
		return "tc." + scalarOf(g, "process") + "." + last + narrow(g)
	case "variants":
		v := f.pos[fmt.Sprintf("variants[%d]", segs[1].index)]
		return scalarOf(v, "name") + ":" + last
	case "products":
		p := f.pos[fmt.Sprintf("products[%d]", segs[1].index)]
		if segs[len(segs)-2].key == "lifetime" {
			return scalarOf(p, "id") + ".lifetime_" + last
		}
		return scalarOf(p, "id") + "." + last
	case "regions":
		if len(segs) > 2 {
			o := f.pos[fmt.Sprintf("regions.overrides[%d]", segs[2].index)]
			return scalarOf(o, "code") + "." + last
		}
	}
	return pathOf(segs)
}

// checkUncertainNames reports repeated input names.
func (f *File) checkUncertainNames() ErrorList {
	var list ErrorList
	seen := map[string]bool{}
	for _, u := range f.uncertain {
		if seen[u.Name] {
			list = append(list, &Error{File: f.Path, Line: u.Line, Column: u.Column, Path: u.Path,
				Err: fmt.Errorf("input name %q used twice: give each distribution its own name: …", u.Name)})
		}
		seen[u.Name] = true
	}
	return list
}

// setNumber sets the number at segs of the scenario to x.
func (f *File) setNumber(segs []seg, x float64) error {
	v := reflect.ValueOf(&f.Scenario).Elem()
	for i, s := range segs {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return fmt.Errorf("scenarios: %s: not set", pathOf(segs))
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Struct:
			found := false
			for j := 0; j < v.NumField(); j++ {
				if tag, _, _ := strings.Cut(v.Type().Field(j).Tag.Get("yaml"), ","); tag == s.key {
					v, found = v.Field(j), true
					break
				}
			}
			if !found {
				return fmt.Errorf("scenarios: no field %s", pathOf(segs[:i+1]))
			}
		case reflect.Slice:
			if s.index < 0 || s.index >= v.Len() {
				return fmt.Errorf("scenarios: no element %s", pathOf(segs[:i+1]))
			}
			v = v.Index(s.index)
		case reflect.Map:
			if i != len(segs)-1 {
				return fmt.Errorf("scenarios: %s: maps of maps are not supported", pathOf(segs))
			}
			v.SetMapIndex(reflect.ValueOf(s.key), reflect.ValueOf(x))
			return nil
		default:
			return fmt.Errorf("scenarios: %s is not a container", pathOf(segs[:i]))
		}
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Float64 {
		return fmt.Errorf("scenarios: %s is not a number", pathOf(segs))
	}
	v.SetFloat(x)
	return nil
}
