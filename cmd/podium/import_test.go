package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/storetest"
)

func TestImport(t *testing.T) {
	for _, tt := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"OKIdempotentSQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "imp.db") }},
		{"OKIdempotentPostgres", func(t *testing.T) string { return storetest.FreshSchema(t, storetest.PostgresDSN(t)) }},
	} {
		t.Run(tt.name, func(t *testing.T) { testImportTwice(t, tt.dsn(t)) })
	}
	t.Run("OKStdin", func(t *testing.T) {
		data, err := os.ReadFile("testdata/import.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		m, stdout, _ := testMain(t, nil)
		m.Stdin = strings.NewReader(lines[0] + "\n" + lines[1]) // no final newline
		if err := m.Run(context.Background(), []string{"import", "--db", filepath.Join(t.TempDir(), "in.db"), "-"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout.String(), "imported 2 records, skipped 0 already stored, 0 invalid lines") {
			t.Fatalf("stdout %q", stdout)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		m, _, _ := testMain(t, nil)
		err := m.Run(context.Background(), []string{"import", "--db", filepath.Join(t.TempDir(), "x.db"), "testdata/none.jsonl"})
		if err == nil || podium.ErrorHint(err) == "" {
			t.Fatalf("got %v", err)
		}
	})
}

// testImportTwice imports testdata/import.jsonl twice into db: the second
// run stores nothing new.
func testImportTwice(t *testing.T, db string) {
	for i, want := range []string{
		"imported 3 records, skipped 1 already stored, 2 invalid lines",
		"imported 0 records, skipped 4 already stored, 2 invalid lines",
	} {
		m, stdout, stderr := testMain(t, nil)
		err := m.Run(context.Background(), []string{"import", "--db", db, "testdata/import.jsonl"})
		if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "2 invalid lines") {
			t.Fatalf("run %d: got %v", i, err)
		}
		if !strings.Contains(stdout.String(), want) {
			t.Fatalf("run %d: stdout %q, want %q", i, stdout, want)
		}
		for _, line := range []string{"line 3: region: unknown region \"XYZ\"", "line 6: timestamp: must be an integer"} {
			if !strings.Contains(stderr.String(), line) {
				t.Errorf("run %d: stderr lacks %q:\n%s", i, line, stderr)
			}
		}
	}
}
