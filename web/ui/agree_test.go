package ui_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/round"
	"github.com/podiumhq/podium/server"
)

// projectedRE reads a recipients table: each row's address and amount in
// base units.
var projectedRE = regexp.MustCompile(`(?s)<tr data-address="(0x[0-9a-f]{40})">.*?title="(\d+) base units"`)

// TestRounds_APIAndPagesAgree serves the API and the pages through
// server.New, as podium serve does, and checks that they project the same
// recipients and amounts for the same round at the same time.
func TestRounds_APIAndPagesAgree(t *testing.T) {
	db, roles := serveDB(t)
	svc := programRounds(t, roles)
	p := svc.Program
	for _, at := range []time.Time{testNow, p.Rounds[1].Snapshot.At.Add(-30 * time.Second)} {
		t.Run(at.Format(time.RFC3339), func(t *testing.T) {
			srv := startServe(t, server.Config{Store: db, Program: p, ProgramText: svc.Text, Registry: svc.Registry,
				Now: func() time.Time { return at }})

			resp, err := http.Get(srv.URL() + "/api/v1/rounds/2/projection")
			if err != nil {
				t.Fatal(err)
			}
			var proj round.Projection
			if err := json.NewDecoder(resp.Body).Decode(&proj); err != nil || resp.StatusCode != 200 {
				t.Fatalf("projection: %d %v", resp.StatusCode, err)
			}
			resp.Body.Close()
			want := map[string]string{}
			for _, r := range proj.Distribution.Recipients {
				want[r.Address] = r.Amount
			}

			resp, err = http.Get(srv.URL() + "/rounds/2")
			if err != nil {
				t.Fatal(err)
			}
			page, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("round page: %d %v", resp.StatusCode, err)
			}
			body := string(page)
			_, section, ok := strings.Cut(body, `<section id="projection">`)
			section, _, _ = strings.Cut(section, "</section>")
			if !ok {
				t.Fatalf("the round page shows no projection at %s", at)
			}
			got := map[string]string{}
			for _, m := range projectedRE.FindAllStringSubmatch(section, -1) {
				got[m[1]] = m[2]
			}
			if len(want) == 0 || len(got) != len(want) {
				t.Fatalf("the API projects %d recipients, the page %d", len(want), len(got))
			}
			for a, amt := range want {
				if got[a] != amt {
					t.Errorf("%s: the API projects %s, the page %s", a, amt, got[a])
				}
			}
		})
	}
}
