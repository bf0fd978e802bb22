// Package round1 is the test week of the MVP program's Round 1: a week of
// records that exercise every rule of docs/design.md §5.3 — the Livepeer Inc.
// exclusion, a tie at the 5th place, an orchestrator just under 3, records
// just outside the window, a verification failure, an orchestrator never
// verified and an equal split that leaves a remainder. Tests feed it to a
// real store and check every recipient and amount.
package round1

import (
	"fmt"
	"time"

	"github.com/podiumhq/podium"
)

// The orchestrators of the test week.
const (
	LivepeerInc  = "0x3e2b450c0c499d8301146367680e067cd009db93" // excluded by the program
	Vires        = "0x1000000000000000000000000000000000000001" // best in FRA
	MajOrcha     = "0x1000000000000000000000000000000000000002" // qualifies everywhere
	Staked       = "0x1000000000000000000000000000000000000003"
	Orcha        = "0x1000000000000000000000000000000000000004"
	Tied5a       = "0x1000000000000000000000000000000000000005" // ties Tied5b at MDW's 5th place; lower address wins
	Tied5b       = "0x1000000000000000000000000000000000000006"
	Steady       = "0x1000000000000000000000000000000000000007"
	JustUnder    = "0x1000000000000000000000000000000000000008" // 2.97 at best
	Failed       = "0x1000000000000000000000000000000000000009" // excellent, but one verification failure
	OutsideOnly  = "0x100000000000000000000000000000000000000a" // good only just outside the window
	NeverChecked = "0x100000000000000000000000000000000000000b" // no verified rendition at all
)

// At is the snapshot time of Round 1; the window is the week before it.
var At = time.Date(2020, 12, 21, 15, 0, 0, 0, time.UTC)

// Since is the start of the snapshot window.
var Since = At.Add(-168 * time.Hour)

// perf is one orchestrator's performance in one region: its success rate
// and round trip for 2 s segments; the score is success × (1 − e^(−2/rtt)).
type perf struct {
	addr, region string
	success, rtt float64
}

var week = []perf{
	{LivepeerInc, "MDW", 1, 0.4}, {LivepeerInc, "FRA", 1, 0.4}, {LivepeerInc, "SIN", 1, 0.4},
	{Vires, "FRA", 1, 0.5}, {Vires, "MDW", 0.3, 2},
	{MajOrcha, "MDW", 0.95, 0.5}, {MajOrcha, "FRA", 0.9, 1}, {MajOrcha, "SIN", 0.6, 2},
	{Staked, "MDW", 0.9, 0.5}, {Staked, "FRA", 0.7, 1},
	{Orcha, "MDW", 0.8, 1}, {Orcha, "FRA", 0.8, 0.5},
	{Steady, "MDW", 0.75, 1},
	{Tied5a, "MDW", 0.6, 1}, {Tied5b, "MDW", 0.6, 1},
	{JustUnder, "SIN", 0.47, 2}, {JustUnder, "MDW", 0.45, 2},
	{Failed, "MDW", 1, 0.5}, {Failed, "FRA", 1, 0.5},
	{OutsideOnly, "FRA", 0.2, 2},
	{NeverChecked, "MDW", 1, 0.5},
}

// Records returns the test week: one test per orchestrator and region every
// hour of the window, plus records just outside it.
func Records() []podium.Stats {
	var out []podium.Stats
	for _, p := range week {
		for h := 0; h < 168; h++ {
			ts := Since.Add(time.Duration(h) * time.Hour)
			out = append(out, record(p, ts, fmt.Sprintf("%s-%s-%03d", p.addr[36:], p.region, h)))
		}
	}
	// Failed's one bad rendition, in the middle of the week.
	for i := range out {
		if out[i].Orchestrator == Failed && out[i].Region == "FRA" && out[i].Timestamp == Since.Add(80*time.Hour).Unix() {
			out[i].VerificationFailures = 1
			out[i].VerifiedRenditions--
			out[i].Errors = []podium.StatsError{{ErrorCode: podium.ErrorCodeVerificationFailed, Message: "frame counter mismatch", Count: 1}}
		}
	}
	// Perfect tests just outside [Since, At): one second before the window
	// and exactly at its end. Counting either would lift OutsideOnly to 3.
	perfect := perf{OutsideOnly, "FRA", 1, 0.5}
	for i := 0; i < 200; i++ {
		out = append(out,
			record(perfect, Since.Add(-time.Second), fmt.Sprintf("early-%03d", i)),
			record(perfect, At, fmt.Sprintf("late-%03d", i)))
	}
	return out
}

func record(p perf, ts time.Time, id string) podium.Stats {
	const seg, profiles, sent = 2.0, 3, 15
	ok := int(p.success*profiles*sent + 0.5)
	s := podium.Stats{
		Region: p.region, Orchestrator: p.addr, Timestamp: ts.Unix(),
		SegmentsSent: sent, SegmentsReceived: ok, SuccessRate: p.success,
		SegDuration: seg, RoundTripTime: p.rtt, UploadTime: p.rtt / 4, TranscodeTime: p.rtt / 2, DownloadTime: p.rtt / 4,
		TestID: "r1-" + id, VerifiedRenditions: ok,
	}
	if p.addr == NeverChecked {
		s.VerifiedRenditions = 0
	}
	return s
}

// Registry is the registry file of the test week (CSV, docs/design.md §5.7): names
// for some orchestrators and a payout address that differs for one.
const Registry = `address,service_uri,name,payout_address
0x1000000000000000000000000000000000000001,https://vires.example:8935,vires-in-numeris,
0x1000000000000000000000000000000000000002,https://maj.example:8935,majOrcha,0x2000000000000000000000000000000000000002
0x1000000000000000000000000000000000000003,,Staked,
0x1000000000000000000000000000000000000004,,Orcha,
0x3e2b450c0c499d8301146367680e067cd009db93,,Livepeer Inc,
`
