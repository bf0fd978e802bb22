package ui_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/store/sqlite"
	"github.com/podiumhq/podium/web/ui"
)

// untilText is how the pages word the time left before t: whole days and
// hours, else hours and minutes, else minutes and seconds.
func untilText(d time.Duration) string {
	if d <= 0 {
		return "now"
	}
	s := int64(d / time.Second)
	days, hours, mins, secs := s/86400, s%86400/3600, s%3600/60, s%60
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	case mins > 0:
		return fmt.Sprintf("%d min %d s", mins, secs)
	default:
		return fmt.Sprintf("%d s", secs)
	}
}

// countdownNear reports whether a countdown reads d, or d less the minute
// a page may have been open before it was read.
func countdownNear(text string, d time.Duration) bool {
	for k := time.Duration(0); k <= time.Minute; k += time.Second {
		if untilText(d-k) == text {
			return true
		}
	}
	return false
}

// roundsReading is what the round pages say at one server clock.
type roundsReading struct {
	Phases     []string
	Countdown  string
	Projection []recipientShown
}

// readRoundsAt serves the seeded program and records shifted to stand at
// now, with the server's clock at now, and reads the round pages in the
// browser.
func readRoundsAt(t *testing.T, ctx context.Context, now time.Time) (roundsReading, *podium.Program) {
	t.Helper()
	bg := context.Background()
	st, err := sqlite.Open(bg, filepath.Join(t.TempDir(), "podium.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	recs := seedRecordsAt(now)
	for i := range recs {
		if err := recs[i].Normalize(podium.NewRegionSet(podium.DefaultRegions()), now); err != nil {
			t.Fatalf("seed record %d: %v", i, err)
		}
	}
	if _, err := st.AddStats(bg, recs); err != nil {
		t.Fatal(err)
	}
	p, text, err := program.Load("testdata/program.yaml")
	if err != nil {
		t.Fatal(err)
	}
	shift := now.Sub(testNow)
	for i := range p.Rounds {
		r := &p.Rounds[i]
		r.Start, r.End, r.Snapshot.At = r.Start.Add(shift), r.End.Add(shift), r.Snapshot.At.Add(shift)
	}
	clock := func() time.Time { return now }
	rounds := &round.Service{Program: p, Text: text, Stats: st, Registry: seedRegistry(), Now: clock}
	h, err := ui.New(ui.Config{Store: st, Regions: podium.DefaultRegions(), Registry: seedRegistry(), Rounds: rounds, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	var r roundsReading
	if err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/rounds"), chromedp.WaitVisible("#rounds", chromedp.ByQuery), loaded,
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#rounds .phase')).map(s => s.innerText.trim())`, &r.Phases),
		chromedp.Navigate(srv.URL+"/rounds/2"), chromedp.WaitVisible("#projection", chromedp.ByQuery), loaded,
		chromedp.Text("#countdown", &r.Countdown, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(readRecipientsJS, "#projection tbody tr[data-address]"), &r.Projection),
	); err != nil {
		t.Fatalf("read the round pages at %s: %v", now, err)
	}
	return r, p
}

// TestBrowser_ClockFromServer serves the round pages with the server's clock
// years before and years after the machine's, and checks that they read as
// they do at the fixture's own time: nothing on a page, its script included,
// comes from the browser's clock.
func TestBrowser_ClockFromServer(t *testing.T) {
	ctx := newBrowser(t)
	// The machine's clock only places the server's far from it; what is
	// checked does not depend on the date.
	days := int(time.Since(testNow).Hours() / 24)
	want, p := readRoundsAt(t, ctx, testNow)
	left := p.Rounds[1].Snapshot.At.Sub(testNow)
	if len(want.Phases) != 3 || len(want.Projection) == 0 || !countdownNear(want.Countdown, left) {
		t.Fatalf("at the fixture's time the pages read %+v; want 3 phases, a projection and a countdown of %v", want, left)
	}
	for _, years := range []int{-7, 7} {
		now := testNow.AddDate(0, 0, days+years*365)
		t.Run(fmt.Sprintf("%+d years", years), func(t *testing.T) {
			got, _ := readRoundsAt(t, ctx, now)
			if !reflect.DeepEqual(got.Phases, want.Phases) {
				t.Errorf("phases %q, at the fixture's time %q", got.Phases, want.Phases)
			}
			if !countdownNear(got.Countdown, left) {
				t.Errorf("countdown reads %q, want %q (as at the fixture's time: %q)", got.Countdown, untilText(left), want.Countdown)
			}
			if !reflect.DeepEqual(got.Projection, want.Projection) {
				t.Errorf("projection %+v, at the fixture's time %+v", got.Projection, want.Projection)
			}
		})
	}
}
