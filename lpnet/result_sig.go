package lpnet

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// SignedBy reports whether Sig is addr's signature over the renditions as
// downloaded: Keccak-256 of each, concatenated, signed as go-livepeer's
// orchestrators sign their results. It is false when a rendition is missing.
func (r *Result) SignedBy(addr common.Address) bool {
	got, err := r.Signer()
	return err == nil && got == addr
}

// Signer returns the address whose key signed the renditions as downloaded,
// so that a mismatch can say who signed. It fails when a rendition is
// missing or the signature is malformed.
func (r *Result) Signer() (common.Address, error) {
	var hashes []byte
	for i, rd := range r.Renditions {
		if rd.Err != nil {
			return common.Address{}, fmt.Errorf("rendition %d missing: cannot check the result signature", i)
		}
		hashes = append(hashes, crypto.Keccak256(rd.Data)...)
	}
	addr, err := RecoverSigner(hashes, r.Sig)
	if err != nil {
		return common.Address{}, fmt.Errorf("result signature: %w", err)
	}
	return addr, nil
}
