package program_test

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

var update = flag.Bool("update", false, "rewrite the expected errors of testdata/bad")

func TestParse(t *testing.T) {
	t.Run("OKRound1", func(t *testing.T) {
		p, _, err := program.Load("testdata/round1.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "mvp-performance-incentive" || p.Token.Symbol != "LPT" || p.Token.Decimals != 18 || p.Token.ChainID != 42161 {
			t.Fatalf("program %+v", p)
		}
		if p.Notice != 48*time.Hour || len(p.Regions) != 3 || p.Regions[2].ID != "SIN" {
			t.Fatalf("notice %v regions %+v", p.Notice, p.Regions)
		}
		if ex, ok := p.Excluded("0x3e2b450c0c499d8301146367680e067cd009db93"); !ok || ex.Reason != "operated by Livepeer Inc." {
			t.Fatalf("exclusion %+v", p.Exclude)
		}
		r, err := p.Round(1)
		if err != nil {
			t.Fatal(err)
		}
		if r.Start != time.Date(2020, 12, 14, 15, 0, 0, 0, time.UTC) || r.Snapshot.Window != 168*time.Hour || !r.RequireVerified {
			t.Fatalf("round %+v", r)
		}
		if r.Budget.String() != "7000000000000000000000" || len(r.Pools) != 2 {
			t.Fatalf("budget %s pools %d", r.Budget, len(r.Pools))
		}
		q, top := r.Pools[0], r.Pools[1]
		if q.Split != podium.SplitEqual || q.Amount.String() != "4000000000000000000000" || q.Eligible.MinScore != 3 || q.Eligible.Regions.Mode != podium.ScopeAny {
			t.Fatalf("qualified %+v", q)
		}
		if top.PerRecipient.String() != "200000000000000000000" || top.Eligible.Top != 5 || top.Eligible.Per != "region" || !top.Eligible.RequireVerified {
			t.Fatalf("regional-top5 %+v", top)
		}
		// 4000 + 3 × 5 × 200 = 7000 at most (docs/design.md §5.3).
		if m := top.Max(r); m.String() != "3000000000000000000000" {
			t.Fatalf("top5 max %s", m)
		}
		if w := program.Warnings(p); len(w) != 1 || !strings.Contains(w[0], "admin") {
			t.Fatalf("warnings %q", w)
		}
	})
	t.Run("OKRoundRegionsAndExclusions", func(t *testing.T) {
		b, _ := os.ReadFile("testdata/round1.yaml")
		text := strings.Replace(string(b), "    require_verified: true ",
			"    regions: [SIN, MDW]\n    exclude: [{address: \"0x00000000000000000000000000000000000000EE\", reason: test}]\n    require_verified: true ", 1)
		p, err := program.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		r, _ := p.Round(1)
		if ids := r.RegionIDs(); len(ids) != 2 || ids[0] != "MDW" || ids[1] != "SIN" {
			t.Fatalf("round regions %v, want program order [MDW SIN]", ids)
		}
		if _, ok := r.Excluded("0x00000000000000000000000000000000000000ee"); !ok {
			t.Fatal("the round's own exclusion is missing")
		}
		if _, ok := r.Excluded("0x3e2b450c0c499d8301146367680e067cd009db93"); !ok {
			t.Fatal("the program's exclusion is missing from the round")
		}
		if _, ok := p.Excluded("0x00000000000000000000000000000000000000ee"); ok {
			t.Fatal("a round's exclusion leaked to the program")
		}
		// 2 regions × top 5 × 200 + 4000.
		if m := r.Pools[1].Max(r); m.String() != "2000000000000000000000" {
			t.Fatalf("top5 max %s", m)
		}
	})
	t.Run("OKTestingPriceCap", func(t *testing.T) {
		b, _ := os.ReadFile("testdata/round1.yaml")
		p, err := program.Parse(append(b, "testing:\n  max_price_per_pixel: \"1200/1000\"\n"...))
		if err != nil {
			t.Fatal(err)
		}
		if p.Testing.MaxPrice == nil || p.Testing.MaxPrice.RatString() != "6/5" {
			t.Fatalf("cap %v, want 6/5 wei per pixel", p.Testing.MaxPrice)
		}
		if p, _, _ := program.Load("testdata/round1.yaml"); p.Testing.MaxPrice != nil {
			t.Fatalf("a program without a testing section caps at %v", p.Testing.MaxPrice)
		}
	})
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no bad program files")
	}
	for _, file := range files {
		name := "Err" + strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, body := splitWant(b)
			_, err = program.Parse(body)
			if err == nil {
				t.Fatal("parsed without error")
			}
			if podium.ErrorCode(err) != podium.EINVALID {
				t.Fatalf("code %q, want invalid: %v", podium.ErrorCode(err), err)
			}
			if *update {
				out := append([]byte("# want: "+err.Error()+"\n"), body...)
				if err := os.WriteFile(file, out, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err.Error() != want {
				t.Fatalf("error\n got: %s\nwant: %s", err, want)
			}
		})
	}
}

// splitWant returns the expected error from a "# want: " first line and the
// file without that line.
func splitWant(b []byte) (string, []byte) {
	line, err := bufio.NewReader(bytes.NewReader(b)).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "# want: ") {
		return "", b
	}
	return strings.TrimSuffix(strings.TrimPrefix(line, "# want: "), "\n"), b[len(line):]
}
