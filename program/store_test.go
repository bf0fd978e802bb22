package program_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/store/sqlite"
)

// TestPublish: the first version is stored, the same text again is not,
// a change with notice is the next version, and one without is refused.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Date(2020, 12, 14, 15, 0, 0, 0, time.UTC)
	text := round1(t)
	changed := strings.Replace(text, `amount: "4000"`, `amount: "3900"`, 1)

	v, unchanged, err := program.Publish(ctx, st, mustParse(t, text), []byte(text), start.Add(-72*time.Hour))
	if err != nil || unchanged || v.Version != 1 {
		t.Fatalf("first: version %d, unchanged %v, %v", v.Version, unchanged, err)
	}
	if v, unchanged, err = program.Publish(ctx, st, mustParse(t, text), []byte(text), start.Add(-71*time.Hour)); err != nil || !unchanged || v.Version != 1 {
		t.Fatalf("same text: version %d, unchanged %v, %v", v.Version, unchanged, err)
	}
	if v, _, err = program.Publish(ctx, st, mustParse(t, changed), []byte(changed), start.Add(-49*time.Hour)); err != nil || v.Version != 2 {
		t.Fatalf("change with notice: version %d, %v", v.Version, err)
	}
	late := strings.Replace(changed, `amount: "3900"`, `amount: "3800"`, 1)
	if _, _, err = program.Publish(ctx, st, mustParse(t, late), []byte(late), start.Add(-time.Hour)); podium.ErrorCode(err) == "" {
		t.Fatal("a change an hour before the start was published")
	}
	if vs, _ := st.ProgramVersions(ctx, "mvp-performance-incentive"); len(vs) != 2 {
		t.Errorf("%d versions stored, want 2", len(vs))
	}
}
