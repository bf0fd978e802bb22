package program_test

import (
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium/program"
)

// FuzzParse checks that no input panics the parser and that whatever it
// accepts keeps the promise of docs/design.md §5.3: the pools cannot exceed the budget.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, path := range append(seeds, bad...) {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := program.Parse(b)
		if err != nil {
			return
		}
		for _, r := range p.Rounds {
			sum := new(big.Int)
			for _, pool := range r.Pools {
				m := pool.Max(&r)
				if m == nil {
					t.Fatalf("round %d pool %s is unbounded", r.ID, pool.Name)
				}
				sum.Add(sum, m)
			}
			if sum.Cmp(r.Budget) > 0 {
				t.Fatalf("round %d pools can pay %s over a budget of %s", r.ID, sum, r.Budget)
			}
			if _, err := p.RulesID(r.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}
