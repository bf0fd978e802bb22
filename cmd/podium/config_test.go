package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/storetest"
)

// TestConfig_Import runs import with its database from each layer and
// checks the one the precedence picks is the one written.
func TestConfig_Import(t *testing.T) {
	const imported = "imported 3 records, skipped 1 already stored, 2 invalid lines"
	for _, tt := range []struct {
		name string
		run  func(t *testing.T, dir string) (env map[string]string, args []string, written string)
	}{
		{"OKFile", func(t *testing.T, dir string) (map[string]string, []string, string) {
			db := filepath.Join(dir, "file.db")
			cfg := write(t, filepath.Join(dir, "podium.yaml"), "db:\n  dsn: "+db+"\n")
			return nil, []string{"--config", cfg}, db
		}},
		{"OKConfigFromEnv", func(t *testing.T, dir string) (map[string]string, []string, string) {
			db := filepath.Join(dir, "file.db")
			cfg := write(t, filepath.Join(dir, "podium.yaml"), "db:\n  dsn_file: "+write(t, filepath.Join(dir, "dsn"), db+"\n")+"\n")
			return map[string]string{"PODIUM_CONFIG": cfg}, nil, db
		}},
		{"OKEnvBeatsFile", func(t *testing.T, dir string) (map[string]string, []string, string) {
			db := filepath.Join(dir, "env.db")
			cfg := write(t, filepath.Join(dir, "podium.yaml"), "db:\n  dsn: "+filepath.Join(dir, "file.db")+"\n")
			return map[string]string{"PODIUM_DB_DSN": db}, []string{"--config", cfg}, db
		}},
		{"OKFlagBeatsEnv", func(t *testing.T, dir string) (map[string]string, []string, string) {
			db := filepath.Join(dir, "flag.db")
			return map[string]string{"PODIUM_DB_DSN": filepath.Join(dir, "env.db")}, []string{"--db", db}, db
		}},
		{"OKEnvFilePostgres", func(t *testing.T, dir string) (map[string]string, []string, string) {
			dsn := storetest.FreshSchema(t, storetest.PostgresDSN(t))
			return map[string]string{"PODIUM_DB_DSN_FILE": write(t, filepath.Join(dir, "dsn"), dsn+"\n")}, nil, ""
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			env, args, written := tt.run(t, dir)
			m, stdout, stderr := testMain(t, env)
			err := m.Run(context.Background(), append(append([]string{"import"}, args...), "testdata/import.jsonl"))
			if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(stdout.String(), imported) {
				t.Fatalf("err %v\nstdout %s\nstderr %s", err, stdout, stderr)
			}
			if written == "" {
				return
			}
			entries, _ := filepath.Glob(filepath.Join(dir, "*.db"))
			if len(entries) != 1 || entries[0] != written {
				t.Errorf("databases %v, want only %s", entries, written)
			}
		})
	}
}

// TestConfig_Serve runs serve with everything from podium.yaml: its
// address, its database, its secret (from a file) and the /metrics token,
// and checks each is used.
func TestConfig_Serve(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "served.db")
	secret := write(t, filepath.Join(dir, "secret"), "  "+testSecret+"\n")
	cfg := write(t, filepath.Join(dir, "podium.yaml"), `secret_file: `+secret+`
db:
  dsn: `+db+`
serve:
  listen: 127.0.0.1:0
  metrics_token: t0ken-from-config
`)
	m, _, stderr := testMain(t, map[string]string{"PODIUM_CONFIG": cfg})
	url := "http://" + runReady(t, m, []string{"serve"}, stderr)
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("serve did not open the config's database: %v", err)
	}
	pm, stdout, _ := testMain(t, map[string]string{"PODIUM_SECRET": testSecret})
	rec := write(t, filepath.Join(dir, "rec.json"), `{"region":"FRA","orchestrator":"0x0fc80afb7876f579f1fb1c4d1c37cf1339038658","timestamp":1700000000,"success_rate":1,"seg_duration":2,"round_trip_time":1,"test_id":"cfg-1"}`)
	if err := pm.Run(context.Background(), []string{"post", "--leaderboard", url, rec}); err != nil {
		t.Fatalf("post signed with the secret serve read from its config file: %v\n%s", err, stdout)
	}
	for token, want := range map[string]int{"": http.StatusUnauthorized, "t0ken-from-config": http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, url+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("/metrics with token %q: %d, want %d", token, resp.StatusCode, want)
		}
	}
}

// TestConfig_Print prints the effective configuration of serve with values
// from every layer and checks each value, its source and that no secret
// shows.
func TestConfig_Print(t *testing.T) {
	dir := t.TempDir()
	cfg := write(t, filepath.Join(dir, "podium.yaml"), `# podium
db:
  dsn: postgres://podium:`+leakPassword+`@db.internal/podium
serve:
  listen: 0.0.0.0:8088
  program: program.yaml
`)
	m, stdout, _ := testMain(t, map[string]string{
		"PODIUM_SECRET":                   leakSecret,
		"PODIUM_SERVE_PROGRAM":            "env-program.yaml",
		"PODIUM_PROBE_SEGMENTS":           "3", // not serve's: not printed
		"PODIUM_SERVE_METRICS_TOKEN_FILE": write(t, filepath.Join(dir, "token"), "t0ken"),
	})
	if err := m.Run(context.Background(), []string{"config", "--config", cfg, "serve", "--payouts", "payouts/"}); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	for _, want := range []string{
		"secret: '***' # env PODIUM_SECRET\n",
		"  dsn: postgres://podium:***@db.internal/podium # file " + cfg + ":3\n",
		"  listen: 0.0.0.0:8088 # file " + cfg + ":5\n",
		"  program: env-program.yaml # env PODIUM_SERVE_PROGRAM\n",
		"  payouts: payouts/ # flag --payouts\n",
		"  shutdown_timeout: 15s # default\n",
		"  metrics_token: '***' # env PODIUM_SERVE_METRICS_TOKEN_FILE\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, leak := range []string{leakPassword, leakSecret, "t0ken", "probe:"} {
		if strings.Contains(out, leak) {
			t.Errorf("output shows %q:\n%s", leak, out)
		}
	}
}

