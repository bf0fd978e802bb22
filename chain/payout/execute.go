package payout

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
)

// Event kinds reported to Executor.OnEvent, in the order they happen to a step.
const (
	EventSigned   = "signed"   // journaled, not yet sent
	EventSent     = "sent"     // handed to the node, no receipt yet
	EventReplaced = "replaced" // a fee-bumped replacement was journaled and sent
	EventMined    = "mined"    // receipt journaled
)

// Event tells an observer (a progress bar, a test) what the executor did.
type Event struct {
	Kind  string
	Step  int
	Nonce uint64
	Hash  common.Hash
	// Done counts the plan's steps mined successfully so far, of Steps.
	Done, Steps int
}

// Executor signs, journals, sends and confirms a plan's steps. Run it again
// after any failure or crash: it first settles what the journal says may be
// on the chain, and never signs a step twice unless its first attempt
// reverted.
type Executor struct {
	Client  *ethclient.Client
	Key     *ecdsa.PrivateKey // not needed for a dry run
	Plan    *Plan
	Journal *Journal
	// StuckAfter is how long to wait for a receipt before replacing the
	// transaction with a fee bump at the same nonce.
	StuckAfter time.Duration
	// Poll is the interval between receipt polls.
	Poll time.Duration
	// MaxPending caps transactions sent but not yet mined.
	MaxPending int
	DryRun     bool
	// JournalDir holds the plans and journals of other payouts ("" for
	// none); SinceBlock is the first block searched for transactions
	// tagged with the plan's distribution. A distribution another plan paid,
	// even in part, is refused before anything is signed.
	JournalDir string
	SinceBlock uint64
	OnEvent    func(Event)
	Now        func() time.Time
	Logger     *slog.Logger
}

// Action is one transaction a run would sign (dry run) or did sign.
type Action struct {
	Step  int    `json:"step"`
	Kind  string `json:"kind"`
	Nonce uint64 `json:"nonce"`
	// Resend marks a journaled transaction sent again unchanged.
	Resend bool   `json:"resend,omitempty"`
	Amount string `json:"amount"`
}

// Result sums up a run.
type Result struct {
	Steps    int      `json:"steps"`
	Done     int      `json:"done"`
	Actions  []Action `json:"actions"`
	Replaced int      `json:"replaced"`
}

