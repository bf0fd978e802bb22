package lpnet

import (
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/podiumhq/podium/lpnet/pm"
)

// Error codes of paying for a segment.
const (
	// CodePriceOverCap: the orchestrator asks more per pixel than the
	// payer's cap; nothing was sent.
	CodePriceOverCap = "PriceOverCap"
	// CodePayment: the payer itself cannot pay (its funds on chain).
	CodePayment = "Payment"
	// CodeTicketParams: the orchestrator's ticket parameters cannot be
	// paid with (none, expired, face value too low, EV too high).
	CodeTicketParams = "TicketParams"
)

// Cost is what a payment cost: the tickets sent, the face value of each,
// and their total expected value in wei.
type Cost struct {
	Tickets   int
	FaceValue *big.Int
	EV        *big.Rat
}

// Add adds c2 to c; the face value kept is the largest.
func (c Cost) Add(c2 Cost) Cost {
	ev := new(big.Rat)
	for _, x := range []*big.Rat{c.EV, c2.EV} {
		if x != nil {
			ev.Add(ev, x)
		}
	}
	face := c.FaceValue
	if face == nil || (c2.FaceValue != nil && c2.FaceValue.Cmp(face) > 0) {
		face = c2.FaceValue
	}
	return Cost{Tickets: c.Tickets + c2.Tickets, FaceValue: face, EV: ev}
}

// Payer pays for segments as go-livepeer's broadcaster does: per
// orchestrator session it keeps a credit and a ticket session on the
// orchestrator's latest ticket parameters, and with each segment it sends
// the tickets that bring the credit up to the segment's estimated fee.
type Payer struct {
	Sender *pm.Sender
	// MaxPrice caps the price per pixel it pays, in wei; nil pays any. Set
	// it before use, or with SetMaxPrice.
	MaxPrice *big.Rat

	mu       sync.Mutex
	sessions map[string]*paySession
	used     map[string]bool // recipient rand hashes of every ticket session
}

type paySession struct {
	pmID   string
	credit pm.Credit
	mu     sync.Mutex
	cost   Cost // of the payments sent
}

// payment is a staged payment of one segment.
type payment struct {
	wire   *Payment
	sess   *paySession
	update pm.Update
	price  *big.Rat
	cost   Cost
}

// SetMaxPrice changes the cap while the payer is in use (between cycles,
// when the program's cap changes); nil pays any price.
func (p *Payer) SetMaxPrice(r *big.Rat) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.MaxPrice = r
}

// Cap returns the price cap in force; nil for none.
func (p *Payer) Cap() *big.Rat {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.MaxPrice
}

// CheckPrice refuses a price over MaxPrice with CodePriceOverCap.
func (p *Payer) CheckPrice(price *PriceInfo) error {
	r, err := PriceRat(price)
	if err != nil {
		return &Error{Code: CodeTicketParams, Op: "payment", Err: fmt.Errorf("orchestrator price: %w", err)}
	}
	if limit := p.Cap(); r != nil && limit != nil && r.Cmp(limit) > 0 {
		return &Error{Code: CodePriceOverCap, Op: "payment", Err: fmt.Errorf("price %s wei per pixel is over the cap of %s", r.RatString(), limit.RatString())}
	}
	return nil
}

// pay stages the payment of a segment whose renditions come to pixels
// output pixels (estimated), for the orchestrator session of info.
func (p *Payer) pay(info *OrchestratorInfo, pixels int64) (*payment, error) {
	if err := p.CheckPrice(info.GetPriceInfo()); err != nil {
		return nil, err
	}
	price, _ := PriceRat(info.GetPriceInfo())
	wire := &Payment{Sender: p.Sender.Signer.Address().Bytes(), ExpectedPrice: info.GetPriceInfo()}
	if price == nil || price.Sign() == 0 {
		return &payment{wire: wire, price: new(big.Rat), cost: Cost{EV: new(big.Rat)}}, nil
	}
	if info.GetTicketParams() == nil {
		return nil, &Error{Code: CodeTicketParams, Op: "payment", Err: errors.New("orchestrator asks a price but sends no ticket parameters")}
	}
	sess := p.session(info)
	ev, err := p.Sender.EV(sess.pmID)
	if err != nil {
		return nil, &Error{Code: CodePayment, Op: "payment", Err: err}
	}
	u := sess.credit.Stage(pm.EstimateFee(pixels, price), ev)
	pay := &payment{wire: wire, sess: sess, update: u, price: price, cost: Cost{EV: new(big.Rat)}}
	if u.Tickets == 0 {
		return pay, nil
	}
	b, err := p.Sender.CreateTicketBatch(sess.pmID, u.Tickets)
	if err != nil {
		sess.credit.Unsent(u)
		code := CodeTicketParams
		var sv *pm.SenderValidationError
		if errors.As(err, &sv) {
			code = CodePayment
		}
		return nil, &Error{Code: code, Op: "payment", Err: err}
	}
	pay.wire = wirePayment(b, info.GetPriceInfo())
	pay.cost = Cost{Tickets: u.Tickets, FaceValue: b.Params.FaceValue, EV: u.New}
	return pay, nil
}

