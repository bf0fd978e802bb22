// Package report writes a round's forum posts: the kickoff report at the
// start of a round, projections during it and the results after it, as
// Markdown, a PNG leaderboard table per region and an HTML page.
package report

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/rules"
)

// Kinds of report.
const (
	Kickoff    = "kickoff"
	Projection = "projection"
	Results    = "results"
)

// Input is what a report is made from. Snapshot is the round's snapshot for
// results, or one taken at the round's start (kickoff) or now (projection).
type Input struct {
	Kind     string
	Program  *podium.Program
	Round    int
	Snapshot *podium.Snapshot
	// Payments maps a recipient's address to its payout transaction, for
	// results once paid; may be nil.
	Payments map[string]string
	// Brink is how many points (0–10) under the lowest min_score still
	// count as "on the brink".
	Brink float64
	// Registry, when known, is the registry whose entries sharing a
	// service URI or host the report flags.
	Registry []podium.Orchestrator
}

// Report is a round's report, ready to render.
type Report struct {
	Kind        string
	Program     string
	Round       int
	Start, End  time.Time
	At          time.Time // the snapshot's time
	SnapshotAt  time.Time // the round's snapshot time
	Window      time.Duration
	Token       podium.TokenInfo
	MinScore    float64
	Excluded    []Line
	Qualified   []Line // in at least one non-regional pool
	Brink       []Line
	Unverified  []Line
	Regions     []Region
	Recipients  []Payee // projection and results
	Total       string
	Budget      string
	Left        string
	SnapshotID  string
	RulesID     string
	DistID      string
	Distributed *podium.Distribution
	// Shared are the registry entries that share a service URI or host.
	Shared []Shared
	// AIPools are the round's AI pools and their winners.
	AIPools []AIPool
}

// Shared is a group of registry entries on one host.
type Shared struct {
	Kind, Host string
	Members    []Line
}

// sharedOf groups the registry's entries that share a service URI or host.
func sharedOf(reg []podium.Orchestrator) []Shared {
	byAddr := map[string]podium.Orchestrator{}
	for _, o := range reg {
		byAddr[strings.ToLower(o.Address)] = o
	}
	var out []Shared
	for _, g := range podium.SharedEndpoints(reg) {
		s := Shared{Kind: g.Kind, Host: g.Host}
		for _, a := range g.Addresses {
			s.Members = append(s.Members, Line{Address: a, Name: byAddr[a].DisplayName()})
		}
		out = append(out, s)
	}
	return out
}

// Line names one orchestrator with a note.
type Line struct {
	Address string
	Name    string
	Note    string
}

// Region is one region's leaderboard and its regional award winners.
type Region struct {
	ID, Name string
	Rows     []Row
	Winners  []Line // the regional pool's recipients, by rank
}

// Row is one line of a leaderboard table; scores on the 0–10 scale.
type Row struct {
	Rank                    int // 0: not ranked (excluded or unverified)
	Address, Name           string
	Score, Success, Latency float64
	Tests                   int64
	Note                    string
}

// Payee is one recipient of a projected or final distribution.
type Payee struct {
	Address, Name, PayTo string
	Amount               string // token units, decimal
	Awards               string
	Tx                   string
}

