package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/store/storetest"
	"github.com/podiumhq/podium/web"
)

// startProgramServe runs `podium serve --program` with its clock at now.
func startProgramServe(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	m, _, stderr := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	m.Now = func() time.Time { return now }
	return "http://" + runReady(t, m, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), stderr)
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

func TestServe_Program(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testServeProgram(t, filepath.Join(t.TempDir(), "podium.db"))
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		testServeProgram(t, storetest.FreshSchema(t, storetest.PostgresDSN(t)))
	})
}

func testServeProgram(t *testing.T, dsn string) {
	dir := t.TempDir()
	round1DB(t, dsn)
	reg := write(t, filepath.Join(dir, "registry.csv"), round1.Registry)
	url := startProgramServe(t, round1.At.Add(time.Minute), "--db", dsn, "--program", round1File, "--registry", reg)

	// The scheduler takes the due snapshot right after start.
	var rounds web.RoundsBody
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, b := get(t, url+"/api/v1/rounds")
		if status != http.StatusOK {
			t.Fatalf("rounds: %d %s", status, b)
		}
		if err := json.Unmarshal(b, &rounds); err != nil {
			t.Fatal(err)
		}
		if rounds.Rounds[0].Status == "final" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot taken: %s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r := rounds.Rounds[0]
	if rounds.Program != "mvp-performance-incentive" || r.ID != 1 || r.Budget != "7000000000000000000000" || r.RulesID == "" {
		t.Fatalf("rounds %+v", rounds)
	}
	status, snap := get(t, url+"/api/v1/rounds/1/snapshot")
	if status != http.StatusOK || podium.ContentID(snap) != r.SnapshotID {
		t.Fatalf("snapshot %d, id %s, listed %s", status, podium.ContentID(snap), r.SnapshotID)
	}
	status, body := get(t, url+"/api/v1/rounds/1/distribution")
	if status != http.StatusOK {
		t.Fatalf("distribution %d %s", status, body)
	}
	d, err := podium.ParseDistribution(body)
	if err != nil {
		t.Fatal(err)
	}
	if got := round1.Describe(*d); got != round1.Want || d.SnapshotID != r.SnapshotID || d.RulesID != r.RulesID {
		t.Fatalf("distribution\n got:\n%s\nwant:\n%s", got, round1.Want)
	}
	// The same bytes as the command line gives.
	snapFile := write(t, filepath.Join(dir, "snapshot.json"), string(snap))
	if cli := mustRun(t, round1.At, "rewards", "--program", round1File, "--round", "1", "--snapshot", snapFile); cli != string(body) {
		t.Fatal("the API's distribution differs from podium rewards")
	}
	for path, want := range map[string]int{
		"/api/v1/rounds/2/snapshot":     http.StatusNotFound,
		"/api/v1/rounds/x/distribution": http.StatusBadRequest,
	} {
		if status, b := get(t, url+path); status != want {
			t.Fatalf("%s: %d %s, want %d", path, status, b, want)
		}
	}
}

func TestServe_ProgramBeforeSnapshot(t *testing.T) {
	dir := t.TempDir()
	dsn := round1DB(t, filepath.Join(dir, "podium.db"))
	url := startProgramServe(t, round1.At.Add(-48*time.Hour), "--db", dsn, "--program", round1File)
	status, b := get(t, url+"/api/v1/rounds")
	var rounds web.RoundsBody
	if err := json.Unmarshal(b, &rounds); err != nil || status != http.StatusOK || rounds.Rounds[0].Status != "running" {
		t.Fatalf("%d %s", status, b)
	}
	if status, _ := get(t, url+"/api/v1/rounds/1/distribution"); status != http.StatusNotFound {
		t.Fatalf("distribution before the snapshot: %d", status)
	}
	// Two days before the end, the projection's week starts before the
	// round's: it also sees OutsideOnly's perfect tests a second before the
	// round, so eight share the 4000 LPT.
	status, b = get(t, url+"/api/v1/rounds/1/projection")
	var proj round.Projection
	if err := json.Unmarshal(b, &proj); err != nil || status != http.StatusOK {
		t.Fatalf("projection %d %s", status, b)
	}
	if !proj.At.Equal(round1.At.Add(-48*time.Hour)) || len(proj.Distribution.Recipients) != 8 ||
		proj.Distribution.Recipients[7].Address != round1.OutsideOnly || proj.Distribution.Recipients[7].Amount != "700000000000000000000" {
		t.Fatalf("projection %+v", proj)
	}
}
