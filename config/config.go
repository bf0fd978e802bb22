// Package config reads podium.yaml, the one configuration file of every
// podium command, and resolves each setting from its layers: a command's
// flag, then the environment, then the file, then the command's default.
//
// The file is strict: an unknown key or a value of the wrong type is an
// error naming the file, the line and the key. Every key has an environment
// variable: PODIUM_<SECTION>_<KEY> for a key in a section, PODIUM_<KEY> for a
// top-level key, upper-cased (serve.metrics_listen is
// PODIUM_SERVE_METRICS_LISTEN, secret is PODIUM_SECRET). A secret can also
// be given as a file holding it: the key X_file in podium.yaml, and
// PODIUM_…_X_FILE in the environment; the file's content, trimmed of
// surrounding white space, is the value.
package config

import "time"

// Config is podium.yaml: one section per part of podium. Every key is
// optional; an absent key leaves the command's flag or default in force.
//
// Struct tags beside yaml: `flag` names the command-line flag the key
// stands for ("-" for none; by default the key with _ as -); `secret` marks a
// value never printed (dsn: a database URL whose password is hidden; url: an
// address whose path and query may hold an API key; true: hidden whole) and
// gives it an X_file twin; `fileflag` names the flag that gives a secret as a
// file instead of as a value.
type Config struct {
	// Secret is the HMAC secret shared by serve, post and probe.
	Secret     string `yaml:"secret" secret:"true" flag:"-" fileflag:"secret-file"`
	SecretFile string `yaml:"secret_file"`

	DB       DB       `yaml:"db"`
	Serve    Serve    `yaml:"serve"`
	Probe    Probe    `yaml:"probe"`
	Node     Node     `yaml:"node"`
	Payout   Payout   `yaml:"payout"`
	Sender   Sender   `yaml:"sender"`
	Verify   Verify   `yaml:"verify"`
	Registry Registry `yaml:"registry"`
	Devchain Devchain `yaml:"devchain"`
	Demo     Demo     `yaml:"demo"`
}

// DB is the database every command that stores or reads records opens
// (serve, import, program, snapshot, report).
type DB struct {
	DSN     string `yaml:"dsn" flag:"db" secret:"dsn"`
	DSNFile string `yaml:"dsn_file"`
}

// Serve is `podium serve`.
type Serve struct {
	Listen           string        `yaml:"listen"`
	Regions          string        `yaml:"regions"`
	RequireTimestamp bool          `yaml:"require_timestamp"`
	ShutdownTimeout  time.Duration `yaml:"shutdown_timeout"`
	Program          string        `yaml:"program"`
	Registry         string        `yaml:"registry"`
	Payouts          string        `yaml:"payouts"`
	MetricsListen    string        `yaml:"metrics_listen"`
	MetricsToken     string        `yaml:"metrics_token" secret:"true" flag:"-" fileflag:"metrics-token-file"`
	MetricsTokenFile string        `yaml:"metrics_token_file"`
}

// Probe is `podium probe`.
type Probe struct {
	Region               string        `yaml:"region"`
	Leaderboard          string        `yaml:"leaderboard"`
	Orchestrators        string        `yaml:"orchestrators"`
	RPC                  string        `yaml:"rpc" secret:"url"`
	RPCFile              string        `yaml:"rpc_file"`
	Controller           string        `yaml:"controller"`
	Transport            string        `yaml:"transport"`
	TransportFor         []string      `yaml:"transport_for"`
	Broadcaster          string        `yaml:"broadcaster"`
	WebhookListen        string        `yaml:"webhook_listen"`
	Canary               []string      `yaml:"canary"`
	CanaryOrchestrator   string        `yaml:"canary_orchestrator"`
	Segments             int           `yaml:"segments"`
	Concurrency          int           `yaml:"concurrency"`
	Profiles             []string      `yaml:"profiles"`
	Interval             time.Duration `yaml:"interval"`
	Jitter               float64       `yaml:"jitter"`
	Seed                 uint64        `yaml:"seed"`
	Spool                string        `yaml:"spool"`
	Metrics              string        `yaml:"metrics"`
	Key                  string        `yaml:"key" secret:"true"`
	KeyFile              string        `yaml:"key_file"`
	RetryInterval        time.Duration `yaml:"retry_interval"`
	SegmentTimeout       time.Duration `yaml:"segment_timeout"`
	PayRPC               string        `yaml:"pay_rpc" secret:"url"`
	PayRPCFile           string        `yaml:"pay_rpc_file"`
	PayController        string        `yaml:"pay_controller"`
	SenderKeystore       string        `yaml:"sender_keystore"`
	SenderPassphraseFile string        `yaml:"sender_passphrase_file"`
	MaxPrice             string        `yaml:"max_price"`
	CapacityInterval     time.Duration `yaml:"capacity_interval"`
	CapacityCeiling      int           `yaml:"capacity_ceiling"`
	AI                   bool          `yaml:"ai"`
	AIPipelines          []string      `yaml:"ai_pipelines"`
	AITimeout            time.Duration `yaml:"ai_timeout"`
	AICycleTimeout       time.Duration `yaml:"ai_cycle_timeout"`
	AISpread             time.Duration `yaml:"ai_spread"`
	AIConcurrency        int           `yaml:"ai_concurrency"`
	AIGateway            string        `yaml:"ai_gateway"`
	AIWebhookListen      string        `yaml:"ai_webhook_listen"`
	AIByURL              bool          `yaml:"ai_by_url"`
}

