package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/circular-partners/junkan/output/report"
)

// chromium returns the Chromium binary, skipping the test when there is
// none unless JUNKAN_REQUIRE_TOOLS=1.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("JUNKAN_REQUIRE_TOOLS") == "1" {
		t.Fatal("no chromium on PATH (Debian: apt-get install chromium)")
	}
	t.Skip("no chromium on PATH (Debian: apt-get install chromium)")
	return ""
}

// browse opens page headless with the network off (a proxy to nowhere,
// every host unresolvable, background networking off), takes a
// screenshot and returns the console lines, the URLs the page asked for
// (from Chromium's net log: requests the page initiated, not the
// browser's own) and the rendered DOM.
func browse(t *testing.T, bin, page, shot string) (console, requests []string, dom string) {
	t.Helper()
	dir := t.TempDir()
	netlog := filepath.Join(dir, "netlog.json")
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
		"--disable-extensions", "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0"}
	run := func(extra ...string) ([]byte, []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(append(args, extra...), "file://"+page)...)
		var so, se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &se
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium: %v\n%s", err, se.String())
		}
		return so.Bytes(), se.Bytes()
	}
	_, stderr := run("--window-size=1300,4200", "--screenshot="+shot, "--log-net-log="+netlog)
	for _, line := range strings.Split(string(stderr), "\n") {
		if strings.Contains(line, "INFO:CONSOLE") {
			console = append(console, line)
		}
	}
	b, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatal(err)
	}
	var nl struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &nl); err != nil {
		t.Fatalf("net log: %v", err)
	}
	start, ok := nl.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("net log without URL_REQUEST_START_JOB events")
	}
	for _, e := range nl.Events {
		if e.Type != start {
			continue
		}
		url, _ := e.Params["url"].(string)
		init, _ := e.Params["initiator"].(string)
		if init == "not an origin" { // the browser's own (time sync, accounts), not the page
			continue
		}
		if url == "" || strings.HasPrefix(url, "file://"+page) || strings.HasPrefix(url, "data:") {
			continue
		}
		requests = append(requests, url)
	}
	out, _ := run("--dump-dom")
	return console, requests, string(out)
}

// TestBrowser opens the Saitama report in headless Chromium from disk with
// the network off: no console line, no request leaving the file, the
// Japanese section titles rendered, a screenshot kept beside the report
// (in $JUNKAN_BROWSER_OUT, default a junkan-browser-test folder in the
// temporary directory). A control page with a remote image and a
// console.log must be caught, so the checks can fail.
func TestBrowser(t *testing.T) {
	needFont(t)
	bin := chromium(t)
	dir := saitama(t)
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	keep := os.Getenv("JUNKAN_BROWSER_OUT")
	if keep == "" {
		keep = filepath.Join(os.TempDir(), "junkan-browser-test")
	}
	if err := os.MkdirAll(keep, 0o755); err != nil {
		t.Fatal(err)
	}
	keep, _ = filepath.Abs(keep)
	page := filepath.Join(keep, "report.html")
	os.Remove(page) // this test's own page of an earlier run, perhaps by an older junkan
	if err := report.WriteFile(page, []*report.Run{r}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(keep, "report.png")
	console, requests, dom := browse(t, bin, page, shot)
	for _, c := range console {
		t.Errorf("console: %s", c)
	}
	for _, u := range requests {
		t.Errorf("request leaving the file: %s", u)
	}
	for _, s := range sectionTitles {
		if !strings.Contains(dom, "<h2>"+s+"</h2>") {
			t.Errorf("rendered page lacks the heading %s", s)
		}
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 50000 {
		t.Errorf("screenshot %s: %v", shot, err)
	}
	t.Logf("report and screenshot kept in %s", keep)

	ctrl := filepath.Join(t.TempDir(), "control.html")
	os.WriteFile(ctrl, []byte(`<!DOCTYPE html><html><body><h1>x</h1><img src="http://example.invalid/x.png"><script>console.log("hello")</script></body></html>`), 0o644)
	console, requests, _ = browse(t, bin, ctrl, filepath.Join(t.TempDir(), "c.png"))
	if len(console) == 0 || len(requests) == 0 {
		t.Errorf("control page: console %q, requests %q: the checks would not catch a leak", console, requests)
	}
}
