// Package devchain runs a real go-ethereum chain on loopback for demos and
// tests: a developer-mode node whose simulated beacon mines on its own, with
// HTTP JSON-RPC, and podium's contracts deployed on start (a test LPT, the
// batch payer, a Livepeer-shaped Controller / BondingManager pool /
// ServiceRegistry seeded with orchestrators, a tiny ENS for reverse names, and
// Multicall3 at its canonical address). It writes an encrypted keystore for a
// funded admin account.
package devchain

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/chain/contracts"
)

// DefaultRoundLength is the dev chain's round, in blocks: short, so that
// a demo sees rounds pass and tickets expire.
const DefaultRoundLength = 50

// GasLimit is the dev chain's block gas limit (Arbitrum One's is 32M).
const GasLimit = 30_000_000

// Config says how to run a dev chain.
type Config struct {
	// Listen is the JSON-RPC HTTP address, e.g. 127.0.0.1:8545 or 127.0.0.1:0.
	Listen string
	// BlockTime is the interval between blocks; 0 mines a block as soon as a
	// transaction arrives. Whole seconds only (the beacon's unit).
	BlockTime time.Duration
	// Dir receives the admin keystore and passphrase file.
	Dir string
	// Orchestrators are registered in the pool on start; nil registers
	// DefaultOrchestrators.
	Orchestrators []podium.Orchestrator
	// AdminLPT is the test LPT minted to the admin, in base units; nil mints
	// 1,000,000 LPT.
	AdminLPT *big.Int
	// RoundLength is the blocks per round; 0 means DefaultRoundLength.
	RoundLength int64
	// Rand is the source of the admin key and passphrase; nil is crypto/rand.
	Rand io.Reader
	// Logger receives startup messages; nil discards them.
	Logger *slog.Logger
}

// Chain is a running dev chain.
type Chain struct {
	// RPC is the HTTP JSON-RPC URL.
	RPC     string
	ChainID *big.Int

	Token           common.Address
	Batch           common.Address
	Controller      common.Address
	BondingManager  common.Address
	ServiceRegistry common.Address
	ENSRegistry     common.Address
	Multicall       common.Address
	RoundsManager   common.Address
	TicketBroker    common.Address

	// Admin holds ETH and test LPT; its key is in Keystore, encrypted with
	// the passphrase in PassphraseFile.
	Admin          common.Address
	Keystore       string
	PassphraseFile string

	adminKey *ecdsa.PrivateKey
	stack    *node.Node
	backend  *eth.Ethereum
	client   *ethclient.Client
	logger   *slog.Logger
}

// Info is what `podium devchain --out` writes (docs/design.md §5.10).
type Info struct {
	RPC            string `json:"rpc"`
	ChainID        uint64 `json:"chain_id"`
	Token          string `json:"token"`
	Batch          string `json:"batch"`
	Controller     string `json:"controller"`
	Admin          string `json:"admin"`
	Keystore       string `json:"keystore"`
	PassphraseFile string `json:"passphrase_file"`
	// ENSRegistry serves the orchestrators' reverse names (podium registry --ens-rpc).
	ENSRegistry string `json:"ens_registry"`
	// TicketBroker and RoundsManager carry ticket payments.
	TicketBroker  string `json:"ticket_broker"`
	RoundsManager string `json:"rounds_manager"`
}

// Info returns the chain's public description.
func (c *Chain) Info() Info {
	lower := func(a common.Address) string { return hexLower(a) }
	return Info{
		RPC: c.RPC, ChainID: c.ChainID.Uint64(),
		Token: lower(c.Token), Batch: lower(c.Batch), Controller: lower(c.Controller),
		Admin: lower(c.Admin), Keystore: c.Keystore, PassphraseFile: c.PassphraseFile,
		ENSRegistry:  lower(c.ENSRegistry),
		TicketBroker: lower(c.TicketBroker), RoundsManager: lower(c.RoundsManager),
	}
}

// deployAttempts is how many fresh nodes Start tries when one does not mine.
const deployAttempts = 3

// Start runs a dev chain and deploys the contracts. Close stops it.
func Start(ctx context.Context, cfg Config) (*Chain, error) {
	if cfg.Dir == "" {
		return nil, podium.FieldError("dir", "is required (the admin keystore is written there)")
	}
	if cfg.BlockTime < 0 || cfg.BlockTime%time.Second != 0 {
		return nil, podium.FieldError("block-time", "%s is not a whole number of seconds", cfg.BlockTime)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Orchestrators == nil {
		cfg.Orchestrators = DefaultOrchestrators()
	}
	if cfg.RoundLength <= 0 {
		cfg.RoundLength = DefaultRoundLength
	}
	if cfg.AdminLPT == nil {
		cfg.AdminLPT = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	}
	host, port, err := splitListen(cfg.Listen)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(crypto.S256(), cfg.Rand)
	if err != nil {
		return nil, fmt.Errorf("admin key: %w", err)
	}
	c := &Chain{adminKey: key, Admin: crypto.PubkeyToAddress(key.PublicKey), logger: cfg.Logger}
	if err := c.writeKeystore(cfg.Dir, cfg.Rand); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		if err := c.startNode(host, port, uint64(cfg.BlockTime/time.Second)); err != nil {
			return nil, err
		}
		err := c.deploy(ctx, cfg)
		if err == nil {
			break
		}
		c.Close()
		// The node's miner has been seen, rarely and under heavy load, to
		// leave pending transactions unmined; a fresh node deploys again.
		if attempt == deployAttempts || !errors.Is(err, errNotMined) || ctx.Err() != nil {
			return nil, fmt.Errorf("deploy contracts: %w", err)
		}
		cfg.Logger.Warn("dev chain did not mine the deployment; starting a fresh node", "err", err)
	}
	cfg.Logger.Info("dev chain ready", "rpc", c.RPC, "chain_id", c.ChainID, "token", hexLower(c.Token),
		"controller", hexLower(c.Controller), "admin", hexLower(c.Admin))
	return c, nil
}

