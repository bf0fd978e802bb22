package lpnet

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	"github.com/podiumhq/podium/lpnet/pm"
)

var oneETH = big.NewInt(1_000_000_000_000_000_000)

// paidWorld is a paid server on a ledger and a client whose key the ledger
// funds.
type paidWorld struct {
	ledger *pm.Ledger
	server *Server
	client *Client
	wins   chan WinningTicket
}

func startPaid(t *testing.T, edit ...func(*pm.Recipient)) *paidWorld {
	t.Helper()
	orch := NewSigner(KeyFromSeed(100))
	l := pm.NewLedger(orch.Address())
	r := &pm.Recipient{Addr: orch.Address(), Chain: l,
		Config: pm.RecipientConfig{EV: big.NewInt(8_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100},
		Rand:   bytes.NewReader(bytes.Repeat([]byte("seed"), 8*1000))}
	copy(r.Secret[:], "lpnet payment tests' secret.....")
	for _, e := range edit {
		e(r)
	}
	w := &paidWorld{ledger: l, wins: make(chan WinningTicket, 100)}
	w.server, _ = startServer(t, time.Now, func(s *Server) {
		s.Payee = &Payee{Recipient: r, Won: func(wt WinningTicket) { w.wins <- wt }}
	})
	signer := NewSigner(KeyFromSeed(1))
	l.Fund(signer.Address(), oneETH, oneETH)
	w.client = NewClient(signer)
	w.client.Payer = NewPayer(signer, l)
	return w
}

func paidSegment(t *testing.T, seq int64) Segment {
	t.Helper()
	profiles, err := LookupProfiles([]string{"P240p30fps16x9", "P360p30fps16x9"})
	if err != nil {
		t.Fatal(err)
	}
	return Segment{ManifestID: "paid", Seq: seq, Data: []byte("segment data"), Duration: 2 * time.Second, Profiles: profiles}
}

func TestPayee_OK(t *testing.T) {
	w := startPaid(t)
	info, err := w.client.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	tp := info.GetTicketParams()
	st, _ := w.ledger.State()
	if exp := new(big.Int).SetBytes(tp.GetExpirationBlock()); exp.Cmp(new(big.Int).Add(st.L1Block, big.NewInt(40))) != 0 {
		t.Errorf("expiration block %v, want block %v + 40", exp, st.L1Block)
	}
	if e := tp.GetExpirationParams(); e.GetCreationRound() != st.Round || !bytes.Equal(e.GetCreationRoundBlockHash(), st.RoundBlockHash.Bytes()) {
		t.Errorf("expiration params %v, want round %d", e, st.Round)
	}
	// 240p and 360p at 30 fps for 2 s: 19,958,400 pixels; × 1.02 × 1200
	// wei = 24.43 gwei, over 3 tickets of 8 gwei: 4 tickets. The credit
	// left after the first segment pays for the next two.
	var sent []int
	ev := new(big.Rat)
	for seq := range int64(3) {
		res, err := w.client.Transcode(testContext(t), info, paidSegment(t, seq))
		if err != nil {
			t.Fatalf("segment %d: %v", seq, err)
		}
		sent = append(sent, res.Cost.Tickets)
		ev.Add(ev, res.Cost.EV)
	}
	if sent[0] != 4 || sent[1] != 0 || sent[2] != 0 {
		t.Errorf("tickets per segment %v, want [4 0 0]", sent)
	}
	if c := w.client.Payer.SessionCost(info); c.Tickets != 4 || c.EV.Cmp(ev) != 0 {
		t.Errorf("session cost %d tickets, EV %s; want 4, %s", c.Tickets, c.EV.FloatString(0), ev.FloatString(0))
	}
	// The server credited the tickets and debited 3 segments of
	// 426×240 + 640×360 pixels (the echo backend's count) at 1200 wei.
	sender := w.client.Signer.Address()
	want := new(big.Rat).Sub(ev, big.NewRat(3*(426*240+640*360)*1200, 1))
	if got := w.server.Payee.Balances.Balance(sender, info.GetAuthToken().GetSessionId()); got.Cmp(want) != 0 {
		t.Errorf("balance %s, want %s", got.FloatString(3), want.FloatString(3))
	}
}

// postPayment posts one segment with payment as the Livepeer-Payment header
// and returns the status and body.
func postPayment(t *testing.T, c *Client, info *OrchestratorInfo, seg Segment, payment *Payment) (int, string) {
	t.Helper()
	sd, err := NewSegData(c.Signer, seg.ManifestID, seg.Seq, seg.Data, seg.Duration, seg.Profiles, info.GetAuthToken())
	if err != nil {
		t.Fatal(err)
	}
	segHeader, _ := EncodeHeader(sd)
	payHeader, _ := EncodeHeader(payment)
	req, _ := http.NewRequestWithContext(testContext(t), http.MethodPost, info.GetTranscoder()+"/segment", bytes.NewReader(seg.Data))
	req.Header.Set(SegmentHeader, segHeader)
	req.Header.Set(PaymentHeader, payHeader)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestPayee_Err(t *testing.T) {
	other := NewSigner(KeyFromSeed(7))
	for _, tc := range []struct {
		name string
		edit func(w *paidWorld, p *Payment)
		want string
	}{
		{"ErrUnpaid", func(_ *paidWorld, p *Payment) {
			p.TicketParams, p.TicketSenderParams, p.ExpirationParams = nil, nil, nil
		}, "Insufficient balance"},
		{"ErrUnpaidClaimsFree", func(_ *paidWorld, p *Payment) {
			p.TicketParams, p.TicketSenderParams, p.ExpirationParams = nil, nil, nil
			p.ExpectedPrice = &PriceInfo{PricePerUnit: 0, PixelsPerUnit: 1}
		}, "Insufficient balance"},
		{"ErrForgedSignature", func(_ *paidWorld, p *Payment) {
			for _, sp := range p.TicketSenderParams {
				sp.Sig, _ = other.SignText(common.Hash{}.Bytes())
			}
		}, "invalid ticket signature"},
		{"ErrWrongRecipient", func(_ *paidWorld, p *Payment) {
			p.TicketParams.Recipient = other.Address().Bytes()
		}, "invalid ticket recipient"},
		{"ErrWrongRecipientRandHash", func(_ *paidWorld, p *Payment) {
			p.TicketParams.RecipientRandHash[0] ^= 1
		}, "invalid recipientRand for ticket recipientRandHash"},
		{"ErrLowerExpectedPrice", func(_ *paidWorld, p *Payment) {
			p.ExpectedPrice = &PriceInfo{PricePerUnit: 1, PixelsPerUnit: 1}
		}, "invalid recipientRand for ticket recipientRandHash"},
		{"ErrNoExpectedPrice", func(_ *paidWorld, p *Payment) {
			p.ExpectedPrice = nil
		}, `invalid expected price sent with payment err="expected price is nil"`},
		{"ErrExpired", func(w *paidWorld, _ *Payment) {
			w.ledger.Mine(40)
		}, "TicketParams expired"},
		{"ErrUnlocking", func(w *paidWorld, _ *Payment) {
			_ = w.ledger.Unlock(NewSigner(KeyFromSeed(1)).Address())
			w.ledger.NewRound()
		}, "deposit and reserve for sender " + NewSigner(KeyFromSeed(1)).Address().Hex() + " is set to unlock soon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := startPaid(t)
			info, err := w.client.GetOrchestrator(testContext(t), w.server.ServiceURI)
			if err != nil {
				t.Fatal(err)
			}
			seg := paidSegment(t, 0)
			pay, err := w.client.Payer.pay(info, estimatePixels(seg.Profiles, 2))
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(w, pay.wire)
			status, body := postPayment(t, w.client, info, seg, pay.wire)
			if status != http.StatusBadRequest || body != tc.want {
				t.Fatalf("answer %d %q, want 400 %q", status, body, tc.want)
			}
		})
	}
}

func TestPayee_ErrReused(t *testing.T) {
	w := startPaid(t)
	info, err := w.client.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	seg := paidSegment(t, 0)
	pay, err := w.client.Payer.pay(info, estimatePixels(seg.Profiles, 2))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := postPayment(t, w.client, info, seg, pay.wire); status != http.StatusOK {
		t.Fatalf("first: %d %s", status, body)
	}
	seg.Seq = 1
	status, body := postPayment(t, w.client, info, seg, proto.Clone(pay.wire).(*Payment))
	want := "invalid ticket senderNonce: already seen sender=" + w.client.Signer.Address().Hex() + " nonce=1"
	if status != http.StatusBadRequest || body != want {
		t.Fatalf("replay: %d %q, want 400 %q", status, body, want)
	}
}

func TestPayee_ErrUnfundedSender(t *testing.T) {
	w := startPaid(t)
	poor := NewClient(NewSigner(KeyFromSeed(8)))
	_, err := poor.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err == nil || !strings.Contains(err.Error(), "insufficient sender reserve") {
		t.Fatalf("err = %v, want insufficient sender reserve", err)
	}
	// Its own check stops a sender with a reserve but no deposit before
	// it signs anything.
	w.ledger.Fund(poor.Signer.Address(), new(big.Int), oneETH)
	info, err := poor.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	poor.Payer = NewPayer(poor.Signer, w.ledger)
	_, err = poor.Transcode(testContext(t), info, paidSegment(t, 0))
	if ErrorCode(err) != CodePayment || !strings.Contains(err.Error(), "no sender deposit") {
		t.Fatalf("err = %v (code %q), want %s: no sender deposit", err, ErrorCode(err), CodePayment)
	}
}

func TestPayer_ErrPriceOverCap(t *testing.T) {
	w := startPaid(t)
	w.client.Payer.MaxPrice = big.NewRat(1000, 1)
	info, err := w.client.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.client.Transcode(testContext(t), info, paidSegment(t, 0))
	if ErrorCode(err) != CodePriceOverCap {
		t.Fatalf("err = %v, want code %s", err, CodePriceOverCap)
	}
}

func TestPayee_Winners(t *testing.T) {
	// EV 1 gwei and a face value of 2: a segment's 25 tickets each win
	// with probability ½.
	w := startPaid(t, func(r *pm.Recipient) {
		r.Config.EV = big.NewInt(1_000_000_000)
		r.Config.MaxFaceValue = big.NewInt(2_000_000_000)
	})
	info, err := w.client.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	tickets := 0
	for seq := range int64(2) {
		res, err := w.client.Transcode(testContext(t), info, paidSegment(t, seq))
		if err != nil {
			t.Fatal(err)
		}
		tickets += res.Cost.Tickets
		info = res.Info
	}
	// Winners are handed over in goroutines: take them until none has
	// come for a while.
	paid := new(big.Int)
	for done := false; !done; {
		select {
		case wt := <-w.wins:
			got, err := w.ledger.Redeem(wt.Ticket, wt.Sig, wt.RecipientRand)
			if err != nil {
				t.Fatalf("redeem: %v", err)
			}
			paid.Add(paid, got)
		case <-time.After(300 * time.Millisecond):
			done = true
		}
	}
	if paid.Sign() == 0 || paid.Cmp(w.ledger.Paid(w.server.Signer.Address())) != 0 {
		t.Fatalf("%d tickets, redeemed %v wei; ledger paid %v", tickets, paid, w.ledger.Paid(w.server.Signer.Address()))
	}
}

func TestPayer_CheckFunds(t *testing.T) {
	w := startPaid(t)
	seg := paidSegment(t, 0)
	// 10 orchestrators × 15 segments × 24.43 gwei.
	need := CycleCost(10, 15, seg.Profiles, 2, big.NewRat(1200, 1))
	want := new(big.Rat).Mul(big.NewRat(10*15*19_958_400*1200, 1), new(big.Rat).SetFloat64(1.02))
	if d := new(big.Rat).Sub(new(big.Rat).SetInt(need), want); d.Sign() < 0 || d.Cmp(big.NewRat(1, 1)) >= 0 {
		t.Fatalf("cycle cost %v, want %s rounded up", need, want.FloatString(3))
	}
	if err := w.client.Payer.CheckFunds(need); err != nil {
		t.Fatal(err)
	}
	var fe *FundsError
	err := w.client.Payer.CheckFunds(new(big.Int).Mul(oneETH, big.NewInt(2)))
	if !errors.As(err, &fe) || fe.Need.Cmp(new(big.Int).Mul(oneETH, big.NewInt(2))) != 0 || !strings.Contains(err.Error(), "at least 2000000000000000000 wei") {
		t.Fatalf("err = %v, want a FundsError naming 2 ETH", err)
	}
	poor := NewPayer(NewSigner(KeyFromSeed(9)), w.ledger)
	if err := poor.CheckFunds(need); !errors.As(err, &fe) || !strings.Contains(err.Error(), "no sender reserve") {
		t.Fatalf("unfunded: %v", err)
	}
}