// Build computes the round's outcome from the input's snapshot and lays
// the report out.
func Build(in Input) (*Report, error) {
	p := in.Program
	r, err := p.Round(in.Round)
	if err != nil {
		return nil, err
	}
	var out *rules.Outcome
	if in.Kind == Results {
		out, err = rules.Compute(p, r.ID, in.Snapshot)
	} else {
		out, err = rules.Project(p, r.ID, in.Snapshot)
	}
	if err != nil {
		return nil, fmt.Errorf("report round %d: %w", r.ID, err)
	}
	d := out.Distribution
	rep := &Report{
		Kind: in.Kind, Program: p.Name, Round: r.ID, Start: r.Start, End: r.End, SnapshotAt: r.Snapshot.At,
		At: in.Snapshot.At, Window: time.Duration(in.Snapshot.Until-in.Snapshot.Since) * time.Second,
		Token: p.Token.Info(), MinScore: minScore(r), SnapshotID: d.SnapshotID, RulesID: d.RulesID,
		Budget: podium.FormatAmount(r.Budget, p.Token.Decimals), Distributed: &d,
		Shared: sharedOf(in.Registry),
	}
	if rep.DistID, err = d.ID(); err != nil {
		return nil, err
	}
	total, _ := new(big.Int).SetString(d.Total, 10)
	left, _ := new(big.Int).SetString(d.Undistributed, 10)
	rep.Total, rep.Left = podium.FormatAmount(total, p.Token.Decimals), podium.FormatAmount(left, p.Token.Decimals)
	board := rules.NewBoard(p, r, in.Snapshot)
	name := in.Snapshot.Name
	for _, e := range r.Exclude {
		rep.Excluded = append(rep.Excluded, Line{Address: e.Address, Name: name(e.Address), Note: e.Reason})
	}
	regional, ai := map[string]bool{}, map[string]bool{}
	for _, pool := range r.Pools {
		switch {
		case pool.Eligible.IsAI():
			ai[pool.Name] = true
		case pool.Eligible.Top > 0:
			regional[pool.Name] = true
		}
	}
	qualified := map[string]bool{}
	type win struct {
		addr string
		rank int
	}
	winners := map[string][]win{}
	for _, rc := range d.Recipients {
		for _, a := range rc.Awards {
			switch {
			case ai[a.Pool]: // listed with the AI pools
			case regional[a.Pool]:
				winners[a.Region] = append(winners[a.Region], win{rc.Address, a.Rank})
			default:
				qualified[rc.Address] = true
			}
		}
	}
	for _, addr := range board.Addresses() {
		if _, ex := r.Excluded(addr); ex {
			continue
		}
		best, bestRegion := bestScore(board, r, addr)
		switch {
		case r.RequireVerified && !board.Verified(addr):
			note := "no verified rendition"
			if _, failures := board.Renditions(addr); failures > 0 {
				note = fmt.Sprintf("%d verification failures", failures)
				if failures == 1 {
					note = "1 verification failure"
				}
			}
			rep.Unverified = append(rep.Unverified, Line{Address: addr, Name: name(addr), Note: note})
		case qualified[addr]:
			rep.Qualified = append(rep.Qualified, Line{Address: addr, Name: name(addr), Note: fmt.Sprintf("%.2f in %s", best*10, bestRegion)})
		case best*10 >= rep.MinScore-in.Brink:
			rep.Brink = append(rep.Brink, Line{Address: addr, Name: name(addr), Note: fmt.Sprintf("%.2f in %s", best*10, bestRegion)})
		}
	}
	sortLines(rep.Qualified)
	sortLines(rep.Brink)
	sortLines(rep.Unverified)
	for _, reg := range r.Regions {
		rr := Region{ID: reg.ID, Name: reg.Name}
		for _, st := range board.Region(reg.ID) {
			row := Row{Rank: st.Rank, Address: st.Address, Name: name(st.Address), Score: st.Score.Total * 10,
				Success: st.Score.SuccessRate * 10, Latency: st.Score.RoundTripScore * 10, Tests: st.Tests}
			switch {
			case st.Excluded:
				row.Note = "excluded"
			case st.Unverified:
				row.Note = "unverified"
			}
			rr.Rows = append(rr.Rows, row)
		}
		ws := winners[reg.ID]
		sort.Slice(ws, func(i, j int) bool { return ws[i].rank < ws[j].rank })
		for _, w := range ws {
			rr.Winners = append(rr.Winners, Line{Address: w.addr, Name: name(w.addr), Note: fmt.Sprintf("#%d", w.rank)})
		}
		rep.Regions = append(rep.Regions, rr)
	}
	for _, rc := range d.Recipients {
		amt, _ := new(big.Int).SetString(rc.Amount, 10)
		pe := Payee{Address: rc.Address, Name: name(rc.Address), PayTo: rc.PayTo, Amount: podium.FormatAmount(amt, p.Token.Decimals), Tx: in.Payments[rc.Address]}
		for i, a := range rc.Awards {
			if i > 0 {
				pe.Awards += ", "
			}
			pe.Awards += a.Pool
			switch {
			case a.Pipeline != "":
				pe.Awards += fmt.Sprintf(" %s/%s %s", a.Pipeline, a.Model, a.Region)
				if a.Rank > 0 {
					pe.Awards += fmt.Sprintf(" #%d", a.Rank)
				}
			case a.Region != "":
				pe.Awards += fmt.Sprintf(" %s #%d", a.Region, a.Rank)
			}
		}
		rep.Recipients = append(rep.Recipients, pe)
	}
	rep.AIPools = aiPools(p, r, &d, board, name)
	return rep, nil
}

func minScore(r *podium.Round) float64 {
	m := 10.0
	for _, pool := range r.Pools {
		if !pool.Eligible.IsAI() {
			m = min(m, pool.Eligible.MinScore)
		}
	}
	return m
}

// bestScore returns addr's best total (0–1) over the round's regions.
func bestScore(b *rules.Board, r *podium.Round, addr string) (float64, string) {
	best, where := -1.0, ""
	for _, id := range r.RegionIDs() {
		if s, ok := b.Score(addr, id); ok && s.Total > best {
			best, where = s.Total, id
		}
	}
	return best, where
}

func sortLines(ls []Line) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].Name != ls[j].Name {
			return ls[i].Name < ls[j].Name
		}
		return ls[i].Address < ls[j].Address
	})
}
