package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// ImageName is the file name of a region's leaderboard image.
func (r *Report) ImageName(region string) string {
	return fmt.Sprintf("round-%d-%s-%s.png", r.Round, r.Kind, strings.ToLower(region))
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func window(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		n := int(d / (24 * time.Hour))
		if n == 7 {
			return "past week"
		}
		return fmt.Sprintf("past %d days", n)
	}
	return "past " + d.String()
}

func (r *Report) title() string {
	switch r.Kind {
	case Kickoff:
		return fmt.Sprintf("Round %d kickoff report", r.Round)
	case Projection:
		return fmt.Sprintf("Round %d projection, %s", r.Round, day(r.At))
	default:
		return fmt.Sprintf("Round %d results", r.Round)
	}
}

func (r *Report) when() string {
	switch r.Kind {
	case Kickoff:
		return fmt.Sprintf("At the start of round %d", r.Round)
	case Projection:
		return fmt.Sprintf("As of %s", day(r.At))
	default:
		return fmt.Sprintf("In the round %d snapshot (%s)", r.Round, day(r.At))
	}
}

// Markdown renders the report as a forum post.
func (r *Report) Markdown() []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# %s — %s\n\n", r.Program, r.title())
	w("Round %d runs from %s to %s. Standings are the leaderboard's %s view (%s to %s).\n\n",
		r.Round, day(r.Start), day(r.End), window(r.Window), day(r.At.Add(-r.Window)), day(r.At))
	for _, e := range r.Excluded {
		w("Note: %s is excluded from the summary below per program rules: %s\n\n", e.Address, e.Note)
	}
	w("%s, the following orchestrators have a total score ≥ %g in at least one region for the %s:\n\n", r.when(), r.MinScore, window(r.Window))
	list(&b, r.Qualified, false)
	if len(r.Brink) > 0 {
		w("On the brink of joining this group:\n\n")
		list(&b, r.Brink, true)
	}
	if len(r.Unverified) > 0 {
		w("Not eligible, because their renditions were not verified:\n\n")
		list(&b, r.Unverified, true)
	}
	if len(r.Shared) > 0 {
		w("Registry entries that share a service URI or a host (one operator's several entries, or one entry pointing at another's node; each test is bound to its entry's key):\n\n")
		for _, s := range r.Shared {
			names := make([]string, len(s.Members))
			for i, m := range s.Members {
				names[i] = m.Name
				if m.Name != m.Address {
					names[i] += " (" + m.Address + ")"
				}
			}
			w("- %s `%s`: %s\n", s.Kind, s.Host, strings.Join(names, ", "))
		}
		w("\n")
	}
	for _, reg := range r.Regions {
		w("## %s\n\n", reg.Name)
		w("![%s leaderboard](%s)\n\n", reg.Name, r.ImageName(reg.ID))
		table(&b, reg.Rows)
		verb := "currently eligible for"
		if r.Kind == Results {
			verb = "receiving"
		}
		w("Orchestrators %s the regional %s rewards:\n\n", verb, r.Token.Symbol)
		list(&b, reg.Winners, false)
	}
	for _, ap := range r.AIPools {
		w("## AI pool %s\n\n", ap.Name)
		w("%s. Scores are the leaderboard's AI scores (0.65 × success + 0.35 × round trip score against the median of the pipeline, model and region).\n\n", upperFirst(ap.Rule))
		aiTable(&b, ap.Winners)
	}
	if r.Kind != Kickoff {
		head := "Projected rewards if the round ended now"
		if r.Kind == Results {
			head = "Rewards"
		}
		w("## %s\n\n", head)
		w("| Orchestrator | Address | Amount (%s) | Awards |", r.Token.Symbol)
		if r.Kind == Results {
			w(" Transaction |")
		}
		w("\n|---|---|---:|---|")
		if r.Kind == Results {
			w("---|")
		}
		w("\n")
		for _, p := range r.Recipients {
			addr := p.Address
			if p.PayTo != "" {
				addr += " → " + p.PayTo
			}
			w("| %s | %s | %s | %s |", p.Name, addr, p.Amount, p.Awards)
			if r.Kind == Results {
				tx := p.Tx
				if tx == "" {
					tx = "not paid yet"
				}
				w(" %s |", tx)
			}
			w("\n")
		}
		w("\nTotal %s %s of a %s %s budget; %s %s undistributed.\n\n", r.Total, r.Token.Symbol, r.Budget, r.Token.Symbol, r.Left, r.Token.Symbol)
		if r.Kind == Results {
			w("Snapshot `%s`, rules `%s`, distribution `%s`. Anyone can recompute it with `podium verify`.\n", r.SnapshotID, r.RulesID, r.DistID)
		} else {
			w("A projection only: the rewards come from the round's snapshot at %s.\n", day(r.SnapshotAt))
		}
	}
	return b.Bytes()
}

func list(b *bytes.Buffer, ls []Line, notes bool) {
	if len(ls) == 0 {
		b.WriteString("- none\n\n")
		return
	}
	for _, l := range ls {
		fmt.Fprintf(b, "- %s", l.Name)
		if notes && l.Note != "" {
			fmt.Fprintf(b, " (%s)", l.Note)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func table(b *bytes.Buffer, rows []Row) {
	b.WriteString("| # | Orchestrator | Score | Success | Latency | Tests |\n|---:|---|---:|---:|---:|---:|\n")
	for _, r := range rows {
		rank := "–"
		if r.Rank > 0 {
			rank = fmt.Sprint(r.Rank)
		}
		name := r.Name
		if r.Note != "" {
			name += " (" + r.Note + ")"
		}
		fmt.Fprintf(b, "| %s | %s | %.2f | %.2f | %.2f | %d |\n", rank, name, r.Score, r.Success, r.Latency, r.Tests)
	}
	b.WriteString("\n")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func aiTable(b *bytes.Buffer, ws []AIWinner) {
	if len(ws) == 0 {
		b.WriteString("- none\n\n")
		return
	}
	b.WriteString("| # | Orchestrator | Pipeline | Model | Region | AI score | Amount |\n|---:|---|---|---|---|---:|---:|\n")
	for _, w := range ws {
		rank := "–"
		if w.Rank > 0 {
			rank = fmt.Sprint(w.Rank)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %.2f | %s |\n", rank, w.Name, w.Pipeline, w.Model, w.Region, w.Score, w.Amount)
	}
	b.WriteString("\n")
}
