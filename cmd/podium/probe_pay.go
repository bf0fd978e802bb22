package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/pflag"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
)

// payFlags are how a prober pays orchestrators with tickets: the chain of
// the TicketBroker, the sender's key (which also signs the prober's
// requests) and the price cap.
type payFlags struct {
	rpc, controller    string
	keystore, passFile string
	maxPrice           string
}

func (f *payFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.rpc, "pay-rpc", "", "pay priced orchestrators with tickets on the TicketBroker at this JSON-RPC URL")
	fs.StringVar(&f.controller, "pay-controller", "", "with --pay-rpc: the Controller that names the TicketBroker (default: Arbitrum One's)")
	fs.StringVar(&f.keystore, "sender-keystore", "", "with --pay-rpc: the ticket sender's encrypted keystore (its deposit and reserve pay)")
	fs.StringVar(&f.passFile, "sender-passphrase-file", "", "the file holding --sender-keystore's passphrase")
	fs.StringVar(&f.maxPrice, "max-price", "", "pay at most this per pixel, as WEI or WEI/PIXELS (the program's testing.max_price_per_pixel, when lower, wins); orchestrators asking more are recorded as price over cap")
}

// validate names the first bad payment flag.
func (f *payFlags) validate(key string) error {
	if f.rpc == "" {
		for _, x := range []struct{ name, v string }{{"--pay-controller", f.controller}, {"--sender-keystore", f.keystore}, {"--sender-passphrase-file", f.passFile}, {"--max-price", f.maxPrice}} {
			if x.v != "" {
				return podium.FieldError(x.name, "goes with --pay-rpc").WithHint("pass the JSON-RPC URL of the TicketBroker's chain with --pay-rpc")
			}
		}
		return nil
	}
	switch {
	case f.keystore == "" || f.passFile == "":
		return podium.FieldError("--sender-keystore", "--pay-rpc needs --sender-keystore and --sender-passphrase-file").
			WithHint("the sender's key signs tickets; fund it with `podium sender fund`")
	case key != "":
		return podium.FieldError("--key", "give --key or --sender-keystore, not both: a paying prober signs with its sender key")
	case f.controller != "" && !podium.IsAddress(f.controller):
		return podium.FieldError("--pay-controller", "%q is not a 0x address", f.controller)
	}
	if f.maxPrice != "" {
		if _, err := parsePriceFlag("--max-price", f.maxPrice); err != nil {
			return err
		}
	}
	return nil
}

// payment is a prober's paying setup.
type payment struct {
	key   *ecdsa.PrivateKey
	payer *lpnet.Payer
	close func()
}

// payment connects to the TicketBroker and loads the sender key; nil when
// the prober does not pay.
func (f *payFlags) payment(ctx context.Context) (*payment, error) {
	if f.rpc == "" {
		return nil, nil
	}
	key, err := chain.LoadKey(f.keystore, f.passFile)
	if err != nil {
		return nil, podium.Errorf(podium.EINVALID, "--sender-keystore: %w", err).WithHint("check --sender-passphrase-file")
	}
	client, err := chain.Dial(ctx, f.rpc, 0)
	if err != nil {
		return nil, err
	}
	var controller common.Address
	if f.controller != "" {
		controller = common.HexToAddress(f.controller)
	}
	tb, err := chain.ResolveTicketBroker(ctx, client, controller)
	if err != nil {
		client.Close()
		return nil, err
	}
	payer := lpnet.NewPayer(lpnet.NewSigner(key), tb)
	if f.maxPrice != "" {
		p, _ := parsePriceFlag("--max-price", f.maxPrice)
		payer.MaxPrice = big.NewRat(p.PricePerUnit, p.PixelsPerUnit)
	}
	return &payment{key: key, payer: payer, close: client.Close}, nil
}

// funds returns the check a prober makes before each cycle: the sender can
// pay for n orchestrators × segments at the cap (or, without a cap, has a
// deposit and a reserve at all).
//
// When cap is set, the cap is brought up to date first (see priceCap).
func (p *payment) funds(segments int, profiles []string, pc *priceCap) (func(ctx context.Context, n int) error, error) {
	var ladder []*lpnet.VideoProfile
	for _, name := range profiles {
		pr, err := lpnet.LookupProfiles([]string{name})
		if err != nil {
			return nil, err
		}
		ladder = append(ladder, pr...)
	}
	seconds := (media.SegmentFrames * time.Second / media.SegmentFPS).Seconds()
	return func(ctx context.Context, n int) error {
		limit := p.payer.Cap()
		if pc != nil {
			limit = pc.update(ctx)
		}
		need := new(big.Int)
		if limit != nil {
			need = lpnet.CycleCost(n, segments, ladder, seconds, limit)
		}
		if err := p.payer.CheckFunds(need); err != nil {
			return fmt.Errorf("the prober cannot pay for this cycle: %w", err)
		}
		return nil
	}, nil
}