func (e *Executor) defaults() {
	if e.StuckAfter == 0 {
		e.StuckAfter = 3 * time.Minute
	}
	if e.Poll == 0 {
		e.Poll = time.Second
	}
	if e.MaxPending == 0 {
		e.MaxPending = 16
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Logger == nil {
		e.Logger = slog.New(slog.DiscardHandler)
	}
	if e.OnEvent == nil {
		e.OnEvent = func(Event) {}
	}
}

// run is the state of one Run.
type run struct {
	*Executor
	sender  common.Address
	chainID *big.Int
	signer  types.Signer
	states  []*stepState
	next    uint64
	res     Result
}

// Run executes the plan (or, with DryRun, says what it would do).
func (e *Executor) Run(ctx context.Context) (*Result, error) {
	e.defaults()
	p := e.Plan
	if err := p.validated(); err != nil {
		return nil, err
	}
	r := &run{Executor: e, sender: common.HexToAddress(p.Sender), chainID: new(big.Int).SetUint64(p.ChainID)}
	r.signer = types.LatestSignerForChainID(r.chainID)
	r.res.Steps = len(p.Steps)
	if !e.DryRun {
		if e.Key == nil || chain.KeyAddress(e.Key) != r.sender {
			return nil, podium.FieldError("keystore", "does not hold the plan's sender %s", p.Sender).
				WithHint("pass the keystore of the account the plan pays from")
		}
	}
	if err := CheckUnpaid(ctx, e.Client, p, e.JournalDir, e.Journal.Records(), e.SinceBlock); err != nil {
		return nil, err
	}
	if err := r.settle(ctx); err != nil {
		return nil, err
	}
	if err := r.checkFunds(ctx); err != nil {
		return nil, err
	}
	if e.DryRun {
		r.dryRun()
		return &r.res, nil
	}
	return &r.res, r.loop(ctx)
}

// settle brings the journal up to date with the chain and checks that the
// sender sent nothing the journal does not know of.
func (r *run) settle(ctx context.Context) error {
	p := r.Plan
	id, err := r.Client.ChainID(ctx)
	if err != nil {
		return unavailable("chain id", err)
	}
	if id.Uint64() != p.ChainID {
		return podium.FieldError("rpc", "serves chain %s, the plan is for chain %d", id, p.ChainID)
	}
	states, known, maxNonce, err := replay(r.Journal.Records(), len(p.Steps))
	if err != nil {
		return err
	}
	r.states = states
	// The confirmed nonce first, then receipts: a transaction mined in
	// between is then seen as mined, never as a foreign use of its nonce.
	latest, err := r.Client.NonceAt(ctx, r.sender, nil)
	if err != nil {
		return unavailable("sender nonce", err)
	}
	pending, err := r.Client.PendingNonceAt(ctx, r.sender)
	if err != nil {
		return unavailable("sender pending nonce", err)
	}
	for _, s := range r.states {
		if s.state() != StatePending {
			continue
		}
		rc, err := r.receipt(ctx, s)
		if err != nil {
			return err
		}
		if rc != nil {
			if err := r.recordMined(s, rc); err != nil {
				return err
			}
			continue
		}
		if s.nonce < latest {
			return podium.Errorf(podium.ECONFLICT, "nonce %d of step %d was used by a transaction not in the journal", s.nonce, s.step).
				WithHint("something else sent from the sender; run `podium payout reconcile` before anything else")
		}
	}
	switch {
	case maxNonce < 0 && pending != latest:
		return podium.Errorf(podium.ECONFLICT, "the sender has %d pending transactions not in the journal", pending-latest).
			WithHint("wait for them to be mined, then run again")
	case maxNonce < 0:
		r.next = latest
	case latest > uint64(maxNonce)+1 || pending > uint64(maxNonce)+1:
		return podium.Errorf(podium.ECONFLICT, "the sender used nonces up to %d, the journal only up to %d", max(latest, pending)-1, maxNonce).
			WithHint("something else sent from the sender; run `podium payout reconcile` before anything else")
	default:
		r.next = uint64(maxNonce) + 1
	}
	head, err := r.Client.BlockNumber(ctx)
	if err != nil {
		return unavailable("block number", err)
	}
	logs, err := transfersFrom(ctx, r.Client, common.HexToAddress(p.Token), r.sender, p.FromBlock, head)
	if err != nil {
		return err
	}
	for _, l := range logs {
		if !known[l.TxHash] {
			return podium.Errorf(podium.ECONFLICT, "the sender moved tokens in %s (block %d), which the journal does not know", l.TxHash.Hex(), l.BlockNumber).
				WithHint("run `podium payout reconcile`: paying now could pay someone twice")
		}
	}
	return nil
}

// receipt returns the receipt of whichever of the step's transactions was
// mined, or nil.
func (r *run) receipt(ctx context.Context, s *stepState) (*types.Receipt, error) {
	for i := len(s.variants) - 1; i >= 0; i-- {
		rc, err := r.Client.TransactionReceipt(ctx, s.variants[i].Hash())
		if err == nil {
			return rc, nil
		}
		if !isNotFound(err) {
			return nil, unavailable("receipt", err)
		}
	}
	return nil, nil
}

func isNotFound(err error) bool { return errors.Is(err, ethereum.NotFound) }

func (r *run) recordMined(s *stepState, rc *types.Receipt) error {
	rec := Record{Kind: RecordMined, At: r.Now().UTC(), Step: s.step, Nonce: s.nonce,
		Hash: rc.TxHash.Hex(), Block: rc.BlockNumber.Uint64(), Status: rc.Status}
	if err := r.Journal.Append(rec); err != nil {
		return err
	}
	s.mined = &rec
	if rc.Status == types.ReceiptStatusSuccessful {
		r.res.Done++
	}
	r.OnEvent(Event{Kind: EventMined, Step: s.step, Nonce: s.nonce, Hash: rc.TxHash, Done: r.done(), Steps: len(r.states)})
	return nil
}

func (r *run) done() int {
	n := 0
	for _, s := range r.states {
		if s.state() == StateDone {
			n++
		}
	}
	return n
}

// checkFunds checks the sender's balance (and allowance for batches) against
// what is left to pay.
func (r *run) checkFunds(ctx context.Context) error {
	p := r.Plan
	left := new(big.Int)
	leftBatch := new(big.Int)
	approving := false
	for i, s := range r.states {
		st := p.Steps[i]
		if st.Kind == KindApprove && s.state() != StateDone {
			approving = true
		}
		if s.state() == StateDone || s.state() == StatePending {
			continue
		}
		amt := p.AmountOf(st.Payments)
		left.Add(left, amt)
		if st.Kind == KindBatch {
			leftBatch.Add(leftBatch, amt)
		}
	}
	tok := chain.Token{Client: r.Client, Address: common.HexToAddress(p.Token)}
	bal, err := tok.BalanceOf(ctx, r.sender)
	if err != nil {
		return unavailable("sender balance", err)
	}
	if bal.Cmp(left) < 0 {
		return podium.Errorf(podium.EINVALID, "sender %s holds %s base units, the unpaid steps need %s", p.Sender, bal, left).
			WithHint("fund the sender with the token, then run again")
	}
	if leftBatch.Sign() > 0 && !approving {
		allowed, err := tok.Allowance(ctx, r.sender, common.HexToAddress(p.Batch))
		if err != nil {
			return unavailable("allowance", err)
		}
		if allowed.Cmp(leftBatch) < 0 {
			return podium.Errorf(podium.EINVALID, "the batch contract may move %s, the unpaid batches need %s", allowed, leftBatch).
				WithHint("make a new plan: it will include the approve")
		}
	}
	return nil
}

func (r *run) dryRun() {
	next := r.next
	for i, s := range r.states {
		st := r.Plan.Steps[i]
		a := Action{Step: i, Kind: st.Kind, Amount: r.Plan.AmountOf(st.Payments).String()}
		switch s.state() {
		case StateDone:
			r.res.Done++
			continue
		case StatePending:
			a.Nonce, a.Resend = s.nonce, true
		default:
			a.Nonce = next
			next++
		}
		r.res.Actions = append(r.res.Actions, a)
	}
}

// loop signs, sends and confirms the steps left, MaxPending at a time.
func (r *run) loop(ctx context.Context) error {
	var queue, inflight []*stepState
	for _, s := range r.states {
		switch s.state() {
		case StateDone:
			r.res.Done++
		case StatePending:
			inflight = append(inflight, s)
		default:
			queue = append(queue, s)
		}
	}
	sort.Slice(inflight, func(i, j int) bool { return inflight[i].nonce < inflight[j].nonce })
	for _, s := range inflight {
		r.res.Actions = append(r.res.Actions, Action{Step: s.step, Kind: r.Plan.Steps[s.step].Kind, Nonce: s.nonce, Resend: true,
			Amount: r.Plan.AmountOf(r.Plan.Steps[s.step].Payments).String()})
		if err := r.send(ctx, s.last()); err != nil {
			return err
		}
	}
	for len(queue) > 0 || len(inflight) > 0 {
		for len(queue) > 0 && len(inflight) < r.MaxPending {
			s := queue[0]
			queue = queue[1:]
			if err := r.signAndSend(ctx, s); err != nil {
				return err
			}
			inflight = append(inflight, s)
		}
		s := inflight[0]
		rc, err := r.await(ctx, s)
		if err != nil {
			return err
		}
		inflight = inflight[1:]
		if err := r.recordMined(s, rc); err != nil {
			return err
		}
		if rc.Status != types.ReceiptStatusSuccessful {
			return podium.Errorf(podium.EINVALID, "step %d (%s) reverted in %s", s.step, r.Plan.Steps[s.step].Kind, rc.TxHash.Hex()).
				WithHint("no tokens moved in that transaction; check the sender's balance and allowance, then run again")
		}
	}
	return nil
}

// signAndSend gives a new step the next nonce, journals it signed, then sends it.
func (r *run) signAndSend(ctx context.Context, s *stepState) error {
	fees, err := chain.SuggestFees(ctx, r.Client)
	if err != nil {
		return unavailable("fees", err)
	}
	st := r.Plan.Steps[s.step]
	s.variants, s.mined, s.nonce = nil, nil, r.next
	tx, err := r.sign(s, fees)
	if err != nil {
		return err
	}
	r.next++
	r.res.Actions = append(r.res.Actions, Action{Step: s.step, Kind: st.Kind, Nonce: s.nonce, Amount: r.Plan.AmountOf(st.Payments).String()})
	r.OnEvent(Event{Kind: EventSigned, Step: s.step, Nonce: s.nonce, Hash: tx.Hash(), Done: r.done(), Steps: len(r.states)})
	if err := r.send(ctx, tx); err != nil {
		return err
	}
	r.OnEvent(Event{Kind: EventSent, Step: s.step, Nonce: s.nonce, Hash: tx.Hash(), Done: r.done(), Steps: len(r.states)})
	return nil
}

// sign signs the step's call at its nonce with fees and journals it before
// anything is sent.
func (r *run) sign(s *stepState, fees chain.Fees) (*types.Transaction, error) {
	st := r.Plan.Steps[s.step]
	tx := chain.NewTx(r.chainID, s.nonce, common.HexToAddress(st.To), common.FromHex(st.Data), st.Gas, fees)
	signed, err := types.SignTx(tx, r.signer, r.Key)
	if err != nil {
		return nil, fmt.Errorf("sign step %d: %w", s.step, err)
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if err := r.Journal.Append(Record{Kind: RecordSigned, At: r.Now().UTC(), Step: s.step, Nonce: s.nonce,
		Hash: signed.Hash().Hex(), Raw: hexutil(raw), Tip: fees.Tip.String(), FeeCap: fees.Cap.String()}); err != nil {
		return nil, err
	}
	s.variants = append(s.variants, signed)
	return signed, nil
}

// send hands a journaled transaction to the node. Whether it arrived or not,
// the journal has it: a lost send is found stuck and replaced, a send that
// arrived but whose answer was lost is found mined. Only answers that prove
// the transaction can never be mined stop the run.
func (r *run) send(ctx context.Context, tx *types.Transaction) error {
	err := r.Client.SendTransaction(ctx, tx)
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "insufficient funds"):
		return podium.Errorf(podium.EINVALID, "the sender cannot pay the gas of %s: %w", tx.Hash().Hex(), err).
			WithHint("send ETH to the sender for gas, then run again")
	case strings.Contains(msg, "already known"), strings.Contains(msg, "nonce too low"),
		strings.Contains(msg, "underpriced"):
		// Known, mined, or outbid by our own earlier variant: receipts decide.
	default:
		r.Logger.Warn("send failed; will check for a receipt and replace if stuck", "tx", tx.Hash().Hex(), "err", err)
	}
	return nil
}

