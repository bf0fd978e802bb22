package pm

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Constants of go-livepeer's recipient.
const (
	// paramsExpirationBlocks is how many L1 blocks ticket parameters stay
	// valid.
	paramsExpirationBlocks = 40
	// maxSenderNonces bounds the tickets accepted for one recipient rand.
	maxSenderNonces = 600
)

var (
	// evMultiplier sets the face value to EV × 100 when the transaction
	// cost is below the EV.
	evMultiplier = big.NewInt(100)
	// avgGasPrice is go-livepeer's fixed stand-in for the average gas
	// price, 3 gwei.
	avgGasPrice = big.NewInt(3_000_000_000)
)

// RecipientConfig is how a recipient prices its tickets (go-livepeer's
// -ticketEV, its redeem gas estimate and transaction cost multiplier).
type RecipientConfig struct {
	// EV is the expected value of each ticket, in wei.
	EV               *big.Int
	RedeemGas        int64
	TxCostMultiplier int64
	// MaxFaceValue caps the face value when above 0.
	MaxFaceValue *big.Int
}

// Recipient receives tickets as go-livepeer's orchestrator does: it commits
// to a random number derived from its secret and the parameters it sends
// (so it needs no memory of them), validates each ticket it gets back,
// refuses a nonce seen before and reports the winners.
type Recipient struct {
	Addr   common.Address
	Secret [32]byte
	Chain  Chain
	Config RecipientConfig
	// GasPrice is the current gas price; nil counts as 0.
	GasPrice func() *big.Int
	// Rand draws seeds; crypto/rand when nil.
	Rand io.Reader

	mu      sync.Mutex
	nonces  map[string]*nonceSet
	pending map[common.Address]*big.Int
}

type nonceSet struct {
	seen       map[uint32]bool
	expiration *big.Int
}

// EV is the expected value the recipient asks of each ticket.
func (r *Recipient) EV() *big.Rat { return new(big.Rat).SetInt(r.Config.EV) }

// TicketParams returns fresh parameters for sender's tickets at price (wei
// per pixel): a random seed, a face value from the redemption cost capped by
// the sender's max float, the win probability that makes each ticket worth
// EV, an expiration 40 L1 blocks ahead and the current round. A price of 0
// asks for tickets of face value 0.
func (r *Recipient) TicketParams(sender common.Address, price *big.Rat) (*TicketParams, error) {
	seedBytes := make([]byte, 32)
	src := r.Rand
	if src == nil {
		src = rand.Reader
	}
	if _, err := io.ReadFull(src, seedBytes); err != nil {
		return nil, fmt.Errorf("draw seed: %w", err)
	}
	seed := new(big.Int).SetBytes(seedBytes)
	st, err := r.Chain.State()
	if err != nil {
		return nil, fmt.Errorf("read chain state: %w", err)
	}
	// go-livepeer forgets the nonces of expired parameters on each new
	// block; podium does it whenever it issues parameters.
	r.ForgetExpired(st.L1Block)
	face := new(big.Int)
	if price.Sign() > 0 {
		if face, err = r.faceValue(sender, st); err != nil {
			return nil, err
		}
	}
	p := &TicketParams{
		Recipient:       r.Addr,
		FaceValue:       face,
		WinProb:         r.winProb(face),
		Seed:            seed,
		ExpirationBlock: new(big.Int).Add(st.L1Block, big.NewInt(paramsExpirationBlocks)),
		PricePerPixel:   price,
		Expiration:      ExpirationParams{CreationRound: st.Round, CreationRoundBlockHash: st.RoundBlockHash},
	}
	rnd := r.rand(seed, sender, p.FaceValue, p.WinProb, p.ExpirationBlock, price, p.Expiration)
	p.RecipientRandHash = crypto.Keccak256Hash(common.LeftPadBytes(rnd.Bytes(), 32))
	return p, nil
}

