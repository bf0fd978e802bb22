package probe_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestSpool_Capacity(t *testing.T) {
	dir := t.TempDir()
	s := openSpool(t, dir)
	if err := s.Put(rec("stats-1", 1)); err != nil {
		t.Fatal(err)
	}
	for _, r := range []podium.Capacity{capRec("b", 2), capRec("a", 1), capRec("b", 2), capRec("../../etc/x", 3)} {
		if err := s.PutCapacity(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutCapacity(capRec("", 4)); err == nil {
		t.Fatal("a record without test_id was spooled")
	}
	s = openSpool(t, dir)
	got, err := s.Capacities()
	if err != nil || len(got) != 3 || got[0].TestID != "a" || got[1].TestID != "b" || got[2].TestID != "../../etc/x" {
		t.Fatalf("capacities: %+v, %v", got, err)
	}
	// Stats and capacity records live apart: neither lists the other.
	if stats, err := s.List(); err != nil || len(stats) != 1 || stats[0].TestID != "stats-1" {
		t.Fatalf("stats: %+v, %v", stats, err)
	}
	if n, err := s.Len(); err != nil || n != 4 {
		t.Fatalf("len %d, %v; want 4", n, err)
	}
	if outside, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "etc", "*")); len(outside) != 0 {
		t.Fatalf("a test ID wrote outside the spool: %v", outside)
	}
	if err := s.RemoveCapacity("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCapacity("a"); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
	if err := s.RejectCapacity("b"); err != nil {
		t.Fatal(err)
	}
	got, err = s.Capacities()
	if err != nil || len(got) != 1 || got[0].TestID != "../../etc/x" {
		t.Fatalf("after remove and reject: %+v, %v", got, err)
	}
}

func TestSpool_LatestCapacity(t *testing.T) {
	s := openSpool(t, t.TempDir())
	addr := "0x1111111111111111111111111111111111111111"
	if got, err := s.LatestCapacity(addr, "FRA"); err != nil || !got.IsZero() {
		t.Fatalf("empty spool: %v, %v", got, err)
	}
	other := capRec("other-region", 900)
	other.Region = "LAX"
	for _, r := range []podium.Capacity{capRec("old", 100), capRec("new", 300), other} {
		if err := s.PutCapacity(r); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.LatestCapacity(strings.Replace(addr, "0x1", "0X1", 1), "fra"); err != nil || !got.Equal(time.Unix(300, 0)) {
		t.Fatalf("latest %v, %v; want unix 300", got, err)
	}
	if got, err := s.LatestCapacity("0x2222222222222222222222222222222222222222", "FRA"); err != nil || !got.IsZero() {
		t.Fatalf("another orchestrator: %v, %v", got, err)
	}
}

func TestSpool_CapacityForeignFile(t *testing.T) {
	dir := t.TempDir()
	s := openSpool(t, dir)
	bad := filepath.Join(dir, "capacity", "0123.json")
	if err := os.WriteFile(bad, []byte(`{"test_id": 7}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Capacities()
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "move it out") {
		t.Fatalf("a foreign file: %v; want its path and what to do", err)
	}
}
