// Package lpnet speaks Livepeer's orchestrator protocol: the gRPC
// GetOrchestrator call on an orchestrator's service URI and the
// POST {transcoder}/segment exchange that follows it, both from the sender's
// side (Client) and from the orchestrator's side (Server).
//
// The messages come from lp_rpc.proto, a subset of go-livepeer's
// net/lp_rpc.proto with the same field numbers, so the bytes on the wire are
// the ones real orchestrators and broadcasters exchange. Signatures follow
// go-livepeer too: an Ethereum personal-message signature over the
// Keccak-256 hash of the message (see Signer).
package lpnet
