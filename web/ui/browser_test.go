package ui_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/server"
	"github.com/podiumhq/podium/web"
)

// chromiumPath returns Debian's chromium, or skips (fails in CI) without it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("PODIUM_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium not found at %s: install it (apt-get install chromium) or set PODIUM_CHROMIUM", p)
		}
		t.Skipf("chromium not found at %s; the browser tests need it", p)
	}
	return p
}

// artifacts returns the directory screenshots are saved in.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PODIUM_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts a headless chromium with a fresh profile and returns a
// tab's context, cancelled (and the browser stopped) at the end of the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	// Not t.TempDir: chromium's helpers may still write to the profile
	// while the test's own cleanup runs, so it is removed leniently.
	profile, err := os.MkdirTemp("", "podium-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), // screenshots show the whole viewport
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, _ := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		chromedp.Cancel(tab) // closes the browser and waits for it
		cancelAlloc()
		cancel()
		for i := 0; i < 10 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Run(tab); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return tab
}

// shown is a row of scores as the page shows them.
type shown struct {
	Address string `json:"address"`
	Total   string `json:"total"`
	Success string `json:"success"`
	Latency string `json:"latency"`
}

// readRows returns the score rows of the table matching sel, keyed by the
// row's data-address or data-region.
const readRowsJS = `Array.from(document.querySelectorAll(%q)).map(tr => ({
	address: tr.dataset.address || tr.dataset.region,
	total: tr.querySelector('[data-col=total]').innerText.trim(),
	success: tr.querySelector('[data-col=success]').innerText.trim(),
	latency: tr.querySelector('[data-col=latency]').innerText.trim()}))`

func readRows(t *testing.T, ctx context.Context, sel string) []shown {
	t.Helper()
	var rows []shown
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(readRowsJS, sel), &rows)); err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return rows
}

// want returns what the page must show for each orchestrator in region ("" =
// Global, the mean over the regions with data) over [since, until): the
// scores GET /api/aggregated_stats answers, on 0–10; "no data" for those it
// leaves out.
func want(t *testing.T, api *web.Client, region string, since, until time.Time) map[string]shown {
	t.Helper()
	got, err := api.AggregatedStats(context.Background(), podium.StatsQuery{Since: since.Unix(), Until: until.Unix()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]shown{}
	for _, c := range characters {
		var sum podium.Score
		n := 0
		for reg, s := range got[c.Addr] {
			if region == "" || reg == region {
				sum.Total += s.Total
				sum.SuccessRate += s.SuccessRate
				sum.RoundTripScore += s.RoundTripScore
				n++
			}
		}
		if n == 0 {
			out[c.Addr] = shown{Address: c.Addr, Total: "no data", Success: "—", Latency: "—"}
			continue
		}
		f := func(x float64) string { return fmt.Sprintf("%.2f", x/float64(n)*10) }
		out[c.Addr] = shown{Address: c.Addr, Total: f(sum.Total), Success: f(sum.SuccessRate), Latency: f(sum.RoundTripScore)}
	}
	return out
}

// checkRows compares the rows shown with the rows wanted, every one.
func checkRows(t *testing.T, got []shown, want map[string]shown) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("page shows %d rows, want %d", len(got), len(want))
	}
	for _, g := range got {
		if w, ok := want[g.Address]; !ok {
			t.Errorf("page shows unexpected row %s", g.Address)
		} else if g != w {
			t.Errorf("row %s: page shows %+v, want %+v", g.Address, g, w)
		}
	}
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	var u string
	if err := chromedp.Run(ctx, chromedp.Location(&u)); err != nil {
		t.Fatal(err)
	}
	return u
}

// loaded waits until the page is parsed to its end: a visible element can
// come before the rows the test reads.
var loaded = chromedp.WaitVisible("body > footer", chromedp.ByQuery)

// click follows the link sel and waits for ready to be visible.
func click(t *testing.T, ctx context.Context, sel, ready string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Click(sel, chromedp.ByQuery), chromedp.WaitVisible(ready, chromedp.ByQuery), loaded); err != nil {
		t.Fatalf("click %s, wait for %s: %v", sel, ready, err)
	}
}

