package scenarios_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/circular-partners/junkan/scenarios"
)

// compileSchema compiles the generated schema with an independent JSON
// Schema validator (which checks it against the draft 2020-12 metaschema).
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(scenarios.JSONSchema()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("schema is not valid JSON Schema: %v", err)
	}
	return sch
}

// instance converts YAML to the JSON value a YAML language server checks.
func instance(t *testing.T, y []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(y, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestSchemaAcceptsShipped: every shipped scenario is valid under the
// schema; a key typo at any level is not.
func TestSchemaAcceptsShipped(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob("*.yaml")
	if len(files) < 3 {
		t.Fatalf("shipped scenarios: %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(instance(t, b)); err != nil {
			t.Errorf("%s is rejected by the schema: %v", f, err)
		}
	}
	b, _ := os.ReadFile("saitama-2050.yaml")
	for _, typo := range []struct{ old, new string }{
		{"end_year:", "end_yaer:"},
		{"    file: jp_municipalities", "    fiel: jp_municipalities"},
		{"        start_year: 2026", "        start_yr: 2026"},
		{"  region_materials:", "  region_material:"},
		{"    change_pct: -10", "    change_pc: -10"},
	} {
		if !bytes.Contains(b, []byte(typo.old)) {
			t.Fatalf("%q not in saitama-2050.yaml", typo.old)
		}
		bad := bytes.Replace(b, []byte(typo.old), []byte(typo.new), 1)
		err := sch.Validate(instance(t, bad))
		if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(strings.TrimSuffix(typo.new[:strings.Index(typo.new, ":")], ""))) {
			t.Errorf("typo %q: %v; want a rejection naming it", typo.new, err)
		}
	}
	// Wrong kinds too, in an otherwise valid file.
	if err := sch.Validate(instance(t, []byte(small))); err != nil {
		t.Fatalf("small scenario rejected: %v", err)
	}
	for _, r := range [][2]string{{"base_year: 2023", "base_year: soon"}, {"variants: [{name: b}]", "variants: baseline"},
		{"outputs: {plots: true}", "outputs: {plots: maybe}"}, {"seed: 1", "seed: -1"}} {
		y := strings.Replace(small, r[0], r[1], 1)
		if err := sch.Validate(instance(t, []byte(y))); err == nil {
			t.Errorf("%q accepted", r[1])
		}
	}
}

const small = "name: t\nbase_year: 2023\nend_year: 2050\nseed: 1\nregions: {source: synthetic}\nvariants: [{name: b}]\noutputs: {plots: true}\n"
