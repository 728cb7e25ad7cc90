package report

import (
	"os"
	"testing"
	"time"
)

func TestDevLoad(t *testing.T) {
	dir := os.Getenv("JUNKAN_REPORT_DEV")
	if dir == "" {
		t.Skip()
	}
	t0 := time.Now()
	r, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load %v: %d series, %d variants", time.Since(t0), len(r.Series), len(r.Variants))
}

func TestDevReport(t *testing.T) {
	dir := os.Getenv("JUNKAN_REPORT_DEV")
	if dir == "" {
		t.Skip()
	}
	r, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fd := os.Getenv("JUNKAN_REPORT_FIGS")
	os.MkdirAll(fd, 0o755)
	if err := WriteFile("/tmp/dev13.html", []*Run{r}, Options{FigureDir: fd}); err != nil {
		t.Fatal(err)
	}
}
