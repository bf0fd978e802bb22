package devchain_test

import (
	"bytes"
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
	"github.com/podiumhq/podium/chain/devchain"
	"github.com/podiumhq/podium/lpnet/pm"
)

// TestTicketBroker runs go-livepeer's payment cycle against the Solidity
// TicketBroker on a dev chain: fund, issue and sign a ticket, redeem it,
// and the contract's refusals.
func TestTicketBroker(t *testing.T) {
	ctx := context.Background()
	orchKey, _ := crypto.ToECDSA(crypto.Keccak256([]byte("ticket test orchestrator")))
	senderKey, _ := crypto.ToECDSA(crypto.Keccak256([]byte("ticket test sender")))
	orch, sender := crypto.PubkeyToAddress(orchKey.PublicKey), crypto.PubkeyToAddress(senderKey.PublicKey)
	c, err := devchain.Start(ctx, devchain.Config{Listen: "127.0.0.1:0", Dir: t.TempDir(),
		Orchestrators: []podium.Orchestrator{{Address: strings.ToLower(orch.Hex()), ServiceURI: "https://127.0.0.1:1", Active: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	eth := big.NewInt(1e18)
	for _, a := range []common.Address{orch, sender} {
		if err := c.Fund(ctx, a, new(big.Int).Mul(eth, big.NewInt(3)), nil); err != nil {
			t.Fatal(err)
		}
	}
	tb := &chain.TicketBroker{Client: c.Client(), Broker: c.TicketBroker, Rounds: c.RoundsManager, Bonding: c.BondingManager}
	if _, err := tb.FundDepositAndReserve(ctx, senderKey, eth, eth); err != nil {
		t.Fatal(err)
	}
	info, err := tb.SenderInfo(sender)
	if err != nil || info.Deposit.Cmp(eth) != 0 || info.Reserve.FundsRemaining.Cmp(eth) != 0 || info.WithdrawRound.Sign() != 0 {
		t.Fatalf("sender info %+v, %v", info, err)
	}
	st, err := tb.State()
	if err != nil || st.Round == 0 || st.RoundBlockHash == (common.Hash{}) || st.PoolSize != 1 {
		t.Fatalf("state %+v, %v", st, err)
	}

	// A ticket of face value = EV always wins; go-livepeer's sender would
	// not make it, so the test signs it itself.
	r := &pm.Recipient{Addr: orch, Chain: tb, Config: pm.RecipientConfig{EV: big.NewInt(8e9), MaxFaceValue: big.NewInt(8e9), TxCostMultiplier: 100}}
	copy(r.Secret[:], "devchain ticket test secret.....")
	p, err := r.TicketParams(sender, big.NewRat(1200, 1))
	if err != nil {
		t.Fatal(err)
	}
	tk := pm.NewTicket(p, sender, 1)
	sig, _ := pm.SignText(senderKey, tk.Hash().Bytes())
	won, err := r.ReceiveTicket(tk, sig, p.Seed)
	if err != nil || !won {
		t.Fatalf("won %v, %v", won, err)
	}

	// The contract hashes the ticket as pm does.
	var onChain [32]byte
	data, _ := contracts.ABI(contracts.TicketBroker).Pack("getTicketHash", struct {
		Recipient, Sender               common.Address
		FaceValue, WinProb, SenderNonce *big.Int
		RecipientRandHash               [32]byte
		AuxData                         []byte
	}{tk.Recipient, tk.Sender, tk.FaceValue, tk.WinProb, big.NewInt(1), tk.RecipientRandHash, tk.AuxData()})
	ret, err := c.Client().CallContract(ctx, ethCall(c.TicketBroker, data), nil)
	if err != nil {
		t.Fatal(err)
	}
	copy(onChain[:], ret)
	if !bytes.Equal(onChain[:], tk.Hash().Bytes()) {
		t.Fatalf("contract hash %x, pm hash %x", onChain, tk.Hash())
	}

	rnd := r.RecipientRand(tk, p.Seed)
	forged, _ := pm.SignText(orchKey, tk.Hash().Bytes())
	if _, err := tb.RedeemWinningTicket(ctx, orchKey, tk, forged, rnd); err == nil || !strings.Contains(err.Error(), "invalid signature over ticket hash") {
		t.Fatalf("forged: %v", err)
	}
	if _, err := tb.RedeemWinningTicket(ctx, orchKey, tk, sig, new(big.Int).Add(rnd, big.NewInt(1))); err == nil || !strings.Contains(err.Error(), "recipientRand does not match recipientRandHash") {
		t.Fatalf("wrong rand: %v", err)
	}
	before, _ := c.Client().BalanceAt(ctx, c.TicketBroker, nil)
	paid, err := tb.RedeemWinningTicket(ctx, orchKey, tk, sig, rnd)
	if err != nil || paid.Cmp(tk.FaceValue) != 0 {
		t.Fatalf("redeem: paid %v, %v; want %v", paid, err, tk.FaceValue)
	}
	after, _ := c.Client().BalanceAt(ctx, c.TicketBroker, nil)
	if new(big.Int).Sub(before, after).Cmp(tk.FaceValue) != 0 {
		t.Errorf("broker balance %v -> %v: want the face value paid out", before, after)
	}
	if info, _ := tb.SenderInfo(sender); info.Deposit.Cmp(new(big.Int).Sub(eth, tk.FaceValue)) != 0 {
		t.Errorf("deposit %v after redemption", info.Deposit)
	}
	if _, err := tb.RedeemWinningTicket(ctx, orchKey, tk, sig, rnd); err == nil || !strings.Contains(err.Error(), "ticket is used") {
		t.Fatalf("second redemption: %v", err)
	}

	if _, err := tb.Unlock(ctx, senderKey); err != nil {
		t.Fatal(err)
	}
	if info, _ := tb.SenderInfo(sender); info.WithdrawRound.Int64() != st.Round+2 {
		t.Errorf("withdraw round %v, want %d", info.WithdrawRound, st.Round+2)
	}
	if _, err := tb.Withdraw(ctx, senderKey); err == nil || !strings.Contains(err.Error(), "account is locked") {
		t.Fatalf("withdraw while locked: %v", err)
	}
}

func ethCall(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}