// Node is `podium node orchestrator` and `podium node broadcaster` (each
// takes the keys it has flags for).
type Node struct {
	KeyFile       string        `yaml:"key_file" flag:"key"`
	Seed          int64         `yaml:"seed"`
	Listen        string        `yaml:"listen"`
	Fault         string        `yaml:"fault"`
	EthOrchAddr   string        `yaml:"eth_orch_addr"`
	Capacity      int           `yaml:"capacity"`
	Price         string        `yaml:"price"`
	RenditionTTL  time.Duration `yaml:"rendition_ttl"`
	Preset        string        `yaml:"preset"`
	Threads       int           `yaml:"threads"`
	AllowUnsigned bool          `yaml:"allow_unsigned"`
	PayRPC        string        `yaml:"pay_rpc" secret:"url"`
	PayRPCFile    string        `yaml:"pay_rpc_file"`
	PayController string        `yaml:"pay_controller"`
	TicketEV      string        `yaml:"ticket_ev"`
	OrchWebhook   string        `yaml:"orch_webhook"`
	Profiles      []string      `yaml:"profiles"`
}

// Payout is `podium payout` (each subcommand takes the keys it has flags
// for).
type Payout struct {
	RPC            string        `yaml:"rpc" secret:"url"`
	RPCFile        string        `yaml:"rpc_file"`
	Token          string        `yaml:"token"`
	Keystore       string        `yaml:"keystore"`
	PassphraseFile string        `yaml:"passphrase_file"`
	Method         string        `yaml:"method"`
	Batch          string        `yaml:"batch"`
	BatchSize      int           `yaml:"batch_size"`
	Budget         string        `yaml:"budget"`
	ChainID        uint64        `yaml:"chain_id"`
	SinceBlock     uint64        `yaml:"since_block"`
	StuckAfter     time.Duration `yaml:"stuck_after"`
	MaxPending     int           `yaml:"max_pending"`
}

// Sender is `podium sender`, the prober's ticket sender.
type Sender struct {
	RPC            string `yaml:"rpc" secret:"url"`
	RPCFile        string `yaml:"rpc_file"`
	Controller     string `yaml:"controller"`
	Keystore       string `yaml:"keystore"`
	PassphraseFile string `yaml:"passphrase_file"`
	Journal        string `yaml:"journal"`
}

// Verify is `podium verify`: where to check a paid round's transfers.
type Verify struct {
	RPC         string `yaml:"rpc" secret:"url"`
	RPCFile     string `yaml:"rpc_file"`
	Token       string `yaml:"token"`
	Sender      string `yaml:"sender"`
	Leaderboard string `yaml:"leaderboard"`
}

// Registry is `podium registry`, which reads the orchestrators from the
// chain.
type Registry struct {
	RPC         string `yaml:"rpc" secret:"url"`
	RPCFile     string `yaml:"rpc_file"`
	Controller  string `yaml:"controller"`
	Multicall   string `yaml:"multicall"`
	ENSRPC      string `yaml:"ens_rpc" secret:"url"`
	ENSRPCFile  string `yaml:"ens_rpc_file"`
	ENSRegistry string `yaml:"ens_registry"`
}

// Devchain is `podium devchain`, the local chain for demos and tests.
type Devchain struct {
	Listen    string        `yaml:"listen"`
	BlockTime time.Duration `yaml:"block_time"`
	Dir       string        `yaml:"dir"`
	Registry  string        `yaml:"registry"`
}

// Demo is `podium demo`.
type Demo struct {
	Listen        string        `yaml:"listen"`
	Dir           string        `yaml:"dir"`
	Round         time.Duration `yaml:"round"`
	Seed          int64         `yaml:"seed"`
	Orchestrators int           `yaml:"orchestrators"`
	Segments      int           `yaml:"segments"`
	Concurrency   int           `yaml:"concurrency"`
	Pause         time.Duration `yaml:"pause"`
}
