package config

import (
	"bytes"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tt := range []struct {
		kind, in, want string
	}{
		{"", "127.0.0.1:8088", "127.0.0.1:8088"},
		{SecretWhole, "hmac-secret", "***"},
		{SecretWhole, "", ""},
		{SecretDSN, "./podium.db", "./podium.db"},
		{SecretDSN, "sqlite:/var/lib/podium/podium.db", "sqlite:/var/lib/podium/podium.db"},
		{SecretDSN, "postgres://podium:pgPassw0rd@db.internal:5432/podium", "postgres://podium:***@db.internal:5432/podium"},
		{SecretDSN, "postgres://podium@db.internal/podium?sslmode=disable", "postgres://podium@db.internal/podium?sslmode=disable"},
		{SecretDSN, "postgres://podium:p%40ss@db/podium?sslmode=require&password=pgPassw0rd", "postgres://podium:***@db/podium?sslmode=require&password=***"},
		{SecretDSN, "postgres://podium:pgPassw0rd@/podium?host=/run/postgresql", "***"},
		{SecretDSN, "host=db user=podium password=pgPassw0rd dbname=podium", "host=db user=podium password=*** dbname=podium"},
		{SecretDSN, "host=db password='pg Passw0rd' dbname=podium", "host=db password=*** dbname=podium"},
		{SecretDSN, "postgres://podium:pgPassw0rd@db:bad-port/podium", "***"},
		{SecretURL, "https://arb-mainnet.example.com/v2/pgPassw0rd", "https://arb-mainnet.example.com/***"},
		{SecretURL, "https://arb1.arbitrum.io/rpc", "https://arb1.arbitrum.io/***"},
		{SecretURL, "http://127.0.0.1:8545", "http://127.0.0.1:8545"},
		{SecretURL, "https://user:pgPassw0rd@rpc.example.com/", "https://***@rpc.example.com"},
		{SecretURL, "https://rpc.example.com?key=pgPassw0rd", "https://rpc.example.com/***"},
		{SecretURL, "not a url pgPassw0rd", "***"},
	} {
		if got := Redact(tt.kind, tt.in); got != tt.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
	}
}

// TestWrite prints settings from every layer and checks each line: the
// value as its type, its source, and no secret.
func TestWrite(t *testing.T) {
	f, err := Parse("podium.yaml", []byte("db:\n  dsn: postgres://podium:pgPassw0rd@db/podium\nprobe:\n  profiles: [P360p30fps16x9, P240p30fps16x9]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(keysAt(t, "secret", "db.dsn", "serve.listen", "serve.require_timestamp", "probe.profiles", "probe.segments", "probe.canary", "probe.interval"), Layers{
		Flags:    map[string]string{"serve.listen": ":8088"},
		Getenv:   env(map[string]string{"PODIUM_SECRET": "pgPassw0rd", "PODIUM_PROBE_SEGMENTS": "3"}),
		File:     f,
		Defaults: map[string]string{"serve.require_timestamp": "false", "probe.interval": "5m0s"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, s); err != nil {
		t.Fatal(err)
	}
	want := `secret: '***' # env PODIUM_SECRET
db:
  dsn: postgres://podium:***@db/podium # file podium.yaml:2
serve:
  listen: :8088 # flag --listen
  require_timestamp: false # default
probe:
  profiles: [P360p30fps16x9, P240p30fps16x9] # file podium.yaml:4
  segments: 3 # env PODIUM_PROBE_SEGMENTS
  canary: [] # default
  interval: 5m0s # default
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if strings.Contains(b.String(), "pgPassw0rd") {
		t.Error("a secret is printed")
	}
}
