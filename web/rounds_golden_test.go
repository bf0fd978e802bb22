package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/web"
)

// TestRounds_Golden pins the exact bytes of GET /api/v1/rounds for Round 1
// while it runs, so a change of its shape is a visible diff.
func TestRounds_Golden(t *testing.T) {
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2020, 12, 18, 15, 0, 30, 0, time.UTC)
	mux := http.NewServeMux()
	(&web.Rounds{Service: &round.Service{Program: p, Stats: db, Now: func() time.Time { return now }}}).Register(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/rounds", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/rounds: %d %s", rec.Code, rec.Body)
	}
	golden := filepath.Join("testdata", "golden", "rounds.json")
	if *update {
		if err := os.WriteFile(golden, rec.Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Fatalf("GET /api/v1/rounds:\n got %s\nwant %s", rec.Body.Bytes(), want)
	}
}
