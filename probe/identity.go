package probe

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet"
)

// Identity is how an orchestrator tied itself to the registry address it
// was tested as. go-livepeer's OrchestratorInfo names the key that signs
// results (address) and the account tickets pay (ticket recipient). A node
// whose key is the registered address is the orchestrator itself; a node run
// with -ethOrchAddr signs with a key of its own and names the registered
// address as recipient. Those are the only two links go-livepeer makes, so
// they are the only two accepted, and every result must then be signed by
// that key.
type Identity struct {
	// Registered is the registry address the test scores, lowercase hex.
	Registered string
	// Signer is the key the orchestrator's results must be signed by,
	// lowercase hex.
	Signer string
	// Delegated is true when Signer is not Registered and the link is the
	// ticket recipient alone (-ethOrchAddr).
	Delegated bool
}

// BindIdentity checks that info links its signing key to registered, and
// returns the binding. A failure is an IdentityMismatch saying what the
// orchestrator claimed and what was expected.
func BindIdentity(registered string, info *lpnet.OrchestratorInfo) (Identity, error) {
	if !common.IsHexAddress(registered) {
		return Identity{}, Errorc(CodeIdentityMismatch, fmt.Errorf("registry address %q is not an Ethereum address; fix the registry entry", registered))
	}
	want := common.HexToAddress(registered)
	signer, err := infoAddress("address", info.GetAddress())
	if err != nil {
		return Identity{}, err
	}
	recipient, err := infoAddress("ticket recipient", info.GetTicketParams().GetRecipient())
	if err != nil {
		return Identity{}, err
	}
	if signer == (common.Address{}) {
		// go-livepeer's verifier checks results against the recipient
		// when the address is absent.
		signer = recipient
	}
	id := Identity{Registered: hexAddr(want), Signer: hexAddr(signer)}
	switch {
	case signer == (common.Address{}):
		return Identity{}, Errorc(CodeIdentityMismatch, fmt.Errorf("orchestrator names neither a signing address nor a ticket recipient; registered address is %s", id.Registered))
	case signer == want:
		return id, nil
	case recipient == want:
		id.Delegated = true
		return id, nil
	}
	return Identity{}, Errorc(CodeIdentityMismatch, fmt.Errorf("orchestrator signs as %s with ticket recipient %s; registered address is %s, so it must be one of them",
		id.Signer, describeAddr(recipient), id.Registered))
}

// infoAddress reads an address field of OrchestratorInfo: empty or 20 bytes.
func infoAddress(field string, b []byte) (common.Address, error) {
	switch len(b) {
	case 0:
		return common.Address{}, nil
	case common.AddressLength:
		return common.BytesToAddress(b), nil
	}
	return common.Address{}, Errorc(CodeIdentityMismatch, fmt.Errorf("OrchestratorInfo %s is %d bytes, want %d", field, len(b), common.AddressLength))
}

// CheckResultSig checks that res is signed by the key id binds: the proof
// that the node holding that key produced these very renditions, which are
// unique to this test.
func CheckResultSig(id Identity, res *lpnet.Result) error {
	got, err := res.Signer()
	if err != nil {
		return Errorc(CodeBadSignature, fmt.Errorf("segment %d: %w; want a signature by %s", res.Seq, err, id.Signer))
	}
	if hexAddr(got) != id.Signer {
		return Errorc(CodeBadSignature, fmt.Errorf("segment %d: renditions signed by %s, want %s (the key bound to registered %s)", res.Seq, hexAddr(got), id.Signer, id.Registered))
	}
	return nil
}

// IdentityCode reports whether code says the orchestrator failed to prove
// it is the registered address: such a test earns nothing.
func IdentityCode(code string) bool {
	return code == CodeIdentityMismatch || code == CodeBadSignature
}

// identityFailure returns the first identity failure among outcomes.
func identityFailure(outcomes []Outcome) error {
	for _, o := range outcomes {
		if IdentityCode(Classify(o.Err)) {
			return o.Err
		}
	}
	return nil
}

// disown makes every outcome fail with err and count no verified rendition:
// a test whose orchestrator did not prove who it is earns nothing, whatever
// came back. Verification failures stay: they are evidence either way.
func disown(outcomes []Outcome, err error) {
	for i := range outcomes {
		outcomes[i].Err = err
		outcomes[i].Verified = 0
	}
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

func describeAddr(a common.Address) string {
	if a == (common.Address{}) {
		return "(none)"
	}
	return hexAddr(a)
}
