package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
)

// keysAt returns the keys at paths, in order.
func keysAt(t *testing.T, paths ...string) []Key {
	t.Helper()
	var out []Key
	for _, p := range paths {
		found := false
		for _, k := range Keys() {
			if k.Path() == p {
				out, found = append(out, k), true
			}
		}
		if !found {
			t.Fatalf("no key %s", p)
		}
	}
	return out
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestResolve_Precedence sets serve.listen in every layer, then removes
// them from the top: flag > environment > file > default.
func TestResolve_Precedence(t *testing.T) {
	f, err := Parse("podium.yaml", []byte("serve:\n  program: p.yaml\n  listen: file:1\n"))
	if err != nil {
		t.Fatal(err)
	}
	keys := keysAt(t, "serve.listen")
	for _, tt := range []struct {
		name       string
		l          Layers
		value, src string
	}{
		{"Flag", Layers{Flags: map[string]string{"serve.listen": "flag:1"}, Getenv: env(map[string]string{"PODIUM_SERVE_LISTEN": "env:1"}), File: f}, "flag:1", "flag --listen"},
		{"Env", Layers{Getenv: env(map[string]string{"PODIUM_SERVE_LISTEN": "env:1"}), File: f}, "env:1", "env PODIUM_SERVE_LISTEN"},
		{"File", Layers{Getenv: env(nil), File: f, Defaults: map[string]string{"serve.listen": "default:1"}}, "file:1", "file podium.yaml:3"},
		{"Default", Layers{Getenv: env(nil), Defaults: map[string]string{"serve.listen": "default:1"}}, "default:1", "default"},
		{"EmptyEnvIsUnset", Layers{Getenv: env(map[string]string{"PODIUM_SERVE_LISTEN": ""}), File: f}, "file:1", "file podium.yaml:3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Resolve(keys, tt.l)
			if err != nil {
				t.Fatal(err)
			}
			if s[0].Value != tt.value || s[0].Source != tt.src {
				t.Errorf("got %q from %q, want %q from %q", s[0].Value, s[0].Source, tt.value, tt.src)
			}
		})
	}
}

// TestResolve_SecretFile reads secrets from the file the environment, the
// config file or a file flag names, trimmed; the _FILE variable wins over
// the value at its level.
func TestResolve_SecretFile(t *testing.T) {
	dsn := writeFile(t, "dsn", "\n  postgres://podium:pw-from-file@db/podium \n")
	token := writeFile(t, "token", "t0ken\r\n")
	f, err := Parse("podium.yaml", []byte("db:\n  dsn_file: "+dsn+"\nserve:\n  metrics_token: from-yaml\n"))
	if err != nil {
		t.Fatal(err)
	}
	keys := keysAt(t, "db.dsn", "serve.metrics_token")
	for _, tt := range []struct {
		name      string
		l         Layers
		dsn, src  string
		tok, tsrc string
	}{
		{"File", Layers{File: f}, "postgres://podium:pw-from-file@db/podium", "file podium.yaml:2 dsn_file", "from-yaml", "file podium.yaml:4"},
		{"Env", Layers{File: f, Getenv: env(map[string]string{"PODIUM_DB_DSN": "x.db", "PODIUM_SERVE_METRICS_TOKEN_FILE": token})},
			"x.db", "env PODIUM_DB_DSN", "t0ken", "env PODIUM_SERVE_METRICS_TOKEN_FILE"},
		{"EnvFileWins", Layers{Getenv: env(map[string]string{"PODIUM_DB_DSN": "x.db", "PODIUM_DB_DSN_FILE": dsn})},
			"postgres://podium:pw-from-file@db/podium", "env PODIUM_DB_DSN_FILE", "", "default"},
		{"FileFlag", Layers{File: f, Flags: map[string]string{"serve.metrics_token": token}, Getenv: env(map[string]string{"PODIUM_SERVE_METRICS_TOKEN": "env"})},
			"postgres://podium:pw-from-file@db/podium", "file podium.yaml:2 dsn_file", "t0ken", "flag --metrics-token-file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Resolve(keys, tt.l)
			if err != nil {
				t.Fatal(err)
			}
			if s[0].Value != tt.dsn || s[0].Source != tt.src || s[1].Value != tt.tok || s[1].Source != tt.tsrc {
				t.Errorf("got %q from %q and %q from %q", s[0].Value, s[0].Source, s[1].Value, s[1].Source)
			}
		})
	}
}

