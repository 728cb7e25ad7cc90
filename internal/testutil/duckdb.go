package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RequireTools reports whether tests must fail, not skip, when an external
// tool is missing (JUNKAN_REQUIRE_TOOLS=1, set by .ci/run).
func RequireTools() bool { return os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" }

// MissingTool skips the test, or fails it under [RequireTools].
func MissingTool(tb testing.TB, format string, a ...any) {
	tb.Helper()
	if RequireTools() {
		tb.Fatalf(format, a...)
	}
	tb.Skipf(format, a...)
}

// DuckDB runs the SQL query with DuckDB from npm (@duckdb/node-api,
// installed in $JUNKAN_DUCKDB_DIR by .ci/run) and returns its rows as JSON
// (getRowObjectsJson). It skips the test when node or the package is
// missing, unless JUNKAN_REQUIRE_TOOLS=1.
func DuckDB(tb testing.TB, query string) string {
	tb.Helper()
	dir := os.Getenv("JUNKAN_DUCKDB_DIR")
	if dir == "" {
		MissingTool(tb, "JUNKAN_DUCKDB_DIR not set (a directory with node_modules/@duckdb/node-api)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		MissingTool(tb, "@duckdb/node-api not installed in %s: %v", dir, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		MissingTool(tb, "node not found: %v", err)
	}
	script := filepath.Join(dir, "junkan-query.mjs")
	src := `import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const r = await con.runAndReadAll(process.argv[2]);
console.log(JSON.stringify(r.getRowObjectsJson()));
`
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(node, script, query).CombinedOutput()
	if err != nil {
		tb.Fatalf("duckdb %q: %v\n%s", query, err, out)
	}
	return strings.TrimSpace(string(out))
}
