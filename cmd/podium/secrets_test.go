package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/podiumhq/podium/chain"
	"github.com/podiumhq/podium/web"
)

// The secrets TestSecrets_NotLeaked plants; each is distinctive, so that
// finding it anywhere is a leak.
const (
	leakSecret     = "hmac-S3cret-7f1c9e2ad04b"
	leakKeyHex     = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	leakPassword   = "pgPassw0rd-93be71"
	leakPassphrase = "ks-passphrase-5d2e08c4"
)

// TestSecrets_NotLeaked runs serve, post, node and config with a known HMAC secret,
// node key, database password and keystore passphrase, makes them fail in the ways that carry
// those values (wrong secret, the secret sent in place of its MAC, a
// malformed key, unreachable and malformed database URLs), and greps
// everything they wrote: logs, errors, answers, /metrics, --help.
func TestSecrets_NotLeaked(t *testing.T) {
	var seen bytes.Buffer // everything a person or a log collector could read
	add := func(what string, b []byte) {
		seen.WriteString("\n== " + what + "\n")
		seen.Write(b)
	}
	dir := t.TempDir()
	secretFile := write(t, filepath.Join(dir, "secret"), leakSecret+"\n")

	// serve, as a process, its whole stderr log kept.
	srv := startServeChild(t, nil, "--db", filepath.Join(dir, "podium.db"), "--secret-file", secretFile)

	// post with the right secret, then with a wrong one.
	m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET_FILE": secretFile})
	rec := write(t, filepath.Join(dir, "rec.json"), `{"region":"FRA","orchestrator":"0x0fc80afb7876f579f1fb1c4d1c37cf1339038658","timestamp":`+
		strconv.FormatInt(time.Now().Unix(), 10)+`,"segments_sent":1,"segments_received":1,"success_rate":1,"seg_duration":2,"round_trip_time":1,"errors":[],"test_id":"leak-1"}`)
	if err := m.Run(context.Background(), []string{"post", "--leaderboard", srv.URL, rec}); err != nil {
		t.Fatalf("post: %v\n%s", err, stderr)
	}
	add("post stdout", []byte(stdout.String()))
	add("post stderr", []byte(stderr.String()))
	wrong := write(t, filepath.Join(dir, "wrong"), "not-"+leakSecret)
	m, stdout, stderr = testMain(t, nil)
	err := m.Run(context.Background(), []string{"post", "--leaderboard", srv.URL, "--secret-file", wrong, rec})
	if err == nil {
		t.Fatal("post with a wrong secret succeeded")
	}
	add("post with a wrong secret", []byte(err.Error()+"\n"+stdout.String()+stderr.String()))

	// A sender sending the secret itself as Authorization, and in the
	// signature header: the 403 answers must not echo it.
	for _, h := range []http.Header{
		{"Authorization": {leakSecret}},
		{"Authorization": {web.Sign([]byte(leakSecret), []byte("{}"))}, web.SignatureHeader: {"t=1,v1=" + leakSecret}},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/post_stats", strings.NewReader("{}"))
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := readAll(t, resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("post with the secret as its header: %d %s, want 403", resp.StatusCode, b)
		}
		add("403 answer", b)
	}
	for _, path := range []string{"/metrics", "/healthz", "/api/regions", "/api/raw_stats?orchestrator=0x0fc80afb7876f579f1fb1c4d1c37cf1339038658"} {
		_, b := getBody(t, srv.URL+path)
		add(path, b)
	}

	// serve failing: a bad listen address, PostgreSQL unreachable or
	// misspelled, with a password in the URL.
	i := 0
	for _, args := range [][]string{
		{"serve", "--secret-file", secretFile, "--db", filepath.Join(dir, "p.db"), "--listen", "256.0.0.1:99999"},
		{"serve", "--secret-file", secretFile, "--db", "postgres://podium:" + leakPassword + "@127.0.0.1:1/podium?sslmode=disable&connect_timeout=2"},
		{"serve", "--secret-file", secretFile, "--db", "postgres://podium:" + leakPassword + "@127.0.0.1:badport/podium"},
		{"serve", "--secret-file", secretFile, "--db", "postgres://podium:" + leakPassword + "@127.0.0.1:5432/podium?sslmode=bogus"},
		{"serve", "--help"},
		{"post", "--help"},
		{"version"},
	} {
		i++
		m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": leakSecret})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := m.Run(ctx, args)
		cancel()
		msg := ""
		if err != nil {
			msg = err.Error()
			m.Report(err)
		}
		add(fmt.Sprintf("%s (case %d)", args[0], i), []byte(msg+"\n"+stdout.String()+stderr.String())) // not args: they hold the password
	}

	// The same secrets from the environment: printed by `podium config`,
	// and serve failing on the database they name.
	for _, args := range [][]string{{"config"}, {"config", "serve"}, {"config", "probe"}, {"serve"}} {
		m, stdout, stderr := testMain(t, map[string]string{"PODIUM_SECRET": leakSecret, "PODIUM_PROBE_KEY": leakKeyHex,
			"PODIUM_DB_DSN": "postgres://podium:" + leakPassword + "@127.0.0.1:badport/podium"})
		err := m.Run(context.Background(), args)
		msg := ""
		if err != nil {
			msg = err.Error()
			m.Report(err)
		}
		add("podium "+strings.Join(args, " ")+" with secrets in the environment", []byte(msg+"\n"+stdout.String()+stderr.String()))
	}

	// node with a key file, then with a malformed key.
	keyFile := write(t, filepath.Join(dir, "node.key"), "0x"+leakKeyHex+"\n")
	var nodeLog syncBuffer
	startNodeLogged(t, &nodeLog, "node", "orchestrator", "--listen", "127.0.0.1:0", "--key", keyFile)
	add("node log", []byte(nodeLog.String()))
	badKey := write(t, filepath.Join(dir, "bad.key"), leakKeyHex[:63]+"z")
	m, stdout, stderr = testMain(t, nil)
	if err := m.Run(context.Background(), []string{"node", "orchestrator", "--listen", "127.0.0.1:0", "--key", badKey}); err == nil {
		t.Error("node started with a malformed key")
	} else {
		m.Report(err)
		add("node with a malformed key", []byte(err.Error()+"\n"+stdout.String()+stderr.String()))
	}

	// The payout key: a keystore, its passphrase, used wrongly (a wrong
	// passphrase, the two files swapped).
	key, err := crypto.HexToECDSA(leakKeyHex)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := chain.EncryptKey(key, leakPassphrase, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ks := write(t, filepath.Join(dir, "admin.keystore"), string(blob))
	pass := write(t, filepath.Join(dir, "admin.passphrase"), leakPassphrase+"\n")
	wrongPass := write(t, filepath.Join(dir, "wrong.passphrase"), leakPassphrase+"-not\n")
	if _, err := chain.LoadKey(ks, pass); err != nil {
		t.Fatalf("the right passphrase: %v", err)
	}
	for _, files := range [][2]string{{ks, wrongPass}, {pass, ks}, {pass, pass}} {
		if _, err := chain.LoadKey(files[0], files[1]); err == nil {
			t.Error("a keystore opened with the wrong passphrase or files")
		} else {
			add("payout key error", []byte(err.Error()))
		}
	}

	srv.kill()
	add("serve log", []byte(srv.log()))
	if !strings.Contains(srv.log(), "post_stats") {
		t.Fatal("the serve log holds no request: the grep would prove nothing")
	}
	for name, s := range map[string]string{"HMAC secret": leakSecret, "node key": leakKeyHex, "node key (part)": leakKeyHex[8:40],
		"database password": leakPassword, "keystore passphrase": leakPassphrase} {
		if i := strings.Index(seen.String(), s); i >= 0 {
			out := seen.String()
			t.Errorf("the %s leaked:\n%s", name, out[max(0, i-400):min(len(out), i+200)])
		}
	}
	if os.Getenv("PODIUM_SECRETS_DUMP") != "" {
		t.Log(seen.String())
	}
}

// readAll reads and closes resp's body.
func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// startNodeLogged is startNode with its log and output kept in w.
func startNodeLogged(t *testing.T, w *syncBuffer, args ...string) string {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = w, w
	m.Logger = newTestLogger(w)
	return runReady(t, m, args, w)
}
