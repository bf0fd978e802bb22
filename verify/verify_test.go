package verify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/rules"
	"github.com/podiumhq/podium/score"
	"github.com/podiumhq/podium/snapshot"
	"github.com/podiumhq/podium/verify"
)

// published returns Round 1's program, snapshot file and distribution file.
func published(t *testing.T) (*podium.Program, []byte, *podium.Distribution) {
	t.Helper()
	p, _, err := program.Load("../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Round(1)
	aggs, in := round1.Window(round1.Records(), r.Snapshot.At, r.Snapshot.Window)
	s, err := snapshot.Build(p, 1, r.Snapshot.At, r.Snapshot.Window, aggs, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := s.Canonical()
	out, err := rules.Compute(p, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	return p, sb, &out.Distribution
}

func canonical(t *testing.T, d *podium.Distribution) []byte {
	t.Helper()
	b, err := d.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRound(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		p, sb, d := published(t)
		res, err := verify.Round(p, 1, sb, canonical(t, d))
		if err != nil || !res.OK() {
			t.Fatalf("%v %+v", err, res)
		}
		if res.SnapshotID != d.SnapshotID || res.RulesID != d.RulesID {
			t.Fatalf("ids %+v", res)
		}
	})
	for _, tc := range []struct {
		name   string
		tamper func(d *podium.Distribution)
		want   []string
	}{
		{"ErrAmount", func(d *podium.Distribution) { d.Recipients[0].Amount = "1" },
			[]string{"recipients[" + round1.Vires + "].amount: published 1, recomputed 771428571428571428571"}},
		{"ErrExtraRecipient", func(d *podium.Distribution) {
			d.Recipients = append(d.Recipients, podium.Recipient{Address: round1.LivepeerInc, Amount: "5"})
		}, []string{"recipients[" + round1.LivepeerInc + "]: published amount 5, recomputed (nothing)"}},
		{"ErrMissingRecipient", func(d *podium.Distribution) { d.Recipients = d.Recipients[1:] },
			[]string{"recipients[" + round1.Vires + "]: published (nothing), recomputed amount 771428571428571428571"}},
		{"ErrTotalsAndIDs", func(d *podium.Distribution) { d.Total, d.RulesID = "0", "sha256:00" },
			[]string{"rules_id: published sha256:00", "total: published 0, recomputed 5999999999999999999997"}},
		{"ErrAwards", func(d *podium.Distribution) {
			d.Recipients[0].Awards = []podium.Award{{Pool: "qualified", Region: "FRA", Rank: 1, Amount: "771428571428571428571"}}
		}, []string{"recipients[" + round1.Vires + "].awards: published qualified:FRA#1=771428571428571428571, recomputed qualified="}},
		{"ErrPayTo", func(d *podium.Distribution) { d.Recipients[2].PayTo = "0x2000000000000000000000000000000000000009" },
			[]string{"recipients[" + round1.Staked + "].pay_to: published 0x2000000000000000000000000000000000000009, recomputed (nothing)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, sb, d := published(t)
			tc.tamper(d)
			res, err := verify.Round(p, 1, sb, canonical(t, d))
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, d := range res.Differences {
				lines = append(lines, d.String())
			}
			all := strings.Join(lines, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Fatalf("differences\n%s\nlack %q", all, w)
				}
			}
		})
	}
	t.Run("ErrSnapshotNotCanonical", func(t *testing.T) {
		p, sb, d := published(t)
		_, err := verify.Round(p, 1, []byte(strings.Replace(string(sb), "  ", "    ", 1)), canonical(t, d))
		if podium.ErrorCode(err) != podium.EINVALID {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrSnapshotScore", func(t *testing.T) {
		p, sb, d := published(t)
		s, _ := podium.ParseSnapshot(sb)
		s.Aggregates[0].Score.Total = 0.99
		sb2, _ := s.Canonical()
		res, err := verify.Round(p, 1, sb2, canonical(t, d))
		if err != nil {
			t.Fatal(err)
		}
		if res.OK() || !strings.Contains(res.Differences[0].Field, ".score") {
			t.Fatalf("%+v", res.Differences)
		}
	})
}

// forge inflates one orchestrator's aggregates in the snapshot, keeps its
// score consistent, writes it canonically and recomputes the distribution
// from it: a forgery that agrees with itself.
func forge(t *testing.T, p *podium.Program, sb []byte) (forged []byte, dist []byte, who string) {
	t.Helper()
	s, err := podium.ParseSnapshot(sb)
	if err != nil {
		t.Fatal(err)
	}
	e := &s.Aggregates[0]
	for i := range s.Aggregates { // the worst one: the cheater
		if a := &s.Aggregates[i]; a.SumSuccessRate*e.Tests < e.SumSuccessRate*a.Tests {
			e = a
		}
	}
	e.SumSuccessRate = e.Tests * podium.RateUnit
	e.SumRoundTrip = e.SumSegDuration / 2
	e.VerifiedRenditions += e.VerificationFailures
	e.VerificationFailures = 0
	e.Score = score.Of(e.Aggregate)
	if forged, err = s.Canonical(); err != nil {
		t.Fatal(err)
	}
	out, err := rules.Compute(p, 1, s)
	if err != nil {
		t.Fatal(err)
	}
	return forged, canonical(t, &out.Distribution), e.Orchestrator + "/" + e.Region
}

func TestRecords(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		p, sb, d := published(t)
		res, err := verify.Round(p, 1, sb, canonical(t, d))
		if err != nil {
			t.Fatal(err)
		}
		verify.ExpectSnapshot(res, d.SnapshotID)
		if err := verify.Records(res, sb, round1.Records()); err != nil || !res.OK() {
			t.Fatalf("%v %v", err, res.Differences)
		}
	})
	t.Run("ErrForgedSnapshot", func(t *testing.T) {
		p, sb, d := published(t)
		forged, dist, who := forge(t, p, sb)
		res, err := verify.Round(p, 1, forged, dist)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() {
			t.Fatalf("the forgery is not self-consistent, so this test proves nothing: %v", res.Differences)
		}
		verify.ExpectSnapshot(res, d.SnapshotID)
		if err := verify.Records(res, forged, round1.Records()); err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprint(res.Differences)
		for _, want := range []string{"snapshot id (expected as published): published " + res.SnapshotID + ", recomputed " + d.SnapshotID,
			"snapshot.aggregates[" + who + "].sum_success_rate_e9"} {
			if !strings.Contains(text, want) {
				t.Errorf("differences %s do not include %q", text, want)
			}
		}
	})
	t.Run("ErrRecordsLeftOut", func(t *testing.T) {
		// Records the snapshot does not account for (a test hidden from
		// the sums) show in the digest and in the sums.
		p, sb, d := published(t)
		r, _ := p.Round(1)
		extra := round1.Records()[0]
		extra.TestID, extra.Timestamp = "hidden", r.Snapshot.At.Unix()-1
		res, err := verify.Round(p, 1, sb, canonical(t, d))
		if err != nil {
			t.Fatal(err)
		}
		if err := verify.Records(res, sb, append(round1.Records(), extra)); err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprint(res.Differences)
		if !strings.Contains(text, "snapshot.records.count") || !strings.Contains(text, "snapshot.records.digest") || !strings.Contains(text, ".tests") {
			t.Errorf("differences %s", text)
		}
	})
}

func TestParseRecords(t *testing.T) {
	rec := `{"region":"FRA","orchestrator":"0xab","timestamp":5,"test_id":"a"}`
	for _, in := range []string{`{"FRA":[` + rec + `]}`, `[` + rec + `]`, rec + "\n"} {
		got, err := verify.ParseRecords([]byte(in))
		if err != nil || len(got) != 1 || got[0].TestID != "a" {
			t.Errorf("ParseRecords(%s) = %+v, %v", in, got, err)
		}
	}
	if _, err := verify.ParseRecords([]byte("nope")); err == nil {
		t.Error("garbage accepted")
	}
}
