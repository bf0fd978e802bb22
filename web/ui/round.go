package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/podiumhq/podium"
)

// roundsView is the content of the rounds list.
type roundsView struct {
	Loaded bool
	Now    time.Time
	Rounds []Round
}

func (h *Handler) rounds(w http.ResponseWriter, r *http.Request) {
	rv := roundsView{Loaded: h.cfg.Rounds != nil, Now: h.cfg.Now()}
	if h.cfg.Rounds != nil {
		var err error
		if rv.Rounds, err = h.cfg.Rounds.Rounds(r.Context()); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "rounds", page{Title: "Rounds", Nav: "rounds", Data: rv})
}

// download is a published file offered on a round's page.
type download struct {
	Name   string // file name under /rounds/{id}/
	Label  string
	Size   int
	SHA256 string // hex digest of the bytes served
}

// roundView is the content of a round's page.
type roundView struct {
	*Round
	Now        time.Time
	Phase      string
	Projection *podium.Distribution
	Payments   []Payment
	PayoutsOn  bool
	TxURL      string
	Downloads  []download
}

// Current returns the version in force, the last one published.
func (v roundView) Current() *RulesVersion {
	if len(v.Rules) == 0 {
		return nil
	}
	return &v.Rules[len(v.Rules)-1]
}

// Paid reports how many payments are confirmed.
func (v roundView) Paid() int {
	n := 0
	for _, p := range v.Payments {
		if p.Status == PaymentConfirmed {
			n++
		}
	}
	return n
}

func (h *Handler) round(w http.ResponseWriter, r *http.Request) {
	rd, err := h.findRound(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.cfg.Now()
	rv := roundView{Round: rd, Now: now, Phase: rd.phase(now), PayoutsOn: h.cfg.Payouts != nil, TxURL: h.cfg.TxURL}
	if rv.Phase == "running" || rv.Phase == "snapshot due" {
		if rv.Projection, err = h.cfg.Rounds.Projection(r.Context(), rd.ID); err != nil && podium.ErrorCode(err) != podium.ENOTFOUND {
			h.fail(w, r, err)
			return
		}
	}
	if h.cfg.Payouts != nil && rd.Distribution != nil {
		if rv.Payments, err = h.cfg.Payouts.Payments(r.Context(), rd.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if len(rv.Payments) > 0 && rv.Paid() == len(rv.Payments) {
		rv.Phase = "paid"
	}
	for _, f := range files {
		if b := f.data(rd); b != nil {
			sum := sha256.Sum256(b)
			rv.Downloads = append(rv.Downloads, download{Name: f.name, Label: f.label, Size: len(b), SHA256: hex.EncodeToString(sum[:])})
		}
	}
	h.render(w, r, http.StatusOK, "round", page{Title: "Round " + strconv.Itoa(rd.ID), Nav: "rounds", Data: rv})
}

// files are the downloads a round page offers, once they exist.
var files = []struct {
	name, label, mime string
	data              func(*Round) []byte
}{
	{"snapshot.json", "Snapshot (JSON)", "application/json", func(r *Round) []byte {
		if r.Snapshot == nil {
			return nil
		}
		return r.Snapshot.Data
	}},
	{"distribution.json", "Distribution (JSON)", "application/json", func(r *Round) []byte {
		if r.Distribution == nil {
			return nil
		}
		return r.Distribution.JSON
	}},
	{"distribution.csv", "Distribution (CSV)", "text/csv; charset=utf-8", func(r *Round) []byte {
		if r.Distribution == nil {
			return nil
		}
		return r.Distribution.CSV
	}},
	{"results.md", "Results report (Markdown)", "text/markdown; charset=utf-8", func(r *Round) []byte {
		if r.Report == nil {
			return nil
		}
		return r.Report.Data
	}},
}

// download serves a round's published file byte for byte, so its SHA-256
// matches the one on the page.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	rd, err := h.findRound(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range files {
		if f.name != r.PathValue("file") {
			continue
		}
		b := f.data(rd)
		if b == nil {
			break
		}
		w.Header().Set("Content-Type", f.mime)
		w.Header().Set("Content-Disposition", `attachment; filename="round-`+strconv.Itoa(rd.ID)+"-"+f.name+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
		return
	}
	h.fail(w, r, podium.Errorf(podium.ENOTFOUND, "round %d has no %s yet", rd.ID, r.PathValue("file")).WithHint("the round page lists the files published so far"))
}

func (h *Handler) findRound(r *http.Request) (*Round, error) {
	if h.cfg.Rounds == nil {
		return nil, podium.Errorf(podium.ENOTFOUND, "no program is loaded").WithHint("start podium serve with --program FILE")
	}
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 0 {
		return nil, podium.FieldError("id", "%q is not a round number", r.PathValue("id"))
	}
	return h.cfg.Rounds.Round(r.Context(), id)
}

// PaymentFor returns the payment to the recipient addr, nil when none is
// planned.
func (v roundView) PaymentFor(addr string) *Payment {
	for i := range v.Payments {
		if v.Payments[i].Recipient == addr {
			return &v.Payments[i]
		}
	}
	return nil
}

// WindowStart is the start of the snapshot's window.
func (v roundView) WindowStart() time.Time { return v.SnapshotAt.Add(-v.Window) }
