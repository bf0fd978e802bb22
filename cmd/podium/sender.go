package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
)

// senderFlags are the flags every `podium sender` subcommand shares.
type senderFlags struct {
	rpc, controller, keystore, passFile, journal string
	dryRun                                       bool
}

func (f *senderFlags) register(cmd *cobra.Command, writes bool) {
	fs := cmd.Flags()
	fs.StringVar(&f.rpc, "rpc", "", "JSON-RPC URL of the TicketBroker's chain")
	fs.StringVar(&f.controller, "controller", "", "the Controller that names the TicketBroker (default: Arbitrum One's)")
	fs.StringVar(&f.keystore, "keystore", "", "the sender's encrypted keystore (the prober's --sender-keystore)")
	if writes {
		fs.StringVar(&f.passFile, "passphrase-file", "", "file holding the keystore's passphrase")
		fs.StringVar(&f.journal, "journal", "podium-sender.journal", "file each sent transaction is appended to (JSON lines)")
		fs.BoolVar(&f.dryRun, "dry-run", false, "check with the contract and print what would be sent; sign and send nothing")
	}
	required(cmd, "rpc", "keystore")
}

func (m *Main) newSenderCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sender",
		Short: "Fund and inspect the prober's ticket sender on the TicketBroker",
		Long: `A paying prober (podium probe --pay-rpc) signs tickets that the TicketBroker pays
from its sender's deposit, then its reserve. sender status shows them; fund adds to them;
unlock starts the unlock period after which withdraw returns them.`,
	}
	cmd.AddCommand(m.newSenderStatusCmd(),
		m.newSenderTxCmd("fund", "Add to the sender's deposit and reserve", "fundDepositAndReserve"),
		m.newSenderTxCmd("unlock", "Start the unlock period of the sender's funds", "unlock"),
		m.newSenderTxCmd("cancel-unlock", "Cancel an unlock in progress", "cancelUnlock"),
		m.newSenderTxCmd("withdraw", "Withdraw the unlocked deposit and reserve", "withdraw"))
	return cmd
}

// broker dials the chain and finds the TicketBroker.
func (f *senderFlags) broker(ctx context.Context) (*chain.TicketBroker, common.Address, error) {
	addr, err := chain.KeystoreAddress(f.keystore)
	if err != nil {
		return nil, common.Address{}, podium.Errorf(podium.EINVALID, "--keystore: %w", err)
	}
	var controller common.Address
	if f.controller != "" {
		if controller, err = addressFlag("--controller", f.controller); err != nil {
			return nil, common.Address{}, err
		}
	}
	client, err := chain.Dial(ctx, f.rpc, 0)
	if err != nil {
		return nil, common.Address{}, err
	}
	tb, err := chain.ResolveTicketBroker(ctx, client, controller)
	if err != nil {
		client.Close()
		return nil, common.Address{}, err
	}
	return tb, addr, nil
}

func (m *Main) printSender(tb *chain.TicketBroker, addr common.Address) error {
	info, err := tb.SenderInfo(addr)
	if err != nil {
		return err
	}
	st, err := tb.State()
	if err != nil {
		return err
	}
	unlock := "locked"
	if info.Withdrawable(st.Round) {
		unlock = "unlocked: withdraw now"
	} else if info.Unlocking() {
		unlock = fmt.Sprintf("unlocking: withdraw from round %d", info.WithdrawRound)
	}
	fmt.Fprintf(m.Stdout, "sender %s\ndeposit %s wei\nreserve %s wei (claimed this round %s)\nround %d, %s\n",
		addr.Hex(), info.Deposit, info.Reserve.FundsRemaining, info.Reserve.ClaimedInCurrentRound, st.Round, unlock)
	return nil
}

// senderEntry is one line of the sender journal.
type senderEntry struct {
	Time   string `json:"time"`
	Action string `json:"action"`
	Sender string `json:"sender"`
	Value  string `json:"value_wei"`
	Tx     string `json:"tx"`
	Block  uint64 `json:"block"`
}

func appendJournal(path string, e senderEntry) error {
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	b, _ := json.Marshal(e)
	if _, err := fh.Write(append(b, '\n')); err != nil {
		fh.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		return fmt.Errorf("journal: %w", err)
	}
	return fh.Close()
}

// weiFlag reads a whole number of wei.
func weiFlag(name, s string) (*big.Int, error) {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok || v.Sign() < 0 {
		return nil, podium.FieldError(name, "%q: want a whole number of wei", s)
	}
	return v, nil
}
