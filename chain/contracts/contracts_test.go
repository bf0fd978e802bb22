package contracts_test

import (
	"testing"

	"github.com/podiumhq/podium/chain/contracts"
)

func TestABI_OK(t *testing.T) {
	for name, methods := range map[string][]string{
		contracts.TestLPT:           {"transfer", "transferFrom", "approve", "balanceOf", "allowance", "decimals", "mint"},
		contracts.BatchPay:          {"disperseToken"},
		contracts.Controller:        {"getContract", "setContract"},
		contracts.BondingManager:    {"getFirstTranscoderInPool", "getNextTranscoderInPool", "isActiveTranscoder", "transcoderStatus"},
		contracts.ServiceRegistry:   {"getServiceURI", "setServiceURI"},
		contracts.Multicall3:        {"aggregate3"},
		contracts.MerkleDistributor: {"claim", "isClaimed", "merkleRoot"},
		contracts.ENSRegistry:       {"resolver"},
		contracts.NameResolver:      {"name"},
		contracts.RoundsManager:     {"currentRound", "lastInitializedRound", "blockHashForRound", "initializeRound", "currentRoundInitialized"},
		contracts.TicketBroker: {"fundDeposit", "fundReserve", "fundDepositAndReserve", "getSenderInfo", "claimedReserve",
			"redeemWinningTicket", "unlock", "cancelUnlock", "withdraw", "usedTickets", "getTicketHash"},
	} {
		a := contracts.ABI(name)
		for _, m := range methods {
			if _, ok := a.Methods[m]; !ok {
				t.Errorf("%s: no method %s", name, m)
			}
		}
		if len(contracts.Bytecode(name)) == 0 {
			t.Errorf("%s: empty bytecode", name)
		}
	}
	if len(contracts.Runtime(contracts.Multicall3)) == 0 {
		t.Error("Multicall3: empty runtime code")
	}
}

// The signatures readers rely on must match Livepeer's ABI exactly.
func TestABI_Selectors(t *testing.T) {
	for _, tt := range []struct{ contract, method, sig string }{
		{contracts.Controller, "getContract", "getContract(bytes32)"},
		{contracts.BondingManager, "getNextTranscoderInPool", "getNextTranscoderInPool(address)"},
		{contracts.BondingManager, "transcoderStatus", "transcoderStatus(address)"},
		{contracts.ServiceRegistry, "getServiceURI", "getServiceURI(address)"},
		{contracts.BatchPay, "disperseToken", "disperseToken(address,address[],uint256[])"},
		{contracts.Multicall3, "aggregate3", "aggregate3((address,bool,bytes)[])"},
		// go-livepeer's TicketBroker bindings.
		{contracts.TicketBroker, "redeemWinningTicket", "redeemWinningTicket((address,address,uint256,uint256,uint256,bytes32,bytes),bytes,uint256)"},
		{contracts.TicketBroker, "getSenderInfo", "getSenderInfo(address)"},
		{contracts.TicketBroker, "fundDepositAndReserve", "fundDepositAndReserve(uint256,uint256)"},
		{contracts.TicketBroker, "claimedReserve", "claimedReserve(address,address)"},
		{contracts.RoundsManager, "blockHashForRound", "blockHashForRound(uint256)"},
	} {
		if got := contracts.ABI(tt.contract).Methods[tt.method].Sig; got != tt.sig {
			t.Errorf("%s.%s: signature %s, want %s", tt.contract, tt.method, got, tt.sig)
		}
	}
}
