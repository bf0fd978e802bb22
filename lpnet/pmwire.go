package lpnet

import (
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet/pm"
)

// PriceRat is a PriceInfo as wei per pixel. A nil price is nil; a price
// with no pixels per unit is go-livepeer's error.
func PriceRat(p *PriceInfo) (*big.Rat, error) {
	if p == nil {
		return nil, nil
	}
	if p.GetPixelsPerUnit() == 0 {
		return nil, errors.New("pixels per unit is 0")
	}
	return big.NewRat(p.GetPricePerUnit(), p.GetPixelsPerUnit()), nil
}

// wireTicketParams is p as sent in OrchestratorInfo.
func wireTicketParams(p *pm.TicketParams) *TicketParams {
	return &TicketParams{
		Recipient:         p.Recipient.Bytes(),
		FaceValue:         p.FaceValue.Bytes(),
		WinProb:           p.WinProb.Bytes(),
		RecipientRandHash: p.RecipientRandHash.Bytes(),
		Seed:              p.Seed.Bytes(),
		ExpirationBlock:   p.ExpirationBlock.Bytes(),
		ExpirationParams: &TicketExpirationParams{
			CreationRound:          p.Expiration.CreationRound,
			CreationRoundBlockHash: p.Expiration.CreationRoundBlockHash.Bytes(),
		},
	}
}

// pmTicketParams is w as a sender reads it from OrchestratorInfo.
func pmTicketParams(w *TicketParams, price *big.Rat) pm.TicketParams {
	return pm.TicketParams{
		Recipient:         common.BytesToAddress(w.GetRecipient()),
		FaceValue:         new(big.Int).SetBytes(w.GetFaceValue()),
		WinProb:           new(big.Int).SetBytes(w.GetWinProb()),
		RecipientRandHash: common.BytesToHash(w.GetRecipientRandHash()),
		Seed:              new(big.Int).SetBytes(w.GetSeed()),
		ExpirationBlock:   new(big.Int).SetBytes(w.GetExpirationBlock()),
		PricePerPixel:     price,
		Expiration: pm.ExpirationParams{
			CreationRound:          w.GetExpirationParams().GetCreationRound(),
			CreationRoundBlockHash: common.BytesToHash(w.GetExpirationParams().GetCreationRoundBlockHash()),
		},
	}
}

// wirePayment is the Payment header of batch at price.
func wirePayment(b *pm.TicketBatch, price *PriceInfo) *Payment {
	p := &Payment{
		Sender:        b.Sender.Bytes(),
		ExpectedPrice: price,
		TicketParams:  wireTicketParams(&b.Params),
		ExpirationParams: &TicketExpirationParams{
			CreationRound:          b.Expiration.CreationRound,
			CreationRoundBlockHash: b.Expiration.CreationRoundBlockHash.Bytes(),
		},
	}
	// go-livepeer's broadcaster leaves the params' own expiration out of
	// a payment: it travels in the payment's.
	p.TicketParams.ExpirationParams = nil
	for _, sp := range b.SenderParams {
		p.TicketSenderParams = append(p.TicketSenderParams, &TicketSenderParams{SenderNonce: sp.Nonce, Sig: sp.Sig})
	}
	return p
}
