package payout_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

func TestOpenJournal_OK(t *testing.T) {
	path := t.TempDir() + "/plan.json.journal"
	j, err := payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(payout.Record{Kind: payout.RecordMined, Step: 0, Hash: "0x1", Status: 1}); err != nil {
		t.Fatal(err)
	}
	j.Close()

	// A crash in the middle of a write leaves a torn line: it is dropped and
	// the next record starts on a line of its own.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"kind":"signed","step":1,"raw":"0xdead`)
	f.Close()
	j, err = payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(j.Records()); n != 2 {
		t.Fatalf("%d records, want 2", n)
	}
	if err := j.Append(payout.Record{Kind: payout.RecordMined, Step: 1, Hash: "0x2", Status: 1}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	recs, err := payout.ReadJournal(path)
	if err != nil || len(recs) != 3 || recs[2].Hash != "0x2" {
		t.Fatalf("records %+v, %v", recs, err)
	}
}

func TestOpenJournal_Err(t *testing.T) {
	t.Run("ErrOtherPlan", func(t *testing.T) {
		path := t.TempDir() + "/j"
		j, err := payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		j.Close()
		if _, err := payout.OpenJournal(path, "sha256:b", time.Unix(0, 0)); podium.ErrorCode(err) != podium.ECONFLICT {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrInUse", func(t *testing.T) {
		// Two executes of one plan: the second cannot open the journal
		// while the first holds it, and can once it is closed.
		path := t.TempDir() + "/j"
		j, err := payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
		if podium.ErrorCode(err) != podium.ECONFLICT || !strings.Contains(err.Error(), "in use") {
			t.Fatalf("second open: %v", err)
		}
		j.Close()
		j, err = payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
		if err != nil {
			t.Fatalf("open after close: %v", err)
		}
		j.Close()
	})
	t.Run("ErrDamaged", func(t *testing.T) {
		path := t.TempDir() + "/j"
		writeFile(t, path, []byte("{\"kind\":\"plan\",\"plan\":\"sha256:a\"}\nnot json\n{}\n"))
		_, err := payout.OpenJournal(path, "sha256:a", time.Unix(0, 0))
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Fatalf("got %v", err)
		}
	})
}