// faceValue is the redemption cost × TxCostMultiplier (EV × 100 when that
// is below EV), capped by the sender's max float and MaxFaceValue; a cap
// below EV or below the redemption cost is ErrInsufficientSenderReserve.
func (r *Recipient) faceValue(sender common.Address, st ChainState) (*big.Int, error) {
	txCost := r.txCost(r.gasPrice())
	face := new(big.Int).Mul(txCost, big.NewInt(r.Config.TxCostMultiplier))
	if face.Cmp(r.Config.EV) < 0 {
		face = new(big.Int).Mul(r.Config.EV, evMultiplier)
	}
	maxFloat, err := r.MaxFloat(sender, st)
	if err != nil {
		return nil, err
	}
	if face.Cmp(maxFloat) > 0 {
		face = maxFloat
	}
	if m := r.Config.MaxFaceValue; m != nil && m.Sign() > 0 && m.Cmp(face) < 0 {
		face = new(big.Int).Set(m)
	}
	if face.Cmp(r.Config.EV) < 0 {
		return nil, ErrInsufficientSenderReserve
	}
	if face.Cmp(txCost) < 0 && face.Cmp(r.txCost(avgGasPrice)) < 0 {
		return nil, ErrInsufficientSenderReserve
	}
	return face, nil
}

func (r *Recipient) gasPrice() *big.Int {
	if r.GasPrice != nil {
		if gp := r.GasPrice(); gp != nil {
			return gp
		}
	}
	return new(big.Int)
}

func (r *Recipient) txCost(gasPrice *big.Int) *big.Int {
	return new(big.Int).Mul(big.NewInt(r.Config.RedeemGas), gasPrice)
}

// winProb is the win probability that makes a ticket of face value face
// worth EV, rounded up as go-livepeer rounds it.
func (r *Recipient) winProb(face *big.Int) *big.Int {
	if face.Sign() == 0 {
		return new(big.Int)
	}
	if face.Cmp(r.Config.EV) == 0 {
		return new(big.Int).Set(MaxWinProb)
	}
	x, m := new(big.Int).DivMod(MaxWinProb, face, new(big.Int))
	if m.Sign() != 0 {
		x.Add(x, big.NewInt(1))
	}
	return x.Mul(x, r.Config.EV)
}

// MaxFloat is what the recipient may still claim from sender's reserve:
// its share of the reserve this round (reserve ÷ pool size, less what it
// claimed), less the face value of its winning tickets not yet redeemed
// unless the deposit covers three times those.
func (r *Recipient) MaxFloat(sender common.Address, st ChainState) (*big.Int, error) {
	info, err := r.Chain.SenderInfo(sender)
	if err != nil {
		return nil, err
	}
	claimed, err := r.Chain.ClaimedReserve(sender, r.Addr)
	if err != nil {
		return nil, err
	}
	alloc := new(big.Int)
	if st.PoolSize > 0 {
		reserve := new(big.Int).Add(orZero(info.Reserve.FundsRemaining), orZero(info.Reserve.ClaimedInCurrentRound))
		alloc.Sub(reserve.Div(reserve, big.NewInt(st.PoolSize)), claimed)
	}
	r.mu.Lock()
	pending := new(big.Int).Set(orZero(r.pending[sender]))
	r.mu.Unlock()
	if pending.Sign() > 0 {
		// go-livepeer compares deposit ÷ pending with 3 in floating point;
		// deposit ≥ 3 × pending is the same test, exactly.
		if orZero(info.Deposit).Cmp(new(big.Int).Mul(pending, big.NewInt(3))) >= 0 {
			return alloc, nil
		}
	}
	return alloc.Sub(alloc, pending), nil
}

// ReceiveTicket validates a ticket made with parameters this recipient
// issued (seed tells which) and reports whether it won. The checks and
// their errors are go-livepeer's: the sender not about to unlock its funds
// (fatal), then recipient, sender, recipient rand and signature (fatal but
// for the signature), then the nonce not seen before for this recipient
// rand, then the parameters not expired. Tickets refused by the last two
// may still be winners; won says so.
func (r *Recipient) ReceiveTicket(t *Ticket, sig []byte, seed *big.Int) (won bool, err error) {
	rnd := r.rand(seed, t.Sender, t.FaceValue, t.WinProb, t.ParamsExpirationBlock, t.PricePerPixel, t.ExpirationParams)
	st, err := r.Chain.State()
	if err != nil {
		return false, &FatalReceiveError{fmt.Errorf("read chain state: %w", err)}
	}
	if err := r.validateSender(t.Sender, st); err != nil {
		return false, &FatalReceiveError{err}
	}
	if err := r.validate(t, sig, rnd); err != nil {
		if errors.Is(err, ErrInvalidTicketSignature) {
			return false, err
		}
		return false, &FatalReceiveError{err}
	}
	won = t.Wins(sig, rnd)
	if err := r.useNonce(rnd, t); err != nil {
		return won, err
	}
	if orZero(t.ParamsExpirationBlock).Cmp(st.L1Block) <= 0 {
		return won, ErrTicketParamsExpired
	}
	return won, nil
}

