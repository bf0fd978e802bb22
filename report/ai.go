package report

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
)

// AIPool is one AI pool of the round and who it pays.
type AIPool struct {
	Name    string
	Rule    string // the pool's rule in words
	Winners []AIWinner
}

// AIWinner is one award of an AI pool: the AI score that earned it, on the
// 0–10 scale, and where it was met.
type AIWinner struct {
	Rank                    int // 0 for a pool without top
	Address, Name           string
	Pipeline, Model, Region string
	Score                   float64
	Amount                  string // token units
}

// aiPools lays out the AI pools of round r from the distribution d.
func aiPools(p *podium.Program, r *podium.Round, d *podium.Distribution, board *rules.Board, name func(string) string) []AIPool {
	var out []AIPool
	for _, pool := range r.Pools {
		if !pool.Eligible.IsAI() {
			continue
		}
		ap := AIPool{Name: pool.Name, Rule: aiRule(pool)}
		for _, rc := range d.Recipients {
			for _, a := range rc.Awards {
				if a.Pool != pool.Name {
					continue
				}
				s, _ := board.AIScore(rc.Address, rules.AICell{Pipeline: a.Pipeline, Model: a.Model, Region: a.Region})
				amt, _ := new(big.Int).SetString(a.Amount, 10)
				ap.Winners = append(ap.Winners, AIWinner{Rank: a.Rank, Address: rc.Address, Name: name(rc.Address),
					Pipeline: a.Pipeline, Model: a.Model, Region: a.Region, Score: s.Total * 10,
					Amount: podium.FormatAmount(amt, p.Token.Decimals)})
			}
		}
		per := pool.Eligible.Per
		sort.Slice(ap.Winners, func(i, j int) bool {
			a, b := ap.Winners[i], ap.Winners[j]
			if per == podium.PerPipeline && a.Pipeline != b.Pipeline {
				return a.Pipeline < b.Pipeline
			}
			if per == podium.PerRegion && a.Region != b.Region {
				return a.Region < b.Region
			}
			if a.Rank != b.Rank {
				return a.Rank < b.Rank
			}
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.Address < b.Address
		})
		out = append(out, ap)
	}
	return out
}

// aiRule says an AI pool's rule in words.
func aiRule(pool podium.Pool) string {
	e := pool.Eligible
	on := "any AI pipeline"
	switch {
	case e.Model != "":
		on = e.Pipeline + " / " + e.Model
	case e.Pipeline != "":
		on = e.Pipeline + " (any model)"
	}
	where := "in at least one region"
	switch e.Regions.Mode {
	case podium.ScopeAll:
		where = "in every region"
	case podium.ScopeList:
		where = "in one of " + strings.Join(e.Regions.IDs, ", ")
	}
	if e.Top > 0 {
		return fmt.Sprintf("top %d per %s with an AI score ≥ %g on %s", e.Top, e.Per, e.MinScore, on)
	}
	return fmt.Sprintf("everyone with an AI score ≥ %g on %s %s", e.MinScore, on, where)
}
