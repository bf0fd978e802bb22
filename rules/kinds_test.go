package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
)

// kindsProgram has one round whose pools are given by the test.
func kindsProgram(t *testing.T, budget, pools string) *podium.Program {
	t.Helper()
	return parseProgram(t, `program: kinds
token: {symbol: TOK, decimals: 0}
regions: [{id: AAA, name: A}, {id: BBB, name: B}]
exclude: [{address: "0x00000000000000000000000000000000000000ee", reason: test}]
rounds:
  - id: 1
    start: 2021-01-01T00:00:00Z
    end: 2021-01-08T00:00:00Z
    snapshot: {at: 2021-01-08T00:00:00Z, window: 24h}
    budget: "`+budget+`"
    pools:
`+pools)
}

var kindsAt = time.Date(2021, 1, 8, 0, 0, 0, 0, time.UTC)

func addr(b byte) string {
	return "0x" + strings.Repeat("0", 38) + string("0123456789abcdef"[b>>4]) + string("0123456789abcdef"[b&15])
}

// rec is one test an hour before the snapshot with the given success rate
// and round trip for a 2 s segment.
func rec(a byte, region string, success, rtt float64) podium.Stats {
	return podium.Stats{Orchestrator: addr(a), Region: region, Timestamp: kindsAt.Add(-time.Hour).Unix(),
		SuccessRate: success, SegDuration: 2, RoundTripTime: rtt, VerifiedRenditions: 1, TestID: addr(a) + region}
}

func amounts(d podium.Distribution) string {
	var parts []string
	for _, r := range d.Recipients {
		parts = append(parts, r.Address[40:]+"="+r.Amount)
	}
	return strings.Join(parts, " ") + " total=" + d.Total + " left=" + d.Undistributed
}

func TestCompute_Kinds(t *testing.T) {
	recs := []podium.Stats{
		rec(1, "AAA", 1, 2), rec(1, "BBB", 1, 2), // 6.32 in both
		rec(2, "AAA", 0.5, 2),                          // 3.16 in AAA only
		rec(3, "BBB", 1, 1),                            // 8.65 in BBB only
		rec(4, "AAA", 0.2, 2),                          // 1.26
		rec(0xee, "AAA", 1, 1), rec(0xee, "BBB", 1, 1), // excluded
	}
	for _, tc := range []struct {
		name, budget, pools, want string
	}{
		{"OKEqualAny", "100", `      - {name: p, amount: "100", split: equal, eligible: {min_score: 3, regions: any}}
`, "01=33 02=33 03=33 total=99 left=1"},
		{"OKEqualAll", "100", `      - {name: p, amount: "100", split: equal, eligible: {min_score: 3, regions: all}}
`, "01=100 total=100 left=0"},
		{"OKEqualList", "100", `      - {name: p, amount: "100", split: equal, eligible: {min_score: 3, regions: [BBB]}}
`, "01=50 03=50 total=100 left=0"},
		// Weights 0.632, 0.316 and 0.865 (best region): 100 × w / Σw floored = 34.9, 17.4, 47.7.
		{"OKProportional", "100", `      - {name: p, amount: "100", split: proportional, eligible: {min_score: 3}}
`, "01=34 02=17 03=47 total=98 left=2"},
		{"OKPerRecipientUnderCap", "100", `      - {name: p, per_recipient: "20", amount: "100", eligible: {min_score: 3}}
`, "01=20 02=20 03=20 total=60 left=40"},
		{"OKPerRecipientCapReached", "50", `      - {name: p, per_recipient: "20", amount: "50", eligible: {min_score: 3}}
`, "01=16 02=16 03=16 total=48 left=2"},
		{"OKTopPerRegion", "40", `      - {name: p, per_recipient: "10", eligible: {min_score: 0, top: 2, per: region}}
`, "01=20 02=10 03=10 total=40 left=0"},
		// Four winners × 10 would pass the cap of 30: 7 each instead.
		{"OKTopCapReached", "40", `      - {name: p, per_recipient: "10", amount: "30", eligible: {min_score: 0, top: 2, per: region}}
`, "01=14 02=7 03=7 total=28 left=12"},
		{"OKNobodyEligible", "100", `      - {name: p, amount: "100", split: equal, eligible: {min_score: 9.9}}
`, " total=0 left=100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := kindsProgram(t, tc.budget, tc.pools)
			out, err := rules.Compute(p, 1, snap(t, p, 1, recs, nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := amounts(out.Distribution); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestCompute_RoundScope(t *testing.T) {
	// The round looks at BBB only and excludes 03 on its own: only 01 is
	// left, and AAA's scores do not count.
	p := parseProgram(t, `program: kinds
token: {symbol: TOK, decimals: 0}
regions: [{id: AAA, name: A}, {id: BBB, name: B}]
rounds:
  - id: 1
    start: 2021-01-01T00:00:00Z
    end: 2021-01-08T00:00:00Z
    snapshot: {at: 2021-01-08T00:00:00Z, window: 24h}
    budget: "100"
    regions: [BBB]
    exclude: [{address: "`+addr(3)+`", reason: test}]
    pools:
      - {name: p, amount: "60", split: equal, eligible: {min_score: 3}}
      - {name: t, per_recipient: "20", eligible: {min_score: 3, top: 2, per: region}}
`)
	recs := []podium.Stats{rec(1, "BBB", 1, 2), rec(2, "AAA", 1, 1), rec(3, "BBB", 1, 1)}
	out, err := rules.Compute(p, 1, snap(t, p, 1, recs, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := amounts(out.Distribution); got != "01=80 total=80 left=20" {
		t.Fatalf("got %s", got)
	}
}

func TestBoard_Region(t *testing.T) {
	// Score desc, then (equal scores) the address asc; excluded last.
	p := kindsProgram(t, "10", `      - {name: p, amount: "10", split: equal}
`)
	recs := []podium.Stats{
		rec(5, "AAA", 1, 2),      // 0.632, latency 0.632
		rec(4, "AAA", 0.5, 0.5),  // 0.491
		rec(3, "AAA", 0.5, 0.5),  // same as 4: address decides
		rec(2, "AAA", 0.7311, 1), // 0.6322, just above 05
		rec(0xee, "AAA", 1, 0.1), // excluded: listed last, unranked
	}
	r, _ := p.Round(1)
	got := rules.NewBoard(p, r, snap(t, p, 1, recs, nil)).Region("AAA")
	var order []string
	for _, s := range got {
		order = append(order, s.Address[40:])
	}
	if strings.Join(order, " ") != "02 05 03 04 ee" || got[4].Rank != 0 || !got[4].Excluded || got[3].Rank != 4 {
		t.Fatalf("order %v %+v", order, got)
	}
}

func TestCompute_ErrSnapshot(t *testing.T) {
	p := kindsProgram(t, "10", `      - {name: p, amount: "10", split: equal}
`)
	s := snapAt(t, p, 1, kindsAt.Add(-time.Hour), 24*time.Hour, nil, nil)
	if _, err := rules.Compute(p, 1, s); podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), "rules call for") {
		t.Fatalf("err %v", err)
	}
	if _, err := rules.Compute(p, 2, s); podium.ErrorCode(err) != podium.ENOTFOUND {
		t.Fatalf("err %v", err)
	}
}
