package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/store/storetest"
)

// childEnv names the database the child process writes to.
const childEnv = "PODIUM_DURABILITY_CHILD_DB"

// TestDurability_KillDashNine runs a writer in a child process, kills it
// with SIGKILL while it writes, and checks that every batch the child saw
// acknowledged is in the database.
func TestDurability_KillDashNine(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		writeUntilKilled(path)
		return
	}
	path := filepath.Join(t.TempDir(), "podium.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurability_KillDashNine$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read acknowledgements until enough batches went through, then kill the
	// child in the middle of its next writes.
	acked := -1
	lines := bufio.NewScanner(out)
	start := time.Now()
	deadline := start.Add(20 * time.Second)
	// Past one fold interval, so the child's upkeep has folded and packed.
	for (acked < 30 || time.Since(start) < rollup.FoldInterval*3/2) && lines.Scan() && time.Now().Before(deadline) {
		if n, ok := strings.CutPrefix(lines.Text(), "acked "); ok {
			acked, _ = strconv.Atoi(n)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if acked < 0 {
		t.Fatal("the child acknowledged nothing")
	}

	db, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored, err := db.RawStats(context.Background(), podium.StatsQuery{Since: 0, Until: storetest.Base + 86400})
	if err != nil {
		t.Fatal(err)
	}
	have := make(map[string]bool, len(stored))
	for _, s := range stored {
		have[s.TestID] = true
	}
	for b := 0; b <= acked; b++ {
		for i := 0; i < batchSize; i++ {
			if id := testID(b, i); !have[id] {
				t.Fatalf("acknowledged record %s (batch %d of %d) is lost", id, b, acked)
			}
		}
	}
	t.Logf("%d batches acknowledged, %d records found after kill -9", acked+1, len(stored))

	// The rollups, packs and fold mark the child left agree with the
	// records, before and after the rest is folded.
	ctx := context.Background()
	q := podium.StatsQuery{Since: 0, Until: storetest.Base + 86400}
	for _, stage := range []string{"as the child left it", "folded"} {
		got, err := db.Aggregates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.ScanAggregates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Aggregates differ from the raw scan:\n got  %+v\n want %+v", stage, got, want)
		}
		if err := db.CheckPacks(ctx); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		for {
			n, err := db.Fold(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			t.Logf("folded %d records the child had not", n)
		}
	}
}

const batchSize = 20

func testID(batch, i int) string { return fmt.Sprintf("d-%d-%d", batch, i) }

// writeUntilKilled adds batches forever, printing each acknowledged batch
// number after AddStats returns, while its upkeep folds and packs them.
func writeUntilKilled(path string) {
	db, err := sqlite.Open(context.Background(), path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// A clock an hour after the records: their cells are sealed as they come.
	db.StartPacker(func() time.Time { return time.Unix(storetest.Base+3600, 0) })
	for b := 0; ; b++ {
		recs := make([]podium.Stats, batchSize)
		for i := range recs {
			recs[i] = storetest.Record(i, storetest.Regions[b%3], storetest.Base+int64(b))
			recs[i].TestID = testID(b, i)
		}
		if _, err := db.AddStats(context.Background(), recs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("acked %d\n", b)
	}
}
