package node

import (
	"context"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// TestOrchestrator_Advertised checks that the node advertises its
// capacity in every capability, as go-livepeer's capacities map does.
func TestOrchestrator_Advertised(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		capacity int
		want     int
	}{
		{"OKThree", 3, 3},
		{"OKUnlimitedSaysOne", 0, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			info, err := newClient().GetOrchestrator(timeout(t), startOrchestrator(t, &Orchestrator{Capacity: tt.capacity}))
			if err != nil {
				t.Fatal(err)
			}
			if got := lpnet.AdvertisedCapacity(info); got != tt.want {
				t.Fatalf("advertised %d, want %d", got, tt.want)
			}
			for c, n := range info.GetCapabilities().GetCapacities() {
				if int(n) != tt.want {
					t.Fatalf("capability %d advertises %d, want %d", c, n, tt.want)
				}
			}
		})
	}
}

// TestOrchestrator_CappedSegment: as go-livepeer's, a session takes its
// slot with its first segment, so sessions opened while there was room
// are refused at POST /segment once others took the slots.
func TestOrchestrator_CappedSegment(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	uri := startOrchestrator(t, &Orchestrator{Capacity: 2})
	c := newClient()
	infos := make([]*lpnet.OrchestratorInfo, 3)
	for i := range infos {
		info, err := c.GetOrchestrator(timeout(t), uri)
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		infos[i] = info
	}
	seg := lpnet.Segment{ManifestID: "m", Data: segA, Duration: 2 * time.Second, Profiles: ladder(t, "P144p30fps16x9")}
	for i, info := range infos {
		_, err := c.Transcode(timeout(t), info, seg)
		switch {
		case i < 2 && err != nil:
			t.Fatalf("OK: session %d: %v", i, err)
		case i == 2 && lpnet.ErrorCode(err) != lpnet.CodeCapped:
			t.Fatalf("ErrCapped: session %d: err = %v", i, err)
		}
	}
}

func TestOrchestrator_admit(t *testing.T) {
	t.Parallel()
	job := func(session string) *lpnet.Job {
		return &lpnet.Job{SessionID: session, Duration: 300 * time.Millisecond}
	}
	t.Run("OKTranscodersBound", func(t *testing.T) {
		t.Parallel()
		o := &Orchestrator{Transcoders: 1}
		o.init()
		done, err := o.admit(context.Background(), job("a"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := o.admit(ctx, job("b")); err == nil {
			t.Fatal("a second ffmpeg ran while the only slot was taken")
		}
		done()
		done, err = o.admit(context.Background(), job("b"))
		if err != nil {
			t.Fatalf("slot not freed: %v", err)
		}
		done()
	})
	t.Run("OKOverclaimHoldsBackTheRest", func(t *testing.T) {
		t.Parallel()
		o := &Orchestrator{Capacity: 4, Fault: Fault{Kind: FaultOverclaim, Sessions: 1}}
		o.init()
		// a is carried; b and c are not, each held longer segment by segment.
		for _, tt := range []struct {
			session string
			want    int
		}{{"a", 0}, {"b", 1}, {"a", 0}, {"b", 2}, {"c", 1}, {"b", 3}} {
			if got := o.backlog(tt.session); got != tt.want {
				t.Fatalf("session %s held back %d durations, want %d", tt.session, got, tt.want)
			}
		}
		start := time.Now()
		done, err := o.admit(context.Background(), job("c"))
		if err != nil {
			t.Fatal(err)
		}
		done()
		if held := time.Since(start); held < 600*time.Millisecond {
			t.Fatalf("c's second segment held %v, want 2 × 300ms", held)
		}
	})
	t.Run("ErrCancelled", func(t *testing.T) {
		t.Parallel()
		o := &Orchestrator{Fault: Fault{Kind: FaultOverclaim, Sessions: 1}}
		o.init()
		done, _ := o.admit(context.Background(), job("a"))
		done()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := o.admit(ctx, job("b")); err == nil {
			t.Fatal("a held-back segment ignored its cancelled context")
		}
	})
}
