package probe_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

func rec(id string, ts int64) podium.Stats {
	return podium.Stats{Region: "FRA", Orchestrator: "0x1111111111111111111111111111111111111111", Timestamp: ts, TestID: id, Errors: []podium.StatsError{}}
}

func openSpool(t *testing.T, dir string) *probe.Spool {
	t.Helper()
	s, err := probe.OpenSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSpool(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		s := openSpool(t, dir)
		for _, r := range []podium.Stats{rec("b", 2), rec("a", 1), rec("b", 2), rec("../../etc/x", 3)} {
			if err := s.Put(r); err != nil {
				t.Fatal(err)
			}
		}
		// A crash mid-write leaves a .tmp file; reopening removes it.
		if err := os.WriteFile(filepath.Join(dir, "x.json.tmp"), []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		s = openSpool(t, dir)
		got, err := s.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].TestID != "a" || got[1].TestID != "b" || got[2].TestID != "../../etc/x" {
			t.Fatalf("list = %+v, want a, b, ../../etc/x once each, oldest first", got)
		}
		if err := s.Remove("a"); err != nil {
			t.Fatal(err)
		}
		if err := s.Remove("a"); err != nil {
			t.Fatalf("removing twice: %v", err)
		}
		if err := s.Reject("b"); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Len(); n != 1 {
			t.Fatalf("len = %d, want 1", n)
		}
		rejected, _ := filepath.Glob(filepath.Join(dir, "rejected", "*.json"))
		if len(rejected) != 1 {
			t.Fatalf("rejected = %v, want one file", rejected)
		}
		tmps, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
		if len(tmps) != 0 {
			t.Fatalf("temporary files left: %v", tmps)
		}
	})
	t.Run("ErrNoTestID", func(t *testing.T) {
		err := openSpool(t, t.TempDir()).Put(rec("", 1))
		if podium.ErrorField(err) != "test_id" {
			t.Fatalf("err = %v, want a test_id error", err)
		}
	})
	t.Run("ErrNoDir", func(t *testing.T) {
		_, err := probe.OpenSpool("")
		if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorHint(err) == "" {
			t.Fatalf("err = %v, want invalid with a hint", err)
		}
	})
	t.Run("ErrCorrupt", func(t *testing.T) {
		dir := t.TempDir()
		s := openSpool(t, dir)
		if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := s.List(); err == nil {
			t.Fatal("want an error naming the corrupt file")
		}
	})
}

// Held records live apart from the records waiting to be posted.
func TestSpool_Hold(t *testing.T) {
	dir := t.TempDir()
	s := openSpool(t, dir)
	a := podium.Stats{TestID: "a", Region: "FRA", Timestamp: 2}
	b := podium.Stats{TestID: "b", Region: "FRA", Timestamp: 1}
	for _, r := range []podium.Stats{a, b} {
		if err := s.Hold(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Hold(podium.Stats{}); podium.ErrorField(err) != "test_id" {
		t.Errorf("held a record without a test ID: %v", err)
	}
	if n, err := s.Len(); err != nil || n != 0 {
		t.Fatalf("held records counted as waiting to post: %d, %v", n, err)
	}
	// A crash while holding leaves a temporary file; opening removes it.
	if err := os.WriteFile(filepath.Join(dir, "held", "x.json.tmp"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	s = openSpool(t, dir)
	held, err := s.Held()
	if err != nil || len(held) != 2 || held[0].TestID != "b" || held[1].TestID != "a" {
		t.Fatalf("held = %+v, %v; want b then a", held, err)
	}
	if err := s.Unhold("b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Unhold("b"); err != nil {
		t.Fatalf("releasing twice: %v", err)
	}
	if held, _ := s.Held(); len(held) != 1 || held[0].TestID != "a" {
		t.Fatalf("held after release = %+v", held)
	}
}
