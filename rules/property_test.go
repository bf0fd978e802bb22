package rules_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
)

// randomRound returns a program with random pools within its budget and a
// random set of records for it.
func randomRound(t *testing.T, rng *rand.Rand) (*podium.Program, []podium.Stats) {
	t.Helper()
	var pools strings.Builder
	budget := 0
	for i := 0; i < 1+rng.IntN(4); i++ {
		amount := 1 + rng.IntN(1000)
		min := rng.IntN(8)
		scope := []string{"any", "all", "[AAA]", "[BBB, AAA]"}[rng.IntN(4)]
		switch rng.IntN(4) {
		case 0:
			fmt.Fprintf(&pools, "      - {name: p%d, amount: \"%d\", split: equal, eligible: {min_score: %d, regions: %s}}\n", i, amount, min, scope)
			budget += amount
		case 1:
			fmt.Fprintf(&pools, "      - {name: p%d, amount: \"%d\", split: proportional, eligible: {min_score: %d, regions: %s}}\n", i, amount, min, scope)
			budget += amount
		case 2:
			per, top := 1+rng.IntN(50), 1+rng.IntN(4)
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&pools, "      - {name: p%d, per_recipient: \"%d\", eligible: {min_score: %d, top: %d, per: region}}\n", i, per, min, top)
				budget += per * top * 2
			} else { // capped below what the top places could take
				fmt.Fprintf(&pools, "      - {name: p%d, per_recipient: \"%d\", amount: \"%d\", eligible: {min_score: %d, top: %d, per: region}}\n", i, per, amount, min, top)
				budget += amount
			}
		default:
			fmt.Fprintf(&pools, "      - {name: p%d, per_recipient: \"%d\", amount: \"%d\", eligible: {min_score: %d, regions: %s}}\n", i, 1+rng.IntN(100), amount, min, scope)
			budget += amount
		}
	}
	budget += randomAIPools(rng, &pools)
	p := kindsProgram(t, fmt.Sprint(budget+rng.IntN(10)), pools.String())
	var recs []podium.Stats
	for i := 0; i < rng.IntN(40); i++ {
		a := byte(1 + rng.IntN(12))
		if rng.IntN(10) == 0 {
			a = 0xee
		}
		r := rec(a, []string{"AAA", "BBB"}[rng.IntN(2)], float64(rng.IntN(11))/10, 0.2+rng.Float64()*3)
		r.TestID = fmt.Sprintf("t%d", i)
		r.Timestamp -= int64(rng.IntN(30 * 3600)) // some fall before the 24 h window
		if rng.IntN(8) == 0 {
			r.VerificationFailures = 1
		}
		recs = append(recs, r)
	}
	for i := 0; i < rng.IntN(60); i++ {
		a := byte(1 + rng.IntN(12))
		if rng.IntN(10) == 0 {
			a = 0xee
		}
		pm := [][2]string{{"up", "m1"}, {"up", "m9"}, {"llm", "m2"}}[rng.IntN(3)]
		r := aiRec(a, []string{"AAA", "BBB"}[rng.IntN(2)], pm[0], pm[1], []float64{0, 0.5, 1, 1}[rng.IntN(4)], float64(rng.IntN(20))/4)
		r.TestID = fmt.Sprintf("ai%d", i)
		r.Timestamp -= int64(rng.IntN(30 * 3600))
		recs = append(recs, r)
	}
	return p, recs
}

