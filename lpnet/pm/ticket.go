package pm

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// MaxWinProb is the win probability of a ticket that always wins, 2^256-1:
// a ticket wins when a 256-bit hash is below its WinProb.
var MaxWinProb = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// ExpirationParams say when tickets expire: the TicketBroker accepts a
// ticket only while the round it was created in is recent, and only with
// that round's block hash.
type ExpirationParams struct {
	CreationRound          int64
	CreationRoundBlockHash common.Hash
}

// AuxData is the ticket's auxData as the TicketBroker reads it: the round as
// a 32-byte big-endian integer followed by the block hash, or nothing when
// both are zero.
func (e ExpirationParams) AuxData() []byte {
	if e.CreationRound == 0 && e.CreationRoundBlockHash == (common.Hash{}) {
		return []byte{}
	}
	return append(common.LeftPadBytes(big.NewInt(e.CreationRound).Bytes(), 32), e.CreationRoundBlockHash.Bytes()...)
}

// TicketParams are what a recipient asks a sender's tickets to carry.
type TicketParams struct {
	Recipient         common.Address
	FaceValue         *big.Int
	WinProb           *big.Int
	RecipientRandHash common.Hash
	Seed              *big.Int
	// ExpirationBlock is the L1 block from which these parameters are no
	// longer accepted.
	ExpirationBlock *big.Int
	// PricePerPixel is the price, in wei per pixel, the parameters were
	// made for; the recipient's random number depends on it.
	PricePerPixel *big.Rat
	Expiration    ExpirationParams
}

// EV is the expected value of one ticket made with p, in wei.
func (p *TicketParams) EV() *big.Rat { return ticketEV(p.FaceValue, p.WinProb) }

// Ticket is one lottery ticket: if it wins, the TicketBroker pays its face
// value from the sender's funds to the recipient.
type Ticket struct {
	Recipient         common.Address
	Sender            common.Address
	FaceValue         *big.Int
	WinProb           *big.Int
	SenderNonce       uint32
	RecipientRandHash common.Hash
	ExpirationParams
	// ParamsExpirationBlock and PricePerPixel are not part of the hash;
	// the recipient needs them to recompute its random number.
	ParamsExpirationBlock *big.Int
	PricePerPixel         *big.Rat
}

// NewTicket returns the ticket sender makes with p and nonce.
func NewTicket(p *TicketParams, sender common.Address, nonce uint32) *Ticket {
	return &Ticket{
		Recipient:             p.Recipient,
		Sender:                sender,
		FaceValue:             p.FaceValue,
		WinProb:               p.WinProb,
		SenderNonce:           nonce,
		RecipientRandHash:     p.RecipientRandHash,
		ExpirationParams:      p.Expiration,
		ParamsExpirationBlock: p.ExpirationBlock,
		PricePerPixel:         p.PricePerPixel,
	}
}

// EV is the ticket's expected value in wei: face value × win probability.
func (t *Ticket) EV() *big.Rat { return ticketEV(t.FaceValue, t.WinProb) }

// Hash is the TicketBroker's getTicketHash: Keccak-256 of the fields packed
// as Solidity's abi.encodePacked packs them (addresses 20 bytes, integers 32,
// then the auxData).
func (t *Ticket) Hash() common.Hash {
	buf := make([]byte, 0, 20+20+32*4+64)
	buf = append(buf, t.Recipient.Bytes()...)
	buf = append(buf, t.Sender.Bytes()...)
	buf = append(buf, common.LeftPadBytes(t.FaceValue.Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(t.WinProb.Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(new(big.Int).SetUint64(uint64(t.SenderNonce)).Bytes(), 32)...)
	buf = append(buf, t.RecipientRandHash.Bytes()...)
	buf = append(buf, t.AuxData()...)
	return crypto.Keccak256Hash(buf)
}

// Wins reports whether the ticket signed with sig wins for recipientRand:
// Keccak-256(sig || recipientRand) < WinProb, as the TicketBroker decides.
func (t *Ticket) Wins(sig []byte, recipientRand *big.Int) bool {
	h := crypto.Keccak256(sig, common.LeftPadBytes(recipientRand.Bytes(), 32))
	return new(big.Int).SetBytes(h).Cmp(t.WinProb) < 0
}

func ticketEV(face, winProb *big.Int) *big.Rat {
	return new(big.Rat).Mul(new(big.Rat).SetInt(face), new(big.Rat).SetFrac(winProb, MaxWinProb))
}
