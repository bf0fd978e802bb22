package lpnet

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// defaultFaceValue is the ticket face value advertised when work has a
// price: 0.001 ETH in wei.
var defaultFaceValue = big.NewInt(1_000_000_000_000_000)

// ticketParams returns the ticket parameters an orchestrator advertises to
// sender. Like go-livepeer's recipient it commits to a random number derived
// from a fresh seed and its secret (recipientRandHash = keccak256 of the
// 32-byte number) so that it could later redeem winning tickets. A free
// orchestrator advertises a zero face value and win probability.
func ticketParams(secret []byte, recipient, sender common.Address, price *PriceInfo) *TicketParams {
	seed := make([]byte, 32)
	_, _ = rand.Read(seed)
	face, winProb := new(big.Int), new(big.Int)
	if price.GetPricePerUnit() > 0 {
		face.Set(defaultFaceValue)
		// One ticket in 1000 wins.
		winProb.Div(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1000))
	}
	m := hmac.New(sha256.New, secret)
	m.Write(seed)
	m.Write(sender.Bytes())
	m.Write(face.Bytes())
	m.Write(winProb.Bytes())
	rnd := m.Sum(nil)
	return &TicketParams{
		Recipient:         recipient.Bytes(),
		FaceValue:         face.Bytes(),
		WinProb:           winProb.Bytes(),
		RecipientRandHash: crypto.Keccak256(common.LeftPadBytes(rnd, 32)),
		Seed:              seed,
		ExpirationBlock:   big.NewInt(0).Bytes(),
	}
}
