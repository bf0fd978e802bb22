package rollup_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// The packer packs at once, up to SealDelay ago, and stop waits for it.
func TestStartPacker(t *testing.T) {
	var calls atomic.Int64
	got := make(chan int64, 1)
	var logs strings.Builder
	stop := rollup.StartPacker(slog.New(slog.NewTextHandler(&logs, nil)), func(ctx context.Context, h int64) error {
		if calls.Add(1) == 1 {
			got <- h
		}
		return errors.New("database down")
	})
	select {
	case h := <-got:
		if want := time.Now().Add(-rollup.SealDelay).Unix(); h < want-5 || h > want {
			t.Errorf("packed up to %d, want about %d", h, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the packer did not run at start")
	}
	stop()
	n := calls.Load()
	time.Sleep(50 * time.Millisecond)
	if calls.Load() != n {
		t.Error("the packer ran after stop returned")
	}
	if !strings.Contains(logs.String(), "database down") {
		t.Errorf("a failed pack is not logged: %q", logs.String())
	}
}

func TestPackCheck_Err(t *testing.T) {
	a := podium.Aggregate{Tests: 2, SumRoundTrip: 10}
	half := podium.Aggregate{Tests: 1, SumRoundTrip: 5}
	t.Run("OK", func(t *testing.T) {
		var c rollup.PackCheck
		c.Sealed(rollup.Cell{Width: 300, Bucket: 600, Series: 17}, a)
		c.Packed(300, 600, 1, 17, half) // two entries of one series add up
		c.Packed(300, 600, 1, 17, half)
		if err := c.Err(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrWrongBlock", func(t *testing.T) {
		var c rollup.PackCheck
		c.Sealed(rollup.Cell{Width: 300, Bucket: 600, Series: 17}, a)
		c.Packed(300, 600, 0, 17, a)
		if c.Err() == nil {
			t.Fatal("an entry in the wrong block passed")
		}
	})
	t.Run("ErrSums", func(t *testing.T) {
		var c rollup.PackCheck
		c.Sealed(rollup.Cell{Width: 300, Bucket: 600, Series: 17}, a)
		c.Packed(300, 600, 1, 17, half)
		if c.Err() == nil {
			t.Fatal("a missing entry passed")
		}
	})
}

func TestBlockFilter(t *testing.T) {
	f, _ := rollup.SeriesFilter(rollup.Dialect{Placeholder: "$%d"}, podium.StatsQuery{Region: "FRA"})
	if got := rollup.BlockFilter(f); got != " AND block IN (SELECT id / 16 FROM series WHERE region = $1)" {
		t.Errorf("BlockFilter = %q", got)
	}
	if rollup.BlockFilter("") != "" {
		t.Error("no filter gave a block filter")
	}
}