// session is the pay session of info's orchestrator session, started on
// info's ticket parameters the first time; later the parameters change
// only with a result (update), since a caller may hold an older info.
func (p *Payer) session(info *OrchestratorInfo) *paySession {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := info.GetAuthToken().GetSessionId()
	if s := p.sessions[key]; s != nil {
		return s
	}
	if p.sessions == nil {
		p.sessions = make(map[string]*paySession)
	}
	s := &paySession{}
	p.sessions[key] = s
	p.restartLocked(s, info)
	return s
}

// restartLocked moves s to info's ticket parameters unless they are ones
// it has used: a ticket session restarts its nonces at 1, and tickets
// that repeat a nonce are worth nothing.
func (p *Payer) restartLocked(s *paySession, info *OrchestratorInfo) {
	price, _ := PriceRat(info.GetPriceInfo())
	tp := pmTicketParams(info.GetTicketParams(), price)
	id := tp.RecipientRandHash.Hex()
	if p.used == nil {
		p.used = make(map[string]bool)
	}
	if p.used[id] {
		return
	}
	p.used[id] = true
	if s.pmID != "" {
		p.Sender.EndSession(s.pmID)
	}
	s.pmID = p.Sender.StartSession(tp)
}

// unsent puts back the credit of a payment that never left.
func (pay *payment) unsent() {
	if pay.sess != nil {
		pay.sess.credit.Unsent(pay.update)
	}
}

// sent counts the payment's tickets as spent: they left with a segment.
func (pay *payment) sent() {
	if pay.sess != nil {
		pay.sess.mu.Lock()
		pay.sess.cost = pay.sess.cost.Add(pay.cost)
		pay.sess.mu.Unlock()
	}
}

// SessionCost is what the payments of info's orchestrator session cost,
// failed segments included.
func (p *Payer) SessionCost(info *OrchestratorInfo) Cost {
	p.mu.Lock()
	s := p.sessions[info.GetAuthToken().GetSessionId()]
	p.mu.Unlock()
	if s == nil {
		return Cost{EV: new(big.Rat)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cost.Add(Cost{})
}

// settled credits the change of a payment whose segment came back
// transcoded into pixels.
func (pay *payment) settled(pixels int64) {
	if pay.sess != nil {
		pay.sess.credit.Settled(pay.update, new(big.Rat).Mul(pay.price, big.NewRat(pixels, 1)))
	}
}

// update takes the orchestrator's new ticket parameters from a result.
func (p *Payer) update(info *OrchestratorInfo) {
	if info.GetTicketParams() == nil || info.GetAuthToken() == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.sessions[info.GetAuthToken().GetSessionId()]; s != nil {
		p.restartLocked(s, info)
	}
}

// EndSession forgets the pay session of an orchestrator session.
func (p *Payer) EndSession(info *OrchestratorInfo) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := info.GetAuthToken().GetSessionId()
	if s := p.sessions[key]; s != nil {
		p.Sender.EndSession(s.pmID)
		delete(p.sessions, key)
	}
}

// estimatePixels is go-livepeer's estimate of a segment's output pixels.
func estimatePixels(profiles []*VideoProfile, seconds float64) int64 {
	var px int64
	for _, pr := range profiles {
		px += pm.OutputPixels(int64(pr.GetWidth()), int64(pr.GetHeight()), int64(pr.GetFps()), int64(pr.GetFpsDen()), seconds)
	}
	return px
}

// NewPayer returns a Payer whose tickets s signs, with go-livepeer's
// default limits, reading the sender's funds and the rounds from chain.
func NewPayer(s *Signer, chain pm.Chain) *Payer {
	return &Payer{Sender: pm.NewSender(s, chain)}
}

// SignText signs msg as go-livepeer signs a ticket hash: the personal
// message signature of msg itself (see pm.Signer).
func (s *Signer) SignText(msg []byte) ([]byte, error) { return pm.SignText(s.key, msg) }