// await polls for the step's receipt, replacing the transaction with a ≥ 10 %
// fee bump at the same nonce whenever it stays unmined for StuckAfter.
func (r *run) await(ctx context.Context, s *stepState) (*types.Receipt, error) {
	deadline := r.Now().Add(r.StuckAfter)
	for {
		rc, err := r.receipt(ctx, s)
		if err != nil {
			r.Logger.Warn("receipt poll failed", "step", s.step, "err", err)
		}
		if rc != nil {
			return rc, nil
		}
		if r.Now().After(deadline) {
			if err := r.checkNonceTaken(ctx, s); err != nil {
				return nil, err
			}
			if err := r.replace(ctx, s); err != nil {
				return nil, err
			}
			deadline = r.Now().Add(r.StuckAfter)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for step %d: %w", s.step, ctx.Err())
		case <-time.After(r.Poll):
		}
	}
}

// checkNonceTaken fails when the step's nonce was used by a transaction that
// is none of the step's: replacing it could never be mined, and signing the
// step at another nonce is for a person to decide after reconciling.
func (r *run) checkNonceTaken(ctx context.Context, s *stepState) error {
	latest, err := r.Client.NonceAt(ctx, r.sender, nil)
	if err != nil {
		return nil // a node that fails now is retried on the next poll
	}
	if latest <= s.nonce {
		return nil
	}
	rc, err := r.receipt(ctx, s)
	if err != nil || rc != nil {
		return nil // mined after all: the next poll records it
	}
	return podium.Errorf(podium.ECONFLICT, "nonce %d of step %d was used by a transaction not in the journal", s.nonce, s.step).
		WithHint("something else sent from the sender; run `podium payout reconcile` before anything else")
}

func (r *run) replace(ctx context.Context, s *stepState) error {
	tip, cap := s.fees()
	fees := chain.Fees{Tip: tip, Cap: cap}.Bump()
	if now, err := chain.SuggestFees(ctx, r.Client); err == nil {
		fees = fees.Max(now)
	}
	old := s.last().Hash()
	tx, err := r.sign(s, fees)
	if err != nil {
		return err
	}
	r.res.Replaced++
	r.Logger.Info("replacing stuck transaction", "step", s.step, "nonce", s.nonce, "old", old.Hex(), "new", tx.Hash().Hex(),
		"tip", fees.Tip, "fee_cap", fees.Cap)
	if err := r.send(ctx, tx); err != nil {
		return err
	}
	r.OnEvent(Event{Kind: EventReplaced, Step: s.step, Nonce: s.nonce, Hash: tx.Hash(), Done: r.done(), Steps: len(r.states)})
	return nil
}