func TestResolve_Err(t *testing.T) {
	empty := writeFile(t, "empty", " \n")
	missing := filepath.Join(t.TempDir(), "missing")
	for _, tt := range []struct {
		name string
		keys []Key
		l    Layers
		want string
	}{
		{"ErrMissingFile", keysAt(t, "db.dsn"), Layers{Getenv: env(map[string]string{"PODIUM_DB_DSN_FILE": missing})},
			"env PODIUM_DB_DSN_FILE: cannot read the secret's file: open " + missing + ": no such file"},
		{"ErrEmptyFile", keysAt(t, "secret"), Layers{Getenv: env(map[string]string{"PODIUM_SECRET_FILE": empty})},
			"env PODIUM_SECRET_FILE: " + empty + " is empty"},
		{"ErrMissingFlagFile", keysAt(t, "secret"), Layers{Flags: map[string]string{"secret": missing}},
			"flag --secret-file: cannot read the secret's file"},
		{"ErrEnvInt", keysAt(t, "probe.segments"), Layers{Getenv: env(map[string]string{"PODIUM_PROBE_SEGMENTS": "ten"})},
			`env PODIUM_PROBE_SEGMENTS: "ten": want a whole number`},
		{"ErrEnvDuration", keysAt(t, "serve.shutdown_timeout"), Layers{Getenv: env(map[string]string{"PODIUM_SERVE_SHUTDOWN_TIMEOUT": "15"})},
			`env PODIUM_SERVE_SHUTDOWN_TIMEOUT: "15": want a duration`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.keys, tt.l)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorHint(err) == "" {
				t.Errorf("code %s hint %q", podium.ErrorCode(err), podium.ErrorHint(err))
			}
		})
	}
}

func TestKey_Env(t *testing.T) {
	for path, want := range map[string]string{
		"secret":              "PODIUM_SECRET",
		"db.dsn":              "PODIUM_DB_DSN",
		"serve.metrics_token": "PODIUM_SERVE_METRICS_TOKEN",
		"probe.pay_rpc":       "PODIUM_PROBE_PAY_RPC",
		"node.key_file":       "PODIUM_NODE_KEY_FILE",
	} {
		if got := keysAt(t, path)[0].Env(); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
	if got := keysAt(t, "db.dsn")[0].FileEnv(); got != "PODIUM_DB_DSN_FILE" {
		t.Errorf("db.dsn's file variable: %s", got)
	}
	if got := keysAt(t, "serve.listen")[0].FileEnv(); got != "" {
		t.Errorf("serve.listen has a file variable %s", got)
	}
}

// TestKeys checks the schema: every secret has a string X_file twin, and
// no two keys share an environment variable.
func TestKeys(t *testing.T) {
	seen := map[string]string{}
	for _, k := range Keys() {
		for _, e := range []string{k.Env(), k.FileEnv()} {
			if other, dup := seen[e]; dup && e != "" {
				t.Errorf("%s and %s share %s", k.Path(), other, e)
			}
			seen[e] = k.Path()
		}
		if k.Secret == "" {
			continue
		}
		if k.fileIndex == nil || twinField(k).Type.Kind().String() != "string" || tagName(twinField(k)) != k.FileName() {
			t.Errorf("secret %s has no string %s twin", k.Path(), k.FileName())
		}
	}
}

func twinField(k Key) reflect.StructField {
	return reflect.TypeFor[Config]().FieldByIndex(k.fileIndex)
}
