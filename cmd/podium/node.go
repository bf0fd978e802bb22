package main

import (
	"crypto/ecdsa"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

func (m *Main) newNodeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run a reference Livepeer node (orchestrator or broadcaster)",
		Long: "Run podium's reference Livepeer node. The orchestrator transcodes with ffmpeg and can\n" +
			"misbehave on purpose (--fault); the broadcaster takes HTTP push ingest and sends each\n" +
			"segment to the orchestrator its discovery webhook names.",
	}
	cmd.AddCommand(m.newNodeOrchestratorCmd(), m.newNodeBroadcasterCmd())
	return cmd
}

// nodeKeyFlags are the identity flags both roles share.
type nodeKeyFlags struct {
	key  string
	seed int64
}

func (f *nodeKeyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.key, "key", "", "file holding the node's Ethereum private key (hex); derived from --seed when empty")
	cmd.Flags().Int64Var(&f.seed, "seed", 1, "seed for the derived key and for fault decisions")
}

func (f *nodeKeyFlags) signer() (*lpnet.Signer, error) {
	key, err := f.privateKey()
	if err != nil {
		return nil, err
	}
	return lpnet.NewSigner(key), nil
}

func (f *nodeKeyFlags) privateKey() (*ecdsa.PrivateKey, error) {
	if f.key == "" {
		return lpnet.KeyFromSeed(f.seed), nil
	}
	k, err := lpnet.LoadKey(f.key)
	if err != nil {
		return nil, podium.FieldError("--key", "%v", err)
	}
	return k, nil
}

// parsePrice reads --price: WEI or WEI/PIXELS into a PriceInfo.
func parsePrice(s string) (*lpnet.PriceInfo, error) { return parsePriceFlag("--price", s) }

// parsePriceFlag reads WEI or WEI/PIXELS, the value of flag, into a PriceInfo.
func parsePriceFlag(flag, s string) (*lpnet.PriceInfo, error) {
	num, den, hasDen := strings.Cut(strings.TrimSpace(s), "/")
	p, err := strconv.ParseInt(num, 10, 64)
	if err != nil || p < 0 {
		return nil, podium.FieldError(flag, "%q: want a whole number of wei, optionally /PIXELS, for example 1200/1", s)
	}
	px := int64(1)
	if hasDen {
		px, err = strconv.ParseInt(den, 10, 64)
		if err != nil || px <= 0 {
			return nil, podium.FieldError(flag, "%q: pixels per unit must be a whole number above 0", s)
		}
	}
	return &lpnet.PriceInfo{PricePerUnit: p, PixelsPerUnit: px}, nil
}
