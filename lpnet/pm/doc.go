// Package pm implements Livepeer's probabilistic micropayments as
// go-livepeer's pm package and the TicketBroker contract define them: the
// ticket and its hash, the sender's signature over it, sender nonces, the
// number of tickets a fee needs, the recipient's ticket parameters and its
// validation of each ticket, with go-livepeer's error texts, so that a
// go-livepeer node on the other side accepts or refuses exactly what it
// would from another go-livepeer node.
//
// The package does no I/O: what it needs from the chain (a sender's
// deposit and reserve, the current round and block) comes through the
// Chain interface.
package pm