// RecipientRand is the random number behind t's recipient rand hash, which
// the TicketBroker asks for to redeem it.
func (r *Recipient) RecipientRand(t *Ticket, seed *big.Int) *big.Int {
	return r.rand(seed, t.Sender, t.FaceValue, t.WinProb, t.ParamsExpirationBlock, t.PricePerPixel, t.ExpirationParams)
}

func (r *Recipient) validateSender(sender common.Address, st ChainState) error {
	info, err := r.Chain.SenderInfo(sender)
	if err != nil {
		return fmt.Errorf("could not get sender info for %v: %v", sender.Hex(), err)
	}
	if w := info.WithdrawRound; w != nil && w.Sign() != 0 && w.Cmp(big.NewInt(st.Round+1)) <= 0 {
		return fmt.Errorf("deposit and reserve for sender %v is set to unlock soon", sender.Hex())
	}
	return nil
}

func (r *Recipient) validate(t *Ticket, sig []byte, rnd *big.Int) error {
	if t.Recipient != r.Addr {
		return ErrInvalidTicketRecipient
	}
	if t.Sender == (common.Address{}) {
		return ErrInvalidTicketSender
	}
	if crypto.Keccak256Hash(common.LeftPadBytes(rnd.Bytes(), 32)) != t.RecipientRandHash {
		return ErrInvalidTicketRecipientRand
	}
	if !VerifySig(t.Sender, t.Hash().Bytes(), sig) {
		return ErrInvalidTicketSignature
	}
	return nil
}

func (r *Recipient) useNonce(rnd *big.Int, t *Ticket) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nonces == nil {
		r.nonces = make(map[string]*nonceSet)
	}
	key := rnd.String()
	ns, ok := r.nonces[key]
	if ok && ns.seen[t.SenderNonce] {
		return fmt.Errorf("invalid ticket senderNonce: already seen sender=%v nonce=%v", t.Sender.Hex(), t.SenderNonce)
	}
	if !ok {
		ns = &nonceSet{seen: make(map[uint32]bool), expiration: t.ParamsExpirationBlock}
		r.nonces[key] = ns
	}
	if len(ns.seen) >= maxSenderNonces {
		return fmt.Errorf("invalid ticket senderNonce: too many values sender=%v nonce=%v", t.Sender.Hex(), t.SenderNonce)
	}
	ns.seen[t.SenderNonce] = true
	return nil
}

// ForgetExpired drops the nonces of parameters that expired by L1 block
// block, as go-livepeer does on each new block: their tickets are refused
// as expired anyway.
func (r *Recipient) ForgetExpired(block *big.Int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, ns := range r.nonces {
		if ns.expiration.Cmp(block) <= 0 {
			delete(r.nonces, k)
		}
	}
}

// AddPending and SubPending track the face value of winning tickets not
// yet redeemed, which MaxFloat holds back.
func (r *Recipient) AddPending(sender common.Address, face *big.Int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending == nil {
		r.pending = make(map[common.Address]*big.Int)
	}
	r.pending[sender] = new(big.Int).Add(orZero(r.pending[sender]), face)
}

// SubPending: see AddPending.
func (r *Recipient) SubPending(sender common.Address, face *big.Int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := new(big.Int).Sub(orZero(r.pending[sender]), face)
	if p.Sign() < 0 {
		p.SetInt64(0)
	}
	r.pending[sender] = p
}

// rand is the recipient's random number for a set of parameters:
// HMAC-SHA256 under its secret of seed, sender, face value, win
// probability, expiration block, price numerator and denominator and
// auxData, each as minimal big-endian bytes, as go-livepeer computes it.
func (r *Recipient) rand(seed *big.Int, sender common.Address, face, winProb, expBlock *big.Int, price *big.Rat, exp ExpirationParams) *big.Int {
	if price == nil {
		price = new(big.Rat)
	}
	h := hmac.New(sha256.New, r.Secret[:])
	h.Write(orZero(seed).Bytes())
	h.Write(sender.Bytes())
	h.Write(orZero(face).Bytes())
	h.Write(orZero(winProb).Bytes())
	h.Write(orZero(expBlock).Bytes())
	h.Write(price.Num().Bytes())
	h.Write(price.Denom().Bytes())
	h.Write(exp.AuxData())
	return new(big.Int).SetBytes(h.Sum(nil))
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}
