package rollup_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// The upkeep packs at once, up to SealDelay before its clock, logs a
// failure, and stop ends it.
func TestStartUpkeep_Pack(t *testing.T) {
	now := time.Date(2020, 12, 14, 15, 0, 0, 0, time.UTC)
	got := make(chan int64, 1)
	logs := &syncBuilder{wrote: make(chan struct{})}
	stop := rollup.StartUpkeep(slog.New(slog.NewTextHandler(logs, nil)), func() time.Time { return now }, nil,
		func(context.Context) (int, error) { return 0, nil },
		func(ctx context.Context, h int64) error {
			select {
			case got <- h:
			default:
			}
			return errors.New("database down")
		})
	defer stop()
	select {
	case h := <-got:
		if want := now.Add(-rollup.SealDelay).Unix(); h != want {
			t.Errorf("packed up to %d, want %d", h, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the packer did not run at start")
	}
	select {
	case <-logs.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("a failed pack is not logged")
	}
	if !strings.Contains(logs.String(), "database down") {
		t.Errorf("the log does not say why the pack failed: %q", logs.String())
	}
}

// syncBuilder is a strings.Builder safe for the packer's goroutine; wrote
// is closed at the first write.
type syncBuilder struct {
	mu    sync.Mutex
	b     strings.Builder
	wrote chan struct{}
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() == 0 {
		close(s.wrote)
	}
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
