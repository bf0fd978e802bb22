package pm

import (
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// Defaults of go-livepeer's broadcaster (-maxTicketEV, -maxTotalEV,
// -depositMultiplier).
var (
	DefaultMaxEV             = big.NewRat(3_000_000_000_000, 1)
	DefaultMaxTotalEV        = big.NewRat(20_000_000_000_000, 1)
	DefaultDepositMultiplier = 1
)

// paramsExpiryBuffer is how many blocks before their expiration block a
// sender stops using ticket parameters.
const paramsExpiryBuffer = 1

// Sender makes tickets as go-livepeer's broadcaster does: one session per
// set of ticket parameters (named by their recipient rand hash), each with
// its own nonce counter, and a check of the parameters and of the sender's
// own funds before any ticket is signed.
type Sender struct {
	Signer Signer
	Chain  Chain
	// MaxEV and MaxTotalEV cap one ticket's and one payment's expected
	// value; DepositMultiplier caps the face value at deposit ÷ it.
	MaxEV             *big.Rat
	MaxTotalEV        *big.Rat
	DepositMultiplier int

	mu       sync.Mutex
	sessions map[string]*senderSession
}

type senderSession struct {
	nonce  uint32
	params TicketParams
}

// NewSender returns a Sender with go-livepeer's default limits.
func NewSender(s Signer, c Chain) *Sender {
	return &Sender{Signer: s, Chain: c, MaxEV: DefaultMaxEV, MaxTotalEV: DefaultMaxTotalEV, DepositMultiplier: DefaultDepositMultiplier}
}

// StartSession starts (or restarts, nonce at 0) the session of p and
// returns its id, p's recipient rand hash.
func (s *Sender) StartSession(p TicketParams) string {
	id := p.RecipientRandHash.Hex()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions == nil {
		s.sessions = make(map[string]*senderSession)
	}
	s.sessions[id] = &senderSession{params: p}
	return id
}

// EndSession forgets a session.
func (s *Sender) EndSession(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// EV is the expected value of one ticket of session id.
func (s *Sender) EV(id string) (*big.Rat, error) {
	sess, err := s.session(id)
	if err != nil {
		return nil, err
	}
	return sess.params.EV(), nil
}

func (s *Sender) session(id string) (*senderSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return nil, fmt.Errorf("error loading session: %x", id)
	}
	return sess, nil
}

// TicketBatch is n tickets sharing their parameters; each has its own
// nonce and signature.
type TicketBatch struct {
	Params TicketParams
	Sender common.Address
	// Expiration is what the tickets carry (the parameters' own, or the
	// sender's current round when the recipient sent none).
	Expiration   ExpirationParams
	SenderParams []SenderParams
}

// SenderParams identify one ticket of a batch.
type SenderParams struct {
	Nonce uint32
	Sig   []byte
}

// Tickets returns the batch's tickets.
func (b *TicketBatch) Tickets() []*Ticket {
	ts := make([]*Ticket, len(b.SenderParams))
	for i, sp := range b.SenderParams {
		p := b.Params
		p.Expiration = b.Expiration
		ts[i] = NewTicket(&p, b.Sender, sp.Nonce)
	}
	return ts
}

// CreateTicketBatch checks session id's parameters for n tickets and signs
// n tickets with the session's next nonces.
func (s *Sender) CreateTicketBatch(id string, n int) (*TicketBatch, error) {
	sess, err := s.session(id)
	if err != nil {
		return nil, err
	}
	if err := s.ValidateTicketParams(&sess.params, n); err != nil {
		return nil, err
	}
	exp := sess.params.Expiration
	if exp.CreationRound == 0 || exp.CreationRoundBlockHash == ([32]byte{}) {
		// A recipient that sends no expiration gets the sender's own.
		st, err := s.Chain.State()
		if err != nil {
			return nil, fmt.Errorf("read round: %w", err)
		}
		exp = ExpirationParams{CreationRound: st.Round, CreationRoundBlockHash: st.RoundBlockHash}
	}
	b := &TicketBatch{Params: sess.params, Sender: s.Signer.Address(), Expiration: exp}
	for range n {
		s.mu.Lock()
		sess.nonce++
		nonce := sess.nonce
		s.mu.Unlock()
		p := sess.params
		p.Expiration = exp
		t := NewTicket(&p, s.Signer.Address(), nonce)
		sig, err := s.Signer.SignText(t.Hash().Bytes())
		if err != nil {
			return nil, fmt.Errorf("error signing ticket for session: %v: %w", id, err)
		}
		b.SenderParams = append(b.SenderParams, SenderParams{Nonce: nonce, Sig: sig})
	}
	return b, nil
}

// ValidateTicketParams refuses parameters that go-livepeer's broadcaster
// refuses for n tickets, with its texts: no or near expiration, a face value
// at or below the expected value, an expected value over MaxEV or n of them
// over MaxTotalEV, a face value over the sender's deposit ÷
// DepositMultiplier, and a sender whose own funds cannot pay (a
// *SenderValidationError).
func (s *Sender) ValidateTicketParams(p *TicketParams, n int) error {
	if p == nil {
		return errors.New("ticketParams is nil")
	}
	if p.ExpirationBlock == nil || p.ExpirationBlock.Sign() == 0 {
		return errors.New("ticketParams expiration block is 0")
	}
	st, err := s.Chain.State()
	if err != nil {
		return fmt.Errorf("read chain state: %w", err)
	}
	if new(big.Int).Sub(p.ExpirationBlock, st.L1Block).Int64() <= paramsExpiryBuffer {
		return ErrTicketParamsExpired
	}
	ev := p.EV()
	if ev.Sign() <= 0 {
		return nil
	}
	if ev.Cmp(new(big.Rat).SetInt(p.FaceValue)) >= 0 {
		return fmt.Errorf("ticket faceValue too low faceValue=%v", p.FaceValue)
	}
	if ev.Cmp(s.MaxEV) > 0 {
		return fmt.Errorf("ticket EV %v > max ticket EV %v", ev.FloatString(5), s.MaxEV.FloatString(5))
	}
	info, err := s.Chain.SenderInfo(s.Signer.Address())
	if err != nil {
		return err
	}
	if err := CheckSenderFunds(info, st.Round); err != nil {
		return err
	}
	total := new(big.Rat).Mul(ev, new(big.Rat).SetInt64(int64(n)))
	if total.Cmp(s.MaxTotalEV) > 0 {
		return fmt.Errorf("total ticket EV %v for %v tickets > max total ticket EV %v", total.FloatString(5), n, s.MaxTotalEV.FloatString(5))
	}
	maxFace := new(big.Int).Div(info.Deposit, big.NewInt(int64(s.DepositMultiplier)))
	if p.FaceValue.Cmp(maxFace) > 0 {
		return fmt.Errorf("ticket faceValue %v > max faceValue %v", p.FaceValue, maxFace)
	}
	return nil
}

// CheckSenderFunds is go-livepeer's check of a sender's own funds in round:
// not about to unlock, a reserve and a deposit. Its error is a
// *SenderValidationError.
func CheckSenderFunds(info SenderInfo, round int64) error {
	maxWithdraw := big.NewInt(round + 1)
	if info.WithdrawRound != nil && info.WithdrawRound.Sign() != 0 && info.WithdrawRound.Cmp(maxWithdraw) <= 0 {
		return &SenderValidationError{errors.New("unable to validate sender: deposit and reserve is set to unlock soon")}
	}
	if info.Reserve.FundsRemaining == nil || info.Reserve.FundsRemaining.Sign() == 0 {
		return &SenderValidationError{errors.New("no sender reserve")}
	}
	if info.Deposit == nil || info.Deposit.Sign() == 0 {
		return &SenderValidationError{errors.New("no sender deposit")}
	}
	return nil
}
