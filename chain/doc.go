// Package chain talks to Ethereum-compatible chains for podium: it reads the
// Livepeer orchestrator registry (Controller → BondingManager pool →
// ServiceRegistry, batched through Multicall3, ENS reverse names) and holds the
// token and transaction helpers the payout and the dev chain share.
package chain
