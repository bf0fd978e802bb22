package payout_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

func TestFindPlan(t *testing.T) {
	plan := func(dir, name string, round int) *payout.Plan {
		t.Helper()
		p := &payout.Plan{Version: payout.PlanVersion, Program: "p", Round: round, ChainID: 1, Symbol: "LPT", Decimals: 18,
			Method: payout.MethodTransfer, Total: "10",
			Payments: []payout.Payment{{Index: 0, Recipient: "0x01", To: "0x01", Amount: "10"}},
			Steps:    []payout.Step{{Index: 0, Kind: payout.KindTransfer, Payments: []int{0}}}}
		p.Hash = p.ComputeHash()
		if err := p.Save(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		want := plan(dir, "two.json", 2)
		plan(dir, "one.json", 1)
		// Files that are not plans are passed over.
		if err := os.WriteFile(filepath.Join(dir, "distribution.json"), []byte(`{"recipients":[]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		got, recs, err := payout.FindPlan(dir, "p", 2)
		if err != nil || got.Hash != want.Hash || len(recs) != 0 {
			t.Fatalf("FindPlan: %v, %d records, %v", got, len(recs), err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		dir := t.TempDir()
		plan(dir, "one.json", 1)
		for _, tt := range []struct {
			program string
			round   int
		}{{"p", 2}, {"other", 1}} {
			if _, _, err := payout.FindPlan(dir, tt.program, tt.round); podium.ErrorCode(err) != podium.ENOTFOUND {
				t.Errorf("FindPlan(%s, %d): %v, want not found", tt.program, tt.round, err)
			}
		}
	})
}
