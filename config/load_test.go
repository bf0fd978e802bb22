package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestParse_OK(t *testing.T) {
	f, err := Parse("podium.yaml", []byte(`
secret_file: /run/secrets/podium
db:
  dsn: postgres://podium@db/podium
serve:
  listen: 0.0.0.0:8088
  require_timestamp: true
  shutdown_timeout: 30s
probe:
  segments: 15
  jitter: 0.2
  seed: 7
  profiles: [P360p30fps16x9, P240p30fps16x9]
node:
  listen:          # no value: sets nothing
payout:
`))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Config
	if c.SecretFile != "/run/secrets/podium" || c.DB.DSN != "postgres://podium@db/podium" || c.Serve.Listen != "0.0.0.0:8088" ||
		!c.Serve.RequireTimestamp || c.Serve.ShutdownTimeout != 30*time.Second || c.Probe.Segments != 15 ||
		c.Probe.Jitter != 0.2 || c.Probe.Seed != 7 || strings.Join(c.Probe.Profiles, ",") != "P360p30fps16x9,P240p30fps16x9" {
		t.Errorf("decoded %+v", c)
	}
	for path, line := range map[string]int{"secret_file": 2, "db.dsn": 4, "serve.listen": 6, "probe.profiles": 13, "node.listen": 0, "probe.region": 0} {
		if got := f.Line(path); got != line {
			t.Errorf("Line(%s) = %d, want %d", path, got, line)
		}
	}
}

func TestParse_Empty(t *testing.T) {
	for _, data := range []string{"", "# nothing yet\n", "---\n"} {
		f, err := Parse("podium.yaml", []byte(data))
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if f.Line("serve.listen") != 0 {
			t.Errorf("%q sets serve.listen", data)
		}
	}
}

// TestParse_Bad reads each config in testdata/ that podium must refuse and
// checks the error names the file, the line and the key, says what to do,
// and never quotes a secret.
func TestParse_Bad(t *testing.T) {
	for _, tt := range []struct {
		file, want, hint string
	}{
		{"bad-unknown-key.yaml", `bad-unknown-key.yaml:3: serve: unknown key "lisen"`, "did you mean listen? the keys of serve are listen, regions, require_timestamp"},
		{"bad-unknown-section.yaml", `bad-unknown-section.yaml:3: unknown key "server"`, "did you mean serve? the top level takes secret, secret_file and the sections db, serve, probe, node, payout, sender, verify, registry, devchain, demo"},
		{"bad-int.yaml", `bad-int.yaml:3: probe.segments: "fifteen": want a whole number`, ""},
		{"bad-duration.yaml", `bad-duration.yaml:2: probe.interval: "300": want a duration such as 30s`, ""},
		{"bad-bool.yaml", `bad-bool.yaml:2: serve.require_timestamp: "yes please": want true or false`, ""},
		{"bad-list.yaml", `bad-list.yaml:2: probe.profiles: want a list of strings, e.g. [a, b]`, ""},
		{"bad-negative.yaml", `bad-negative.yaml:2: payout.since_block: "-5": want a whole number, 0 or more`, ""},
		{"bad-section-scalar.yaml", `bad-section-scalar.yaml:1: serve: want a section of keys (listen,`, "indented `key: value` lines"},
		{"bad-secret-twice.yaml", `bad-secret-twice.yaml:3: db: give dsn or dsn_file, not both`, ""},
		{"bad-secret-type.yaml", `bad-secret-type.yaml:2: db.dsn: want a string`, ""},
		{"bad-repeated.yaml", `bad-repeated.yaml:4: serve.listen: set again (first on line 2)`, "keep one"},
		{"bad-syntax.yaml", `bad-syntax.yaml:`, "YAML syntax"},
		{"bad-not-a-mapping.yaml", `bad-not-a-mapping.yaml:1: want a mapping of keys and sections`, ""},
	} {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tt.file))
			if err == nil {
				t.Fatal("loaded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
			if podium.ErrorCode(err) != podium.EINVALID {
				t.Errorf("code %s, want %s", podium.ErrorCode(err), podium.EINVALID)
			}
			hint := podium.ErrorHint(err)
			if hint == "" || !strings.Contains(hint, tt.hint) {
				t.Errorf("hint %q, want one containing %q", hint, tt.hint)
			}
			if strings.Contains(err.Error()+hint, "pgPassw0rd") {
				t.Errorf("the error quotes the password: %s %s", err, hint)
			}
		})
	}
}

func TestLoad_ErrNotFound(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "podium.yaml"))
	if err == nil || !strings.Contains(err.Error(), "no such file") || !strings.Contains(podium.ErrorHint(err), "--config") {
		t.Fatalf("err %v, hint %q", err, podium.ErrorHint(err))
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"listen", "metrics_listen", "program", "payouts"}
	for in, want := range map[string]string{"lisen": "listen", "listne": "listen", "metric_listen": "metrics_listen", "payout": "payouts", "database": ""} {
		if got := suggest(in, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