// TestConfig_Err checks a bad config file or variable stops every
// command, `podium config` included, with the file, line and key, an exit
// status of 2, and no secret in what is printed.
func TestConfig_Err(t *testing.T) {
	dir := t.TempDir()
	bad := write(t, filepath.Join(dir, "bad.yaml"), "db:\n  dsn: postgres://podium:"+leakPassword+"@127.0.0.1:1/podium\nserve:\n  lisen: :8088\n")
	unreachable := write(t, filepath.Join(dir, "unreachable.yaml"), "db:\n  dsn: postgres://podium:"+leakPassword+"@127.0.0.1:1/podium?connect_timeout=2\n")
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"ErrUnknownKeyServe", nil, []string{"serve", "--config", bad}, bad + `:4: serve: unknown key "lisen"`},
		{"ErrUnknownKeyConfig", nil, []string{"config", "--config", bad}, bad + `:4: serve: unknown key "lisen"`},
		{"ErrUnknownKeyFromEnv", map[string]string{"PODIUM_CONFIG": bad}, []string{"version"}, bad + `:4: serve: unknown key "lisen"`},
		{"ErrNoFile", nil, []string{"import", "--config", filepath.Join(dir, "none.yaml"), "-"}, "none.yaml: no such file"},
		{"ErrDSNFileMissing", map[string]string{"PODIUM_DB_DSN_FILE": filepath.Join(dir, "none")}, []string{"import", "-"}, "env PODIUM_DB_DSN_FILE: cannot read the secret's file"},
		{"ErrEnvType", map[string]string{"PODIUM_SERVE_SHUTDOWN_TIMEOUT": "15"}, []string{"serve"}, `env PODIUM_SERVE_SHUTDOWN_TIMEOUT: "15": want a duration`},
		{"ErrBadFlagValueFromFile", nil, []string{"probe", "--config", write(t, filepath.Join(dir, "probe.yaml"), "probe:\n  transport_for: [\"a,b\\\"\"]\n")}, "probe.yaml:2: probe.transport_for: invalid argument"},
		{"ErrUnknownCommand", nil, []string{"config", "nosuch"}, `unknown command "nosuch"`},
		{"ErrUnreachableDB", nil, []string{"import", "--config", unreachable, "testdata/import.jsonl"}, "127.0.0.1:1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, stdout, stderr := testMain(t, tt.env)
			err := m.Run(context.Background(), tt.args)
			if err == nil {
				t.Fatal("ran")
			}
			status := m.Report(err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %q, want %q", err, tt.want)
			}
			if tt.name != "ErrUnreachableDB" && status != 2 {
				t.Errorf("exit status %d, want 2", status)
			}
			if all := err.Error() + stdout.String() + stderr.String(); strings.Contains(all, leakPassword) {
				t.Errorf("the password shows:\n%s", all)
			}
		})
	}
}

// TestConfig_PrintGroup prints what the commands under a group take, and,
// without a command, every key.
func TestConfig_PrintGroup(t *testing.T) {
	for _, tt := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"config", "payout"}, []string{"payout:\n", "  max_pending: 16 # default\n", "  keystore: \"\" # default\n"}, []string{"serve:", "db:"}},
		{[]string{"config"}, []string{"secret: \"\" # default\n", "  dsn: ./podium.db # default\n", "  segments: 15 # default\n", "sender:\n  rpc:"}, nil},
	} {
		m, stdout, _ := testMain(t, map[string]string{"PODIUM_PAYOUT_MAX_PENDING": ""})
		if err := m.Run(context.Background(), tt.args); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, stdout)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(stdout.String(), n) {
				t.Errorf("%v: output shows %q", tt.args, n)
			}
		}
	}
}

// TestConfig_ChainCommands checks verify, registry, devchain and demo take
// their keys from podium.yaml and the environment, an RPC URL redacted.
func TestConfig_ChainCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := write(t, filepath.Join(dir, "podium.yaml"), `registry:
  rpc: https://arb.example.com/`+leakPassword+`
  ens_registry: "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e"
devchain:
  block_time: 2s
`)
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{[]string{"config", "--config", cfg, "registry"}, nil, []string{
			"  rpc: https://arb.example.com/*** # file " + cfg + ":2\n",
			"  ens_registry: 0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e # file " + cfg + ":3\n",
			"  multicall: \"\" # default\n"}},
		{[]string{"config", "--config", cfg, "devchain"}, nil, []string{
			"  block_time: 2s # file " + cfg + ":5\n", "  listen: 127.0.0.1:8545 # default\n"}},
		{[]string{"config", "verify"}, map[string]string{"PODIUM_VERIFY_TOKEN": "0x289ba1701c2f088cf0faf8b3705246331cb8a839"}, []string{
			"  token: 0x289ba1701c2f088cf0faf8b3705246331cb8a839 # env PODIUM_VERIFY_TOKEN\n"}},
		{[]string{"config", "demo", "--seed", "3"}, nil, []string{"  seed: 3 # flag --seed\n", "  round: 3m0s # default\n"}},
	} {
		m, stdout, _ := testMain(t, tt.env)
		if err := m.Run(context.Background(), tt.args); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, stdout)
			}
		}
		if strings.Contains(stdout.String(), leakPassword) {
			t.Errorf("%v: output shows the RPC's path:\n%s", tt.args, stdout)
		}
	}
}
