package probe_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/probe"
)

// capBoard is a leaderboard stand-in for capacity records: it stores them
// by test_id (idempotent, like the real one), counts posts, can be taken
// down and refuses region XXX.
type capBoard struct {
	mu     sync.Mutex
	down   bool
	posts  int
	stored map[string]podium.Capacity
}

func (b *capBoard) PostCapacity(_ context.Context, r podium.Capacity) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.posts++
	if b.down {
		return podium.Errorf(podium.EUNAVAILABLE, "connection refused")
	}
	if r.Region == "XXX" {
		return podium.FieldError("region", "unknown region")
	}
	if b.stored == nil {
		b.stored = map[string]podium.Capacity{}
	}
	b.stored[r.TestID] = r
	return nil
}

func (b *capBoard) setDown(v bool) { b.mu.Lock(); b.down = v; b.mu.Unlock() }

func capRec(id string, ts int64) podium.Capacity {
	return podium.Capacity{TestID: id, Region: "FRA", Orchestrator: "0x1111111111111111111111111111111111111111", Timestamp: ts,
		Duration: 90, Streams: 3, Renditions: 6, Profiles: 2, Ceiling: 8, StoppedBy: podium.CapacityStoppedBehind,
		Levels: []podium.CapacityLevel{{Streams: 3, Segments: 12, Verified: 12}}}
}

// capSender is a sender posting capacity records to cb and stats records
// to b, spooled in dir.
func capSender(t *testing.T, dir string, b *board, cb *capBoard) *probe.Sender {
	t.Helper()
	s, _ := newSender(t, b)
	s.Spool = openSpool(t, dir)
	s.Capacity = cb
	return s
}

func TestSender_SendCapacity(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		cb := &capBoard{}
		s := capSender(t, t.TempDir(), &board{}, cb)
		if err := s.SendCapacity(ctx, capRec("cap-1", 100)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Spool.Len(); n != 0 || cb.posts != 1 || cb.stored["cap-1"].Streams != 3 {
			t.Fatalf("spool %d, posts %d, stored %+v", n, cb.posts, cb.stored)
		}
	})
	t.Run("KillRestart", func(t *testing.T) {
		// A prober posts while the leaderboard is down and is killed; the
		// next run's sender, on the same directory, posts the record once.
		dir := t.TempDir()
		cb := &capBoard{down: true}
		s := capSender(t, dir, &board{}, cb)
		if err := s.SendCapacity(ctx, capRec("cap-1", 100)); err != nil {
			t.Fatal(err)
		}
		if len(cb.stored) != 0 || cb.posts != 4 {
			t.Fatalf("down: stored %v after %d posts", cb.stored, cb.posts)
		}
		// The kill may leave a half-written file; the restart drops it.
		if err := os.WriteFile(filepath.Join(dir, "capacity", "x.json.tmp"), []byte(`{"test_id":`), 0o644); err != nil {
			t.Fatal(err)
		}
		cb.setDown(false)
		cb.posts = 0
		s2 := capSender(t, dir, &board{}, cb)
		sent, left, err := s2.Drain(ctx)
		if err != nil || sent != 1 || left != 0 {
			t.Fatalf("restart drain: sent %d left %d err %v", sent, left, err)
		}
		if cb.posts != 1 || cb.stored["cap-1"].Levels[0].Verified != 12 {
			t.Fatalf("posts %d stored %+v", cb.posts, cb.stored)
		}
		// Exactly once: nothing is left to post again.
		if sent, _, _ := s2.Drain(ctx); sent != 0 || cb.posts != 1 {
			t.Fatalf("second drain sent %d, posts %d", sent, cb.posts)
		}
		if _, err := os.Stat(filepath.Join(dir, "capacity", "x.json.tmp")); !os.IsNotExist(err) {
			t.Fatalf("torn file kept: %v", err)
		}
	})
	t.Run("DownThenUp", func(t *testing.T) {
		b, cb := &board{down: true}, &capBoard{down: true}
		s := capSender(t, t.TempDir(), b, cb)
		if err := s.Send(ctx, rec("stats-1", 100)); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"cap-2", "cap-1"} {
			if err := s.SendCapacity(ctx, capRec(id, map[string]int64{"cap-1": 100, "cap-2": 200}[id])); err != nil {
				t.Fatal(err)
			}
		}
		// Once the stats post used up its attempts, each capacity
		// record got one: a board down costs one backoff schedule.
		if cb.posts != 2 {
			t.Fatalf("capacity posts while down: %d, want 2", cb.posts)
		}
		if sent, left, err := s.Drain(ctx); err != nil || sent != 0 || left != 3 {
			t.Fatalf("drain while down: sent %d left %d err %v", sent, left, err)
		}
		b.setDown(false)
		cb.setDown(false)
		if sent, left, err := s.Drain(ctx); err != nil || sent != 3 || left != 0 {
			t.Fatalf("drain once up: sent %d left %d err %v", sent, left, err)
		}
		if len(cb.stored) != 2 || len(b.stored) != 1 {
			t.Fatalf("stored %v and %v", cb.stored, b.stored)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		dir := t.TempDir()
		cb := &capBoard{}
		s := capSender(t, dir, &board{}, cb)
		bad := capRec("cap-bad", 100)
		bad.Region = "XXX"
		if err := s.SendCapacity(ctx, bad); err != nil {
			t.Fatal(err)
		}
		if sent, left, err := s.Drain(ctx); err != nil || sent != 0 || left != 0 || cb.posts != 1 {
			t.Fatalf("refused record retried: sent %d left %d posts %d err %v", sent, left, cb.posts, err)
		}
		kept, _ := filepath.Glob(filepath.Join(dir, "rejected", "capacity", "*.json"))
		if len(kept) != 1 {
			t.Fatalf("rejected/capacity holds %v", kept)
		}
	})
	t.Run("NoPoster", func(t *testing.T) {
		// A sender without a capacity poster keeps the records for one
		// that has.
		dir := t.TempDir()
		s := capSender(t, dir, &board{}, nil)
		s.Capacity = nil
		if err := s.SendCapacity(ctx, capRec("cap-1", 100)); err != nil {
			t.Fatal(err)
		}
		if sent, left, err := s.Drain(ctx); err != nil || sent != 0 || left != 1 {
			t.Fatalf("sent %d left %d err %v", sent, left, err)
		}
	})
}

// TestSpool_OldLayout opens a spool as a prober from before capacity
// records were spooled left it: stats files at the top, rejected/ and
// held/, no capacity/. Its records read and post as before.
func TestSpool_OldLayout(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"rejected", "held"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := rec("old-1", 50)
	b, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(old.TestID))
	if err := os.WriteFile(filepath.Join(dir, hex.EncodeToString(h[:16])+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	sb, cb := &board{}, &capBoard{}
	s := capSender(t, dir, sb, cb)
	if got, err := s.Spool.List(); err != nil || len(got) != 1 || got[0].TestID != "old-1" {
		t.Fatalf("list: %+v, %v", got, err)
	}
	if got, err := s.Spool.Capacities(); err != nil || len(got) != 0 {
		t.Fatalf("capacities: %+v, %v", got, err)
	}
	if sent, left, err := s.Drain(context.Background()); err != nil || sent != 1 || left != 0 || sb.stored["old-1"].Timestamp != 50 || cb.posts != 0 {
		t.Fatalf("drain: sent %d left %d err %v stored %v", sent, left, err, sb.stored)
	}
}
