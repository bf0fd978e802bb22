package main

import (
	"bytes"
	"context"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/program"
	"github.com/podiumhq/podium/server"
	"github.com/podiumhq/podium/store"
	"github.com/podiumhq/podium/web"
)

// programServer serves /api/v1/rounds for the program file round1.yaml
// with extra appended, through the server `podium serve --program` runs.
func programServer(t *testing.T, extra string) string {
	t.Helper()
	b, err := os.ReadFile("../../program/testdata/round1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := program.Parse(append(b, extra...))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2020, 12, 18, 15, 0, 0, 0, time.UTC)
	srv, err := server.New(server.Config{Store: db, Program: p, Secret: []byte(testSecret), Listen: "127.0.0.1:0",
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv.URL()
}

func TestPriceCap_Update(t *testing.T) {
	capped := programServer(t, "testing:\n  max_price_per_pixel: \"1500\"\n")
	uncapped := programServer(t, "")
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // nothing listens here any more
	for _, tc := range []struct {
		name, url string
		flag      *big.Rat
		want      string // the cap in force, "none" for none
		log       string
	}{
		{"OKProgramLower", capped, big.NewRat(2000, 1), "1500", "from=\"program mvp-performance-incentive\""},
		{"OKFlagLower", capped, big.NewRat(1000, 1), "1000", "from=flag"},
		{"OKProgramWithoutFlag", capped, nil, "1500", "program=1500"},
		{"OKProgramWithoutCap", uncapped, big.NewRat(1200, 1), "1200", "the program sets no cap"},
		{"ErrLeaderboardDown", down.URL, big.NewRat(1200, 1), "1200", "the flag alone applies"},
		{"ErrLeaderboardDownNoFlag", down.URL, nil, "none", "the flag alone applies"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			payer := &lpnet.Payer{MaxPrice: tc.flag}
			pc := &priceCap{flag: tc.flag, rounds: web.NewClient(tc.url, nil).Rounds, payer: payer,
				log: slog.New(slog.NewTextHandler(&logs, nil))}
			got := pc.update(context.Background())
			if ratOrNone(got) != tc.want || ratOrNone(payer.Cap()) != tc.want {
				t.Fatalf("cap %s, payer's %s; want %s", ratOrNone(got), ratOrNone(payer.Cap()), tc.want)
			}
			if !strings.Contains(logs.String(), tc.log) {
				t.Fatalf("the log does not say %q:\n%s", tc.log, logs.String())
			}
			// The same cap again is not logged again.
			logs.Reset()
			pc.update(context.Background())
			if logs.Len() != 0 {
				t.Fatalf("an unchanged cap was logged again: %s", logs.String())
			}
		})
	}
}
