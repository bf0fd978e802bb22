package rules_test

import (
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/round1"
	"github.com/podiumhq/podium/rules"
)

func lpt(s string) string {
	v, err := podium.ParseAmount(s, 18)
	if err != nil {
		panic(err)
	}
	return v.String()
}

func TestCompute_Round1(t *testing.T) {
	p := loadProgram(t, "round1.yaml")
	reg := []podium.Orchestrator{{Address: round1.MajOrcha, Name: "majOrcha", PayoutAddress: "0x2000000000000000000000000000000000000002"}}
	out, err := rules.Compute(p, 1, snap(t, p, 1, round1.Records(), reg))
	if err != nil {
		t.Fatal(err)
	}
	if got := round1.Describe(out.Distribution); got != round1.Want {
		t.Fatalf("distribution\n got:\n%s\nwant:\n%s", got, round1.Want)
	}
	if out.Pools[0].Paid.String() != "3999999999999999999997" || out.Pools[1].Paid.String() != lpt("2000") || out.Pools[1].Recipients != 10 {
		t.Fatalf("pools %+v %+v", out.Pools[0], out.Pools[1])
	}
}
