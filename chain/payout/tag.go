package payout

import (
	"crypto/sha256"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// PayoutTag is the 32 bytes that mark, on chain, the transactions paying one
// distribution: SHA-256 of the program, the round and the distribution's id.
// Contracts ignore calldata past their arguments, so the tag rides along at
// the end of every transfer and batch without changing what they do.
func PayoutTag(program string, round int, distributionID string) []byte {
	sum := sha256.Sum256(fmt.Appendf(nil, "podium payout\x00%s\x00%d\x00%s", program, round, distributionID))
	return sum[:]
}

// tagged returns calldata with the plan's tag appended.
func tagged(data []byte, tag string) []byte {
	return append(data, common.FromHex(tag)...)
}