// randomAIPools writes zero to two random AI pools and returns the most
// they can pay.
func randomAIPools(rng *rand.Rand, pools *strings.Builder) int {
	budget := 0
	for i := 0; i < rng.IntN(3); i++ {
		amount, min := 1+rng.IntN(1000), rng.IntN(10)
		scope := []string{"any", "all", "[AAA]", "[BBB, AAA]"}[rng.IntN(4)]
		on := []string{"", "pipeline: up, ", "pipeline: up, model: m1, ", "pipeline: llm, model: m2, "}[rng.IntN(4)]
		per, top := 1+rng.IntN(50), 1+rng.IntN(4)
		switch rng.IntN(5) {
		case 0:
			fmt.Fprintf(pools, "      - {name: ai%d, amount: \"%d\", split: equal, eligible: {job_type: ai, %smin_score: %d, regions: %s}}\n", i, amount, on, min, scope)
			budget += amount
		case 1:
			fmt.Fprintf(pools, "      - {name: ai%d, amount: \"%d\", split: proportional, eligible: {job_type: ai, %smin_score: %d, regions: %s}}\n", i, amount, on, min, scope)
			budget += amount
		case 2:
			fmt.Fprintf(pools, "      - {name: ai%d, per_recipient: \"%d\", eligible: {job_type: ai, pipeline: up, model: m1, min_score: %d, top: %d, per: region}}\n", i, per, min, top)
			budget += per * top * 2
		case 3: // per pipeline over any pipeline: capped
			fmt.Fprintf(pools, "      - {name: ai%d, per_recipient: \"%d\", amount: \"%d\", eligible: {job_type: ai, min_score: %d, top: %d, per: pipeline, regions: %s}}\n", i, per, amount, min, top, scope)
			budget += amount
		default:
			fmt.Fprintf(pools, "      - {name: ai%d, per_recipient: \"%d\", eligible: {job_type: ai, pipeline: llm, min_score: %d, top: %d, per: pipeline}}\n", i, per, min, top)
			budget += per * top
		}
	}
	return budget
}

func TestCompute_Properties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	aiAwards := 0
	for i := 0; i < 300; i++ {
		p, recs := randomRound(t, rng)
		r, _ := p.Round(1)
		out, err := rules.Compute(p, 1, snap(t, p, 1, recs, nil))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		d := out.Distribution
		total, _ := new(big.Int).SetString(d.Total, 10)
		if total.Cmp(r.Budget) > 0 {
			t.Fatalf("case %d: total %s exceeds budget %s", i, total, r.Budget)
		}
		perPool := map[string]*big.Int{}
		sum := new(big.Int)
		for _, rc := range d.Recipients {
			if rc.Address == addr(0xee) {
				t.Fatalf("case %d: excluded address paid %s", i, rc.Amount)
			}
			amt, _ := new(big.Int).SetString(rc.Amount, 10)
			sum.Add(sum, amt)
			for _, a := range rc.Awards {
				if a.Pipeline != "" {
					aiAwards++
				}
				v, _ := new(big.Int).SetString(a.Amount, 10)
				if perPool[a.Pool] == nil {
					perPool[a.Pool] = new(big.Int)
				}
				perPool[a.Pool].Add(perPool[a.Pool], v)
			}
		}
		if sum.Cmp(total) != 0 {
			t.Fatalf("case %d: recipients sum to %s, total says %s", i, sum, total)
		}
		for _, pool := range r.Pools {
			if paid := perPool[pool.Name]; paid != nil && paid.Cmp(pool.Max(r)) > 0 {
				t.Fatalf("case %d: pool %s paid %s, more than %s", i, pool.Name, paid, pool.Max(r))
			}
		}
		// Same inputs, in any record order, give the same bytes.
		shuffled := append([]podium.Stats{}, recs...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		again, err := rules.Compute(p, 1, snap(t, p, 1, shuffled, nil))
		if err != nil {
			t.Fatal(err)
		}
		b1, _ := out.Distribution.Canonical()
		b2, _ := again.Distribution.Canonical()
		if string(b1) != string(b2) {
			t.Fatalf("case %d: different bytes for the same inputs:\n%s\n%s", i, b1, b2)
		}
	}
	if aiAwards < 100 {
		t.Fatalf("only %d AI awards in 300 cases: the cases do not exercise the AI pools", aiAwards)
	}
	t.Logf("%d AI awards", aiAwards)
}
