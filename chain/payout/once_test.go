package payout_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain/payout"
)

// A distribution is paid once, however many plans are made of it, whatever
// journals are lost: the chain's own record (the tag each paying
// transaction carries) has the last word.
func TestPayout_PaidOnce(t *testing.T) {
	c := startChain(t)
	client := dial(t, c.RPC)
	ctx := context.Background()
	plan := func(d podium.Distribution, method, journals string) (*payout.Plan, error) {
		return payout.MakePlan(ctx, client, payout.Request{
			Distribution: marshal(t, d), Token: c.Token, Sender: c.Admin, Method: method, Batch: c.Batch, JournalDir: journals,
		})
	}
	save := func(p *payout.Plan) string {
		path := filepath.Join(t.TempDir(), "plan.json")
		if err := p.Save(path); err != nil {
			t.Fatal(err)
		}
		return path
	}

	for _, method := range []string{payout.MethodTransfer, payout.MethodBatch} {
		t.Run(method, func(t *testing.T) {
			d := distribution(3, "once "+method)
			first, path := makePlan(t, c, client, d, method, 0)
			// A second plan made before the first is executed passes: nothing is paid yet.
			second, err := plan(d, method, "")
			if err != nil {
				t.Fatal(err)
			}
			secondPath := save(second)
			if _, err := execute(t, c, client, path, nil); err != nil {
				t.Fatal(err)
			}

			t.Run("ErrPlanAgain", func(t *testing.T) {
				_, err := plan(d, method, filepath.Dir(path))
				if podium.ErrorCode(err) != podium.ECONFLICT {
					t.Fatalf("plan of a paid distribution: %v", err)
				}
				t.Log(err)
				for _, want := range []string{"already paid", "journal " + payout.JournalPath(path), first.Hash, "chain: 0x"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not name %q", err, want)
					}
				}
			})
			t.Run("ErrExecuteAnotherPlan", func(t *testing.T) {
				// The journal of the first plan is elsewhere (another
				// machine): the chain refuses the second all the same.
				res, err := execute(t, c, client, secondPath, nil)
				if podium.ErrorCode(err) != podium.ECONFLICT || !strings.Contains(err.Error(), "chain: 0x") {
					t.Fatalf("execute of a second plan: %+v, %v", res, err)
				}
				checkBalances(t, c, client, first) // paid once
				recs, _ := payout.ReadJournal(payout.JournalPath(secondPath))
				for _, r := range recs {
					if r.Kind == payout.RecordSigned {
						t.Fatalf("the refused plan signed %+v", r)
					}
				}
			})
			t.Run("OKSamePlanAgain", func(t *testing.T) {
				res, err := execute(t, c, client, path, nil)
				if err != nil || len(res.Actions) != 0 {
					t.Fatalf("re-run of the paid plan: %+v, %v", res, err)
				}
			})
			t.Run("OKNextRound", func(t *testing.T) {
				// The same recipients and amounts in another round are
				// another distribution.
				next := d
				next.Round = 2
				if _, err := plan(next, method, filepath.Dir(path)); err != nil {
					t.Fatal(err)
				}
			})
		})
	}

	t.Run("ErrPartlyPaid", func(t *testing.T) {
		d := distribution(3, "once partly")
		_, path := makePlan(t, c, client, d, payout.MethodTransfer, 0)
		runCtx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err := executeCtx(t, runCtx, c, client, path, func(e *payout.Executor) {
			e.MaxPending = 1
			e.OnEvent = func(ev payout.Event) {
				if ev.Kind == payout.EventMined {
					cancel() // stopped after its first payment
				}
			}
		})
		if err == nil {
			t.Fatal("the run was not stopped")
		}
		_, err = plan(d, payout.MethodTransfer, "")
		if podium.ErrorCode(err) != podium.ECONFLICT || strings.Count(err.Error(), "0x") < 1 {
			t.Fatalf("plan of a partly paid distribution: %v", err)
		}
	})
}
