package program_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

func mustParse(t *testing.T, text string) *podium.Program {
	t.Helper()
	p, err := program.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func round1(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckPublish(t *testing.T) {
	text := round1(t)
	start := time.Date(2020, 12, 14, 15, 0, 0, 0, time.UTC)
	changed := strings.Replace(text, `amount: "4000"`, `amount: "3900"`, 1)
	reformatted := strings.Replace(text, "# the leaderboard 7 day view", "# seven days", 1)
	round2 := text + `  - id: 2
    start: 2020-12-21T15:00:00Z
    end:   2020-12-28T15:00:00Z
    snapshot: {at: 2020-12-28T15:00:00Z, window: 168h}
    budget: "100"
    pools:
      - {name: all, amount: "100", split: equal}
`
	withAMS := strings.Replace(round2, "  - {id: SIN, name: Asia (Singapore)}\n", "  - {id: SIN, name: Asia (Singapore)}\n  - {id: AMS, name: Europe (Amsterdam)}\n", 1)
	pinned := strings.Replace(withAMS, "    require_verified: true ", "    regions: [MDW, FRA, SIN]\n    require_verified: true ", 1)
	newExclusion := strings.Replace(round2, `      - {name: all, amount: "100", split: equal}`,
		"      - {name: all, amount: \"100\", split: equal}\n    exclude: [{address: \"0x00000000000000000000000000000000000000ee\", reason: test}]", 1)
	programExclusion := strings.Replace(text, "exclude:\n", "exclude:\n  - {address: \"0x00000000000000000000000000000000000000ee\", reason: test}\n", 1)
	for _, tc := range []struct {
		name       string
		prev, next string
		now        time.Time
		want       string // "" for allowed
	}{
		{"OKFirstRulesOnTheDay", "", text, start.Add(-time.Hour), ""},
		{"OKChangeWithNotice", text, changed, start.Add(-49 * time.Hour), ""},
		{"OKCommentsAreNotAChange", text, reformatted, start.Add(time.Hour), ""},
		{"OKNextRoundWhileRound1Runs", text, round2, start.Add(time.Hour), ""},
		// Round 1 keeps its three regions; round 2 gets a fourth.
		{"OKNewRegionForNextRound", text, pinned, start.Add(time.Hour), ""},
		{"OKRoundExclusionForNextRound", round2, newExclusion, start.Add(time.Hour), ""},
		// A program-wide exclusion changes round 1 too.
		{"ErrProgramExclusionChangesStartedRound", text, programExclusion, start.Add(time.Hour), "round 1 started at 2020-12-14T15:00:00Z; its rules can no longer change"},
		{"ErrFirstRulesAfterStart", "", text, start, "round 1 started at 2020-12-14T15:00:00Z; its first rules had to be published before then"},
		{"ErrChangeWithoutNotice", text, changed, start.Add(-47 * time.Hour),
			"a change to round 1's rules must be published at least 48h0m0s before it starts, by 2020-12-12T15:00:00Z; it is now 47h0m0s before"},
		{"ErrChangeAfterStart", text, changed, start.Add(time.Minute), "round 1 started at 2020-12-14T15:00:00Z; its rules can no longer change"},
		{"ErrRemoveStartedRound", round2, text, start.Add(8 * 24 * time.Hour), "removing round 2: round 2 started at 2020-12-21T15:00:00Z; its rules can no longer change"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var prev *podium.Program
			if tc.prev != "" {
				prev = mustParse(t, tc.prev)
			}
			err := program.CheckPublish(prev, mustParse(t, tc.next), tc.now)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Fatalf("got %v\nwant %s", err, tc.want)
			case tc.want != "" && podium.ErrorCode(err) != podium.ECONFLICT:
				t.Fatalf("code %q, want conflict", podium.ErrorCode(err))
			}
		})
	}
}
