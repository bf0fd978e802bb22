package pm

import (
	"math"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestTicket_Hash checks the hash against values the TicketBroker
// contract's getTicketHash returned (published with go-livepeer's tests).
func TestTicket_Hash(t *testing.T) {
	zero := func() *Ticket {
		return &Ticket{FaceValue: big.NewInt(0), WinProb: big.NewInt(0)}
	}
	for _, tc := range []struct {
		name string
		edit func(*Ticket)
		want string
	}{
		{"MaxNonce", func(t *Ticket) { t.SenderNonce = math.MaxUint32 }, "e1393fc7f6de093780674022f96cb8e3872235167d037c04d554e58c0e63d280"},
		{"Nonce1", func(t *Ticket) { t.SenderNonce = 1 }, "ce0918ba94518293e9712effbe5fca4f1f431089833a5b8c257cb1e024595f68"},
		{"WinProb500", func(t *Ticket) { t.FaceValue, t.WinProb = big.NewInt(1), big.NewInt(500) }, "87ef13f2d37e4d5352a01d3c77b8179d80e0887f1953bfabfd0bfd7b0f689ddd"},
		{"Face500", func(t *Ticket) { t.FaceValue, t.WinProb = big.NewInt(500), big.NewInt(1) }, "aa4b35071043587992ac8b9dd1b2cf1d8311130e6458cf0b2342484e21af5f5b"},
		{"Recipient", func(t *Ticket) { t.Recipient = common.HexToAddress("73AEd7b5dEb30222fa896f399d46cC99c7BEe57F") }, "81e353ae39046e2b77b9f996abbaeed527fda559b61ef90f299c4499dd508ccc"},
		{"RandHash", func(t *Ticket) {
			t.RecipientRandHash = common.HexToHash("41b1a0649752af1b28b3dc29a1556eee781e4a4c3a1f7f53f90fa834de098c4d")
		}, "be5eaf9a49a39540b9bb02f1a21904f61324a29819e2c032824bfaa10c100b17"},
		{"AuxData", func(t *Ticket) {
			t.CreationRound = 10
			t.CreationRoundBlockHash = common.HexToHash("41b1a0649752af1b28b3dc29a1556eee781e4a4c3a1f7f53f90fa834de098c4d")
		}, "e502907c16036ab3d11b78c5a2e93c20f3d6415c67f91de4ed01348182b3b2e2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := zero()
			tc.edit(tk)
			if got := tk.Hash(); got != common.HexToHash(tc.want) {
				t.Errorf("hash = %x, want %s", got, tc.want)
			}
		})
	}
}

func TestExpirationParams_AuxData(t *testing.T) {
	h := common.HexToHash("7624778dedc75f8b322b9fa1632a610d40b85e106c7d9bf0e743a9ce291b9c6f")
	for _, tc := range []struct {
		e    ExpirationParams
		want string
	}{
		{ExpirationParams{}, ""},
		{ExpirationParams{CreationRound: 5}, "0000000000000000000000000000000000000000000000000000000000000005" + "0000000000000000000000000000000000000000000000000000000000000000"},
		{ExpirationParams{CreationRoundBlockHash: h}, "0000000000000000000000000000000000000000000000000000000000000000" + h.Hex()[2:]},
		{ExpirationParams{CreationRound: 5, CreationRoundBlockHash: h}, "0000000000000000000000000000000000000000000000000000000000000005" + h.Hex()[2:]},
	} {
		if got := common.Bytes2Hex(tc.e.AuxData()); got != tc.want {
			t.Errorf("AuxData(%+v) = %s, want %s", tc.e, got, tc.want)
		}
	}
}

func TestTicket_EV(t *testing.T) {
	half := new(big.Int).Div(MaxWinProb, big.NewInt(2))
	for _, tc := range []struct {
		face, winProb *big.Int
		want          string
	}{
		{big.NewInt(1000), half, "500"},
		{big.NewInt(1000), big.NewInt(0), "0"},
		{big.NewInt(1000), MaxWinProb, "1000"},
		{big.NewInt(0), big.NewInt(999), "0"},
	} {
		tk := &Ticket{FaceValue: tc.face, WinProb: tc.winProb}
		if got := tk.EV().FloatString(0); got != tc.want {
			t.Errorf("EV(%v, %v) = %s, want %s", tc.face, tc.winProb, got, tc.want)
		}
	}
}
