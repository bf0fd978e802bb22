package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/chain/payout"
	"github.com/podiumhq/podium/round"
)

// Payout is what the demo's payout did: the plan, its transactions and the
// reconciliation against the token's Transfer logs.
type Payout struct {
	PlanPath  string
	PlanHash  string
	Method    string
	Txs       []string // in step order: the approve, then the batches
	Reconcile *payout.Reconciliation
}

// pay plans the distribution's payout with the batch contract, executes it
// with the admin's key and reconciles it, as `podium payout plan|execute|
// reconcile` do.
func pay(ctx context.Context, c *devchain.Chain, client *ethclient.Client, dist []byte, budget *big.Int, dir string, status *payStatus, now func() time.Time, log *slog.Logger) (*Payout, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	plan, err := payout.MakePlan(ctx, client, payout.Request{
		Distribution: dist, Token: c.Token, Sender: c.Admin, Method: payout.MethodBatch, Batch: c.Batch,
		Budget: budget, ChainID: c.ChainID, JournalDir: dir,
	})
	if err != nil {
		return nil, fmt.Errorf("payout plan: %w", err)
	}
	path := filepath.Join(dir, "plan.json")
	if err := plan.Save(path); err != nil {
		return nil, err
	}
	status.planned(plan)
	key, err := chain.LoadKey(c.Keystore, c.PassphraseFile)
	if err != nil {
		return nil, err
	}
	j, err := payout.OpenJournal(payout.JournalPath(path), plan.Hash, now())
	if err != nil {
		return nil, err
	}
	defer j.Close()
	e := &payout.Executor{Client: client, Key: key, Plan: plan, Journal: j, Poll: 100 * time.Millisecond,
		StuckAfter: 20 * time.Second, MaxPending: 4, Now: now, Logger: log.With("component", "payout"),
		JournalDir: dir, OnEvent: status.event}
	if _, err := e.Run(ctx); err != nil {
		return nil, fmt.Errorf("payout execute: %w", err)
	}
	rec, err := payout.Reconcile(ctx, client, plan)
	if err != nil {
		return nil, fmt.Errorf("payout reconcile: %w", err)
	}
	status.reconciled(rec)
	out := &Payout{PlanPath: path, PlanHash: plan.Hash, Method: plan.Method, Reconcile: rec}
	out.Txs = status.hashes()
	return out, nil
}

// payStatus follows a payout for the web UI's round page.
type payStatus struct {
	mu       sync.Mutex
	plan     *payout.Plan
	stepTx   map[int]common.Hash
	stepDone map[int]bool
	paid     map[int]string // payment index → tx of its Transfer
}

func (s *payStatus) planned(p *payout.Plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan, s.stepTx, s.stepDone, s.paid = p, map[int]common.Hash{}, map[int]bool{}, map[int]string{}
}

func (s *payStatus) event(ev payout.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stepTx[ev.Step] = ev.Hash
	if ev.Kind == payout.EventMined {
		s.stepDone[ev.Step] = true
	}
}

func (s *payStatus) reconciled(r *payout.Reconciliation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range r.Payments {
		if p.Found {
			s.paid[p.Index] = p.Tx
		}
	}
}

// hashes returns the latest transaction of each step, in step order.
func (s *payStatus) hashes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	steps := make([]int, 0, len(s.stepTx))
	for i := range s.stepTx {
		steps = append(steps, i)
	}
	sort.Ints(steps)
	out := make([]string, len(steps))
	for i, st := range steps {
		out[i] = s.stepTx[st].Hex()
	}
	return out
}

// Payments implements round.Payouts for the demo's one round.
func (s *payStatus) Payments(_ context.Context, id int) ([]round.Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plan == nil || id != s.plan.Round {
		return []round.Payment{}, nil
	}
	step := map[int]int{}
	for _, st := range s.plan.Steps {
		for _, i := range st.Payments {
			step[i] = st.Index
		}
	}
	out := make([]round.Payment, 0, len(s.plan.Payments))
	for _, p := range s.plan.Payments {
		u := round.Payment{Recipient: p.Recipient, Amount: p.Amount, Status: round.PaymentPlanned}
		if p.To != p.Recipient {
			u.PayTo = p.To
		}
		if h, ok := s.stepTx[step[p.Index]]; ok {
			u.Status, u.TxHash = round.PaymentSent, h.Hex()
		}
		if s.stepDone[step[p.Index]] {
			u.Status = round.PaymentConfirmed
		}
		if tx, ok := s.paid[p.Index]; ok {
			u.Status, u.TxHash = round.PaymentConfirmed, tx
		}
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Recipient < out[j].Recipient })
	return out, nil
}