func splitListen(listen string) (string, int, error) {
	host, p, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, podium.FieldError("listen", "%q is not host:port", listen).WithHint("use e.g. 127.0.0.1:8545")
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, podium.FieldError("listen", "bad port %q", p)
	}
	return host, port, nil
}

// startNode runs the node with an in-memory database and no peers.
func (c *Chain) startNode(host string, port int, period uint64) error {
	nodeConf := node.DefaultConfig
	nodeConf.DataDir = ""
	nodeConf.P2P = p2p.Config{NoDiscovery: true, MaxPeers: 0, ListenAddr: ""}
	nodeConf.HTTPHost = host
	nodeConf.HTTPPort = port
	nodeConf.HTTPModules = []string{"eth", "net", "web3"}
	nodeConf.HTTPVirtualHosts = []string{"*"}
	nodeConf.WSHost = ""
	nodeConf.AuthPort = 0
	nodeConf.Logger = nil
	stack, err := node.New(&nodeConf)
	if err != nil {
		return fmt.Errorf("new node: %w", err)
	}
	genesis := core.DeveloperGenesisBlock(GasLimit, &c.Admin)
	c.Multicall = chain.Multicall3Address
	genesis.Alloc[c.Multicall] = types.Account{Code: contracts.Runtime(contracts.Multicall3), Balance: new(big.Int)}
	ethConf := ethconfig.Defaults
	ethConf.Genesis = genesis
	ethConf.SyncMode = ethconfig.FullSync
	ethConf.TxPool.NoLocals = true
	ethConf.Miner.GasCeil = GasLimit
	backend, err := eth.New(stack, &ethConf)
	if err != nil {
		stack.Close()
		return fmt.Errorf("eth service: %w", err)
	}
	stack.RegisterAPIs([]rpc.API{{
		Namespace: "eth",
		Service:   filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{})),
	}})
	beacon, err := catalyst.NewSimulatedBeacon(period, common.Address{}, backend)
	if err != nil {
		stack.Close()
		return fmt.Errorf("simulated beacon: %w", err)
	}
	// The beacon's API mines on every new transaction when period is 0.
	catalyst.RegisterSimulatedBeaconAPIs(stack, beacon)
	stack.RegisterLifecycle(beacon)
	if err := stack.Start(); err != nil {
		stack.Close()
		return fmt.Errorf("start node: %w", err)
	}
	c.stack, c.backend = stack, backend
	c.RPC = stack.HTTPEndpoint()
	c.ChainID = genesis.Config.ChainID
	c.client = ethclient.NewClient(stack.Attach())
	return nil
}

// Client returns an in-process client of the chain (no HTTP).
func (c *Chain) Client() *ethclient.Client { return c.client }

// Close stops the chain; its state is gone.
func (c *Chain) Close() error {
	if c.stack == nil {
		return nil
	}
	c.client.Close()
	err := c.stack.Close()
	c.stack = nil
	if errors.Is(err, node.ErrNodeStopped) {
		return nil
	}
	return err
}

func hexLower(a common.Address) string { return "0x" + common.Bytes2Hex(a.Bytes()) }

// writeKeystore writes the admin key encrypted with a random passphrase.
func (c *Chain) writeKeystore(dir string, rnd io.Reader) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("keystore dir: %w", err)
	}
	pass := make([]byte, 16)
	if _, err := io.ReadFull(rnd, pass); err != nil {
		return fmt.Errorf("passphrase: %w", err)
	}
	passphrase := common.Bytes2Hex(pass)
	blob, err := chain.EncryptKey(c.adminKey, passphrase, rnd)
	if err != nil {
		return err
	}
	c.Keystore = filepath.Join(dir, "admin.keystore.json")
	c.PassphraseFile = filepath.Join(dir, "admin.passphrase")
	if err := os.WriteFile(c.PassphraseFile, []byte(passphrase+"\n"), 0o600); err != nil {
		return fmt.Errorf("write passphrase file: %w", err)
	}
	if err := os.WriteFile(c.Keystore, blob, 0o600); err != nil {
		return fmt.Errorf("write keystore: %w", err)
	}
	return nil
}
