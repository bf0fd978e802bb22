package ui_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/snapshot"
)

func formatUTC(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// amountShown is how the pages write base units: token units, thousands
// grouped, exact.
func amountShown(units string) string {
	n, _ := new(big.Int).SetString(units, 10)
	s := podium.FormatAmount(n, 18)
	whole, frac, dot := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if dot {
		b.WriteString("." + frac)
	}
	return b.String()
}

type recipientShown struct {
	Address string `json:"address"`
	Amount  string `json:"amount"`
	Status  string `json:"status"`
	Tx      string `json:"tx"`
}

const readRecipientsJS = `Array.from(document.querySelectorAll(%q)).map(tr => ({
	address: tr.dataset.address,
	amount: tr.querySelector('.amount').innerText.trim(),
	status: (tr.querySelector('.status') || {innerText: ''}).innerText.trim(),
	tx: (tr.querySelector('a.tx') || {href: ''}).href}))`

// testRounds browses the rounds: a finished round's distribution, files
// and payout, and a running round's projection and countdown.
func testRounds(t *testing.T, ctx context.Context, base, dir string, st backend, p *podium.Program) {

	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/rounds"), chromedp.WaitVisible("#rounds", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, dir, "rounds")
	click(t, ctx, `a[href="/rounds/1"]`, "#distribution")

	// The distribution shown is the one the rules compute from the frozen
	// snapshot, which the late record did not change.
	stored, err := st.Snapshot(context.Background(), p.Name, 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := podium.ParseSnapshot(stored.Body)
	if err != nil {
		t.Fatal(err)
	}
	if now, err := snapshot.Take(context.Background(), st, seedRegistry(), p, 1); err != nil {
		t.Fatal(err)
	} else if id, _ := now.ID(); id == stored.ID {
		t.Fatal("the late record did not change a snapshot taken now; the test cannot tell frozen from recomputed")
	}
	out, err := rules.Compute(p, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	var got []recipientShown
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(readRecipientsJS, "#distribution tbody tr[data-address]"), &got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(out.Distribution.Recipients) || len(got) == 0 {
		t.Fatalf("round 1 shows %d recipients, the rules pay %d", len(got), len(out.Distribution.Recipients))
	}
	for i, r := range out.Distribution.Recipients {
		if got[i].Address != r.Address || got[i].Amount != amountShown(r.Amount) {
			t.Errorf("recipient %d: page shows %s %s, rules pay %s %s", i, got[i].Address, got[i].Amount, r.Address, amountShown(r.Amount))
		}
		if r.Address == addr(6) || r.Address == addr(5) {
			t.Errorf("round 1 pays %s, which is excluded or failed verification", r.Address)
		}
	}
	last := got[len(got)-1]
	if got[0].Status != "confirmed" || last.Status != "sent" || !strings.HasPrefix(got[0].Tx, "https://arbiscan.io/tx/0x") {
		t.Errorf("payout status: first %+v, last %+v", got[0], last)
	}
	var snapID string
	if err := chromedp.Run(ctx, chromedp.Text("#snapshot-id", &snapID, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.ID(); snapID != id || out.Distribution.SnapshotID != id {
		t.Errorf("page names snapshot %s; it is %s", snapID, id)
	}

	// Every download is served byte for byte as hashed on the page.
	var hashes map[string]string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`Object.fromEntries(Array.from(document.querySelectorAll('code[data-file]')).map(c => [c.dataset.file, c.innerText.trim()]))`, &hashes)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"snapshot.json", "distribution.json", "distribution.csv", "results.md", "results.html", "round-1-results-fra.png"} {
		resp, err := http.Get(base + "/rounds/1/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		sum := sha256.Sum256(b)
		if resp.StatusCode != 200 || hashes[name] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: status %d, sha256 %x, page says %q", name, resp.StatusCode, sum, hashes[name])
		}
		if want, _ := out.Distribution.Canonical(); name == "distribution.json" && string(b) != string(want) {
			t.Errorf("distribution.json is not the canonical distribution the rules compute")
		}
	}
	screenshot(t, ctx, dir, "round-1-results")

	// Round 2 runs: a countdown and a projection from the records so far.
	var countdown string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/rounds/2"),
		chromedp.WaitVisible("#projection", chromedp.ByQuery),
		loaded,
		chromedp.Text("#countdown", &countdown, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	// The page's script counts down from the server's clock, which is the
	// test's, and words it as the server does.
	if want := p.Rounds[1].Snapshot.At.Sub(testNow); !countdownNear(countdown, want) {
		t.Errorf("countdown to the round 2 snapshot reads %q; %v from the server's clock", countdown, want)
	}
	ps, err := snapshot.TakeAt(context.Background(), st, seedRegistry(), p, 2, testNow, 168*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := rules.Project(p, 2, ps)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(readRecipientsJS, "#projection tbody tr[data-address]"), &got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(proj.Distribution.Recipients) {
		t.Fatalf("round 2 projects %d recipients, the rules %d", len(got), len(proj.Distribution.Recipients))
	}
	for i, r := range proj.Distribution.Recipients {
		if got[i].Address != r.Address || got[i].Amount != amountShown(r.Amount) {
			t.Errorf("projected %d: page shows %s %s, rules pay %s %s", i, got[i].Address, got[i].Amount, r.Address, amountShown(r.Amount))
		}
	}
	screenshot(t, ctx, dir, "round-2-running")

	// Round 3's rules changed once: both versions are listed with their
	// publication times, the second in force.
	var versions []string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/rounds/3"),
		chromedp.WaitVisible("#rules", chromedp.ByQuery),
		loaded,
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.versions summary')).map(s => s.innerText)`, &versions),
	); err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 || !strings.Contains(versions[0], formatUTC(publishedV1)) || !strings.Contains(versions[1], formatUTC(publishedV2)) {
		t.Errorf("round 3 lists versions %q", versions)
	}
	screenshot(t, ctx, dir, "round-3-upcoming")

	// A bad link explains itself.
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/?region=XYZ&window=7d"), loaded); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, dir, "error")

	// The orchestrator's page shows its projected reward.
	var projected string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/orchestrators/"+proj.Distribution.Recipients[0].Address),
		chromedp.Text("#projected", &projected, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if want := amountShown(proj.Distribution.Recipients[0].Amount) + " LPT"; projected != want {
		t.Errorf("orchestrator page projects %q, want %q", projected, want)
	}
}
