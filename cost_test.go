package podium_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func paid() podium.Stats {
	s := sample()
	s.Cost = &podium.StatsCost{Tickets: 3, FaceValue: "1000000000000", ExpectedValue: "0300000000/1"}
	return s
}

func TestStatsCost_Normalize(t *testing.T) {
	regions := podium.NewRegionSet(podium.DefaultRegions())
	now := time.Unix(1723741735, 0)
	t.Run("OK", func(t *testing.T) {
		s := paid()
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
		if s.Cost.ExpectedValue != "300000000" || s.Cost.FaceValue != "1000000000000" {
			t.Fatalf("not canonical: %+v", s.Cost)
		}
	})
	t.Run("OKFraction", func(t *testing.T) {
		s := paid()
		s.Cost.ExpectedValue = "6/4"
		if err := s.Normalize(regions, now); err != nil || s.Cost.ExpectedValue != "3/2" {
			t.Fatalf("got %v, %q; want 3/2", err, s.Cost.ExpectedValue)
		}
	})
	t.Run("OKNoTickets", func(t *testing.T) {
		// The session's credit covered the test: paid, but no ticket sent.
		s := sample()
		s.Cost = &podium.StatsCost{FaceValue: "0", ExpectedValue: "0"}
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		name, field string
		mod         func(*podium.StatsCost)
	}{
		{"ErrTicketsNegative", "cost.tickets", func(c *podium.StatsCost) { c.Tickets = -1 }},
		{"ErrTicketsHuge", "cost.tickets", func(c *podium.StatsCost) { c.Tickets = podium.MaxTickets + 1 }},
		{"ErrFaceNegative", "cost.face_value_wei", func(c *podium.StatsCost) { c.FaceValue = "-1" }},
		{"ErrFaceEmpty", "cost.face_value_wei", func(c *podium.StatsCost) { c.FaceValue = "" }},
		{"ErrFaceFloat", "cost.face_value_wei", func(c *podium.StatsCost) { c.FaceValue = "1e18" }},
		{"ErrFaceHuge", "cost.face_value_wei", func(c *podium.StatsCost) { c.FaceValue = strings.Repeat("9", 79) }},
		{"ErrFaceZeroWithTickets", "cost.face_value_wei", func(c *podium.StatsCost) { c.FaceValue = "0"; c.ExpectedValue = "0" }},
		{"ErrEVNegative", "cost.expected_value_wei", func(c *podium.StatsCost) { c.ExpectedValue = "-1" }},
		{"ErrEVNegativeFraction", "cost.expected_value_wei", func(c *podium.StatsCost) { c.ExpectedValue = "1/-2" }},
		{"ErrEVDecimal", "cost.expected_value_wei", func(c *podium.StatsCost) { c.ExpectedValue = "1.5" }},
		{"ErrEVZeroDenominator", "cost.expected_value_wei", func(c *podium.StatsCost) { c.ExpectedValue = "1/00" }},
		{"ErrEVHugeDenominator", "cost.expected_value_wei", func(c *podium.StatsCost) { c.ExpectedValue = "1/" + strings.Repeat("1", podium.MaxRatioDigits+1) }},
		{"ErrEVAboveFace", "cost.expected_value_wei", func(c *podium.StatsCost) { c.ExpectedValue = "3000000000001" }},
		{"ErrEVWithoutTickets", "cost.expected_value_wei", func(c *podium.StatsCost) { c.Tickets = 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := paid()
			tc.mod(s.Cost)
			err := s.Normalize(regions, now)
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) != tc.field {
				t.Fatalf("got %v (code %q field %q), want invalid %s", err, podium.ErrorCode(err), podium.ErrorField(err), tc.field)
			}
		})
	}
}

func TestStatsCost_JSON(t *testing.T) {
	t.Run("OKAbsent", func(t *testing.T) {
		// An unpaid record, and the stream-tester's, carry no cost and keep
		// their content key.
		b, err := json.Marshal(sample())
		if err != nil || strings.Contains(string(b), "cost") {
			t.Fatalf("unpaid record: %s, %v", b, err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		b, err := json.Marshal(paid())
		if err != nil {
			t.Fatal(err)
		}
		want := `"cost":{"tickets":3,"face_value_wei":"1000000000000","expected_value_wei":"0300000000/1"}`
		if !strings.Contains(string(b), want) {
			t.Fatalf("got %s, want it to hold %s", b, want)
		}
	})
}

func TestCostTotals(t *testing.T) {
	tot := podium.NewCostTotals(true)
	day := int64(1723680000) // 2024-08-15 00:00 UTC
	add := func(region string, ts int64, tickets int, face, ev string) {
		t.Helper()
		if err := tot.Add(region, ts, podium.StatsCost{Tickets: tickets, FaceValue: face, ExpectedValue: ev}); err != nil {
			t.Fatal(err)
		}
	}
	add("FRA", day, 2, "100", "1/3")
	add("FRA", day+podium.Day-1, 1, "100", "1/6")
	add("FRA", day+podium.Day, 1, "100", "5")
	add("MDW", day+10, 0, "0", "0")
	got := tot.Totals()
	if len(got) != 3 {
		t.Fatalf("got %d totals, want 3: %+v", len(got), got)
	}
	first := got[0]
	if first.Region != "FRA" || first.Day != day || first.Tests != 2 || first.Tickets != 3 ||
		first.FaceValue.String() != "300" || first.ExpectedValue.RatString() != "1/2" {
		t.Fatalf("FRA day 1: %+v", first)
	}
	if got[1].Region != "MDW" || got[1].Day != day || got[2].Day != day+podium.Day {
		t.Fatalf("order: %+v", got)
	}
	b, err := json.Marshal(first.CostSum)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"tests":2,"tickets":3,"face_value_wei":"300","expected_value_wei":"1","expected_value_exact":"1/2"}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	var back podium.CostSum
	if err := json.Unmarshal(b, &back); err != nil || back.ExpectedValue.Cmp(big.NewRat(1, 2)) != 0 {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}