func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	dir := artifacts(t)
	db, st := serveDB(t)
	// The API server with the UI mounted: what podium serve runs.
	rounds := programRounds(t, st)
	// The fixture's three regions (the leaderboard's default lists 21).
	srv := startServe(t, server.Config{Store: db, Program: rounds.Program, ProgramText: rounds.Text, Regions: podium.DefaultRegions(),
		Registry: seedRegistry(), Payouts: seedPayouts(t, rounds), Now: func() time.Time { return testNow }})
	client := web.NewClient(srv.URL(), nil)
	day, week := testNow.Add(-24*time.Hour), testNow.Add(-7*24*time.Hour)
	const board = "#leaderboard tbody tr[data-address]"

	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL()+"/"), chromedp.WaitVisible("#leaderboard", chromedp.ByQuery), loaded); err != nil {
		t.Fatal(err)
	}
	checkRows(t, readRows(t, ctx, board), want(t, client, "", day, testNow))
	screenshot(t, ctx, dir, "leaderboard-global-24h")

	click(t, ctx, `a[data-region="FRA"]`, `a[data-region="FRA"][aria-current]`)
	if u := location(t, ctx); !strings.Contains(u, "region=FRA") {
		t.Errorf("after picking FRA the URL is %s", u)
	}
	checkRows(t, readRows(t, ctx, board), want(t, client, "FRA", day, testNow))

	click(t, ctx, `a[data-window="7d"]`, `a[data-window="7d"][aria-current]`)
	if u := location(t, ctx); !strings.Contains(u, "region=FRA") || !strings.Contains(u, "window=7d") {
		t.Errorf("after picking 7 d the URL is %s", u)
	}
	checkRows(t, readRows(t, ctx, board), want(t, client, "FRA", week, testNow))
	screenshot(t, ctx, dir, "leaderboard-fra-7d")

	// The custom window: a form of two datetime inputs, kept in the URL.
	since, until := testNow.Add(-72*time.Hour), testNow.Add(-36*time.Hour)
	if err := chromedp.Run(ctx,
		chromedp.Click(`a[data-window="custom"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#custom input[name=since]`, chromedp.ByQuery),
		chromedp.SetValue(`#custom input[name=since]`, since.Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`#custom input[name=until]`, until.Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.Submit(`#custom`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[data-window="custom"][aria-current]`, chromedp.ByQuery),
		loaded,
	); err != nil {
		t.Fatal(err)
	}
	if u := location(t, ctx); !strings.Contains(u, "window=custom") || !strings.Contains(u, "region=FRA") {
		t.Errorf("after a custom window the URL is %s", u)
	}
	checkRows(t, readRows(t, ctx, board), want(t, client, "FRA", since, until))

	// Search by name: the script filters as one types and keeps the search
	// in the URL; submitting asks the server. Then follow the link to the
	// orchestrator.
	var visible []string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL()+"/?window=7d"),
		chromedp.SendKeys(`input[name=q]`, "FAST", chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#leaderboard tbody tr[data-address]')).filter(tr => !tr.hidden).map(tr => tr.dataset.address)`, &visible),
	); err != nil {
		t.Fatal(err)
	}
	if len(visible) != 1 || visible[0] != addr(1) {
		t.Errorf("typing FAST leaves %v visible, want only %s", visible, addr(1))
	}
	if u := location(t, ctx); !strings.Contains(u, "q=FAST") || !strings.Contains(u, "window=7d") {
		t.Errorf("after typing the URL is %s", u)
	}
	if err := chromedp.Run(ctx,
		chromedp.Submit(`input[name=q]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a.clear`, chromedp.ByQuery),
		loaded,
	); err != nil {
		t.Fatal(err)
	}
	rows := readRows(t, ctx, board)
	if len(rows) != 1 || rows[0].Address != addr(1) {
		t.Fatalf("search for fast shows %+v, want only %s", rows, addr(1))
	}
	click(t, ctx, fmt.Sprintf(`tr[data-address="%s"] .who a`, addr(1)), "#scores")
	if u := location(t, ctx); !strings.Contains(u, "/orchestrators/"+addr(1)) || !strings.Contains(u, "window=7d") {
		t.Errorf("the orchestrator link went to %s", u)
	}
	got := readRows(t, ctx, "#scores tbody tr")
	wantRegions := map[string]shown{}
	for _, reg := range podium.DefaultRegions() {
		w := want(t, client, reg.ID, week, testNow)[addr(1)]
		w.Address = reg.ID
		wantRegions[reg.ID] = w
	}
	g := want(t, client, "", week, testNow)[addr(1)]
	g.Address = "GLOBAL"
	wantRegions["GLOBAL"] = g
	checkRows(t, got, wantRegions)
	var charts int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('svg.chart polyline.s-total').length`, &charts)); err != nil {
		t.Fatal(err)
	}
	if charts != 3 {
		t.Errorf("orchestrator page draws %d total-score lines, want one per region (3)", charts)
	}
	screenshot(t, ctx, dir, "orchestrator-7d")

	// A cheater's page explains its failures.
	var hints string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL()+"/orchestrators/"+addr(5)),
		chromedp.Text("#hints", &hints, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hints, "Renditions did not match the source") {
		t.Errorf("cheater's hints: %q", hints)
	}
	screenshot(t, ctx, dir, "orchestrator-cheater")

	testRounds(t, ctx, srv.URL(), dir, st, rounds.Program)

	// A phone.
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(srv.URL()+"/?region=SIN"),
		chromedp.WaitVisible("#leaderboard", chromedp.ByQuery),
		loaded,
	); err != nil {
		t.Fatal(err)
	}
	checkRows(t, readRows(t, ctx, board), want(t, client, "SIN", day, testNow))
	screenshot(t, ctx, dir, "leaderboard-phone")
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL()+"/orchestrators/"+addr(4)+"?window=7d"), chromedp.WaitVisible("#scores", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, dir, "orchestrator-phone")
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL()+"/rounds/1"), loaded); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, dir, "round-phone")
}
