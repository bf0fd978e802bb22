package node

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet"
)

// TestOrchestrator_Identity checks what a node claims to be against the key
// that signs its results: honest alone, honest for a registered address
// held elsewhere (-ethOrchAddr), and impersonating another. None is paid
// here; paid nodes name their recipient in real ticket parameters
// (tickets_test.go).
func TestOrchestrator_Identity(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	own := lpnet.NewSigner(lpnet.KeyFromSeed(42)).Address()
	other := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	for _, tt := range []struct {
		name               string
		o                  *Orchestrator
		address, recipient common.Address
	}{
		// Unpaid and on its own key, it names no recipient, as an
		// off-chain go-livepeer orchestrator sends no ticket parameters.
		{"own key", &Orchestrator{}, own, common.Address{}},
		{"delegated key", &Orchestrator{Recipient: other}, own, other},
		{"impersonate", &Orchestrator{Fault: Fault{Kind: FaultImpersonate, Address: other}}, other, other},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			uri := startOrchestrator(t, tt.o)
			res, err := transcode(t, uri, 0, segA, ladder(t, "P240p30fps16x9"))
			if err != nil {
				t.Fatal(err)
			}
			info := res.Info
			if got := common.BytesToAddress(info.GetAddress()); got != tt.address {
				t.Errorf("OrchestratorInfo.address = %s, want %s", got.Hex(), tt.address.Hex())
			}
			if got := common.BytesToAddress(info.GetTicketParams().GetRecipient()); got != tt.recipient {
				t.Errorf("ticket recipient = %s, want %s", got.Hex(), tt.recipient.Hex())
			}
			// Whatever it claims, the node can sign only with its own key.
			if signer, err := res.Signer(); err != nil || signer != own {
				t.Errorf("results signed by %s (%v), want the node's key %s", signer.Hex(), err, own.Hex())
			}
		})
	}
}
