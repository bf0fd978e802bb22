// Command anchorgolden records leaderboard-serverless's answers as golden
// files: it posts web/testdata/anchor/records.jsonl to a running anchor,
// asks the requests of requests.tsv and writes each answer, with a manifest
// naming the anchor's commit. scripts/anchor-golden.sh builds and starts the
// anchor and runs it; see docs/design.md §5.9.
//
// The anchor stamps each record with its arrival time (its events table's
// event_time), not the record's timestamp, so after posting this tool sets
// event_time to the record's timestamp through the anchor's database: the
// "fixed" requests then see the records where podium does. top_ai_score
// takes no window (always the anchor's last 24 h), so for the "now"
// requests the records are moved to end at the anchor's clock, as if
// podium's test clock (manifest "now") were the anchor's now.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// request is one line of requests.tsv.
type request struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	Clock string `json:"clock"`
	Path  string `json:"request"`
}

// answer is what a golden file holds: the status and the body, as JSON when
// the body is JSON, else as a string.
type answer struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// post is the anchor's answer to one record of records.jsonl, and whether
// the record is in its events table afterwards.
type post struct {
	Line   int             `json:"line"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	Stored bool            `json:"stored"`
}

type manifest struct {
	Anchor   string    `json:"anchor"`
	Commit   string    `json:"commit"`
	Recorded string    `json:"recorded"`
	Records  string    `json:"records"`
	Posts    string    `json:"posts"`
	Now      int64     `json:"now"`
	Note     string    `json:"note"`
	Cases    []request `json:"cases"`
}

func main() {
	url := flag.String("url", "", "the anchor's base URL")
	dsn := flag.String("dsn", "", "the anchor's PostgreSQL database")
	dir := flag.String("dir", "web/testdata/anchor", "where records.jsonl and requests.tsv are and the answers go")
	commit := flag.String("commit", "", "the anchor's commit")
	flag.Parse()
	secret := os.Getenv("PODIUM_SECRET")
	if *url == "" || *dsn == "" || *commit == "" || secret == "" {
		fmt.Fprintln(os.Stderr, "usage: PODIUM_SECRET=… anchorgolden --url http://… --dsn postgres://… --commit SHA [--dir DIR]")
		os.Exit(2)
	}
	if err := run(context.Background(), *url, *dsn, *dir, *commit, []byte(secret)); err != nil {
		fmt.Fprintln(os.Stderr, "anchorgolden:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, base, dsn, dir, commit string, secret []byte) error {
	reqs, now, err := readRequests(filepath.Join(dir, "requests.tsv"))
	if err != nil {
		return err
	}
	records, err := readLines(filepath.Join(dir, "records.jsonl"))
	if err != nil {
		return err
	}
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close(ctx)

	var posts []post
	for i, rec := range records {
		status, body, err := do(http.MethodPost, base+"/api/post_stats", rec, secret)
		if err != nil {
			return fmt.Errorf("record %d: %w", i+1, err)
		}
		var r struct {
			Orchestrator string `json:"orchestrator"`
			Timestamp    int64  `json:"timestamp"`
		}
		if err := json.Unmarshal(rec, &r); err != nil {
			return fmt.Errorf("record %d: %w", i+1, err)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM events WHERE orchestrator = $1 AND (payload->>'timestamp')::bigint = $2`,
			r.Orchestrator, r.Timestamp).Scan(&n); err != nil {
			return err
		}
		posts = append(posts, post{Line: i + 1, Status: status, Body: asJSON(body), Stored: n == 1})
	}
	if _, err := db.Exec(ctx, `UPDATE events SET event_time = to_timestamp((payload->>'timestamp')::bigint)`); err != nil {
		return err
	}
	if err := ask(base, dir, reqs, "fixed"); err != nil {
		return err
	}
	if _, err := db.Exec(ctx, `UPDATE events SET event_time = to_timestamp((payload->>'timestamp')::bigint) + (now() - to_timestamp($1))`, now); err != nil {
		return err
	}
	if err := ask(base, dir, reqs, "now"); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, "posts.json"), posts); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "manifest.json"), manifest{
		Anchor: "github.com/livepeer/leaderboard-serverless", Commit: commit,
		Recorded: time.Now().UTC().Format(time.RFC3339),
		Records:  "records.jsonl", Posts: "posts.json", Now: now,
		Note: "written by scripts/anchor-golden.sh from the anchor's answers; do not edit. " +
			"clock fixed: records at their timestamps, windows explicit; clock now: records moved so that \"now\" is the anchor's clock.",
		Cases: reqs,
	})
}

// ask asks the requests of one clock and writes their answers.
func ask(base, dir string, reqs []request, clock string) error {
	for _, r := range reqs {
		if r.Clock != clock {
			continue
		}
		status, body, err := do(http.MethodGet, base+r.Path, nil, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
		if err := writeJSON(filepath.Join(dir, r.File), answer{Status: status, Body: asJSON(body)}); err != nil {
			return err
		}
		fmt.Printf("%-48s %d %d bytes\n", r.Name, status, len(body))
	}
	return nil
}

// do sends one request, signed as the anchor checks posts when secret is set.
func do(method, url string, body, secret []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if secret != nil {
		mac := hmac.New(sha256.New, secret)
		mac.Write(body)
		req.Header.Set("Authorization", hex.EncodeToString(mac.Sum(nil)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// asJSON keeps a JSON body as it is (without surrounding space) and turns
// any other body into a JSON string.
func asJSON(b []byte) json.RawMessage {
	if t := bytes.TrimSpace(b); json.Valid(t) {
		return t
	}
	s, _ := json.Marshal(string(b))
	return s
}

// writeJSON writes v indented, with & < > as they are (the requests hold &).
func writeJSON(path string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func readLines(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			out = append(out, l)
		}
	}
	return out, nil
}

// readRequests reads requests.tsv: "name<TAB>clock<TAB>path" lines, and the
// podium clock of the "now" requests from the "# now: UNIX" line.
func readRequests(path string) ([]request, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var reqs []request
	var now int64
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# now: "); ok {
			if now, err = strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
				return nil, 0, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || (f[1] != "fixed" && f[1] != "now") || !strings.HasPrefix(f[2], "/api/") {
			return nil, 0, fmt.Errorf("%s:%d: want name<TAB>fixed|now<TAB>/api/…", path, n)
		}
		reqs = append(reqs, request{Name: f[0], File: f[0] + ".json", Clock: f[1], Path: f[2]})
	}
	if now == 0 {
		return nil, 0, fmt.Errorf("%s: no \"# now: UNIX\" line", path)
	}
	return reqs, now, sc.Err()
}
