package payout_test

import (
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

func TestPlan_Validate(t *testing.T) {
	plan := func(amounts ...string) *payout.Plan {
		p := &payout.Plan{Total: "30"}
		for i, a := range amounts {
			p.Payments = append(p.Payments, payout.Payment{Index: i, Amount: a})
		}
		return p
	}
	t.Run("OK", func(t *testing.T) {
		p := plan("10", "20")
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := p.TotalInt().String(); got != "30" {
			t.Errorf("TotalInt = %s, want 30", got)
		}
		if got := p.AmountOf([]int{0, 1}).String(); got != "30" {
			t.Errorf("AmountOf = %s, want 30", got)
		}
		// The integers handed out are copies: changing one changes no plan.
		p.Amount(1).SetInt64(99)
		if got := p.Amount(1).String(); got != "20" {
			t.Errorf("Amount(1) = %s after a caller changed its copy, want 20", got)
		}
	})
	for name, tc := range map[string]struct {
		p     *payout.Plan
		field string
	}{
		"ErrAmount": {plan("10", "2x"), "payments[1]"},
		"ErrIndex":  {&payout.Plan{Total: "1", Payments: []payout.Payment{{Index: 3, Amount: "1"}}}, "payments[0]"},
		"ErrTotal":  {&payout.Plan{Total: "lots", Payments: []payout.Payment{{Amount: "1"}}}, "total"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.p.Validate()
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) != tc.field {
				t.Fatalf("Validate = %v, want EINVALID on %s", err, tc.field)
			}
		})
	}
}
