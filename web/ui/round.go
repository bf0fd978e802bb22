package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/round"
)

// roundsView is the content of the rounds list.
type roundsView struct {
	Loaded bool
	Rounds []round.Round
}

func (h *Handler) rounds(w http.ResponseWriter, r *http.Request) {
	rv := roundsView{Loaded: h.cfg.Rounds != nil}
	if h.cfg.Rounds != nil {
		rounds, err := h.cfg.Rounds.Rounds(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		rv.Rounds = rounds
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
	*round.Round
	Now time.Time
	// Pools says in words who each pool pays, under the rules in force.
	Pools      []string
	Projection *podium.Distribution
	PayoutsOn  bool
	TxURL      string
	Downloads  []download
}

// Current returns the version in force, the last one published.
func (v roundView) Current() *round.RulesVersion {
	if len(v.Rules) == 0 {
		return nil
	}
	return &v.Rules[len(v.Rules)-1]
}

// Paid reports how many payments are confirmed.
func (v roundView) Paid() int {
	n := 0
	for _, p := range v.Payments {
		if p.Status == round.PaymentConfirmed {
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
	rv := roundView{Round: rd, Now: h.cfg.Now(), PayoutsOn: h.cfg.Rounds.TracksPayouts(), TxURL: h.cfg.TxURL}
	for _, pool := range rd.Spec.Pools {
		rv.Pools = append(rv.Pools, describePool(pool, rd.Token, rd.Spec.RequireVerified))
	}
	if rd.Distribution == nil && (rd.Phase == round.Running || rd.Phase == round.Ended) {
		p, err := h.cfg.Rounds.Projection(r.Context(), rd.ID)
		if err != nil && podium.ErrorCode(err) != podium.ENOTFOUND {
			h.fail(w, r, err)
			return
		}
		if p != nil {
			rv.Projection = &p.Distribution
		}
	}
	for _, f := range files(rd) {
		sum := sha256.Sum256(f.data)
		rv.Downloads = append(rv.Downloads, download{Name: f.name, Label: f.label, Size: len(f.data), SHA256: hex.EncodeToString(sum[:])})
	}
	h.render(w, r, http.StatusOK, "round", page{Title: "Round " + strconv.Itoa(rd.ID), Nav: "rounds", Data: rv})
}

// file is one published file of a round, served under /rounds/{id}/.
type file struct {
	name, label, mime string
	data              []byte
}

// files lists the round's published files that exist so far.
func files(r *round.Round) []file {
	var fs []file
	add := func(name, label, mime string, data []byte) {
		if data != nil {
			fs = append(fs, file{name, label, mime, data})
		}
	}
	if r.Snapshot != nil {
		add("snapshot.json", "Snapshot (JSON)", "application/json", r.Snapshot.Data)
	}
	if d := r.Distribution; d != nil {
		add("distribution.json", "Distribution (JSON)", "application/json", d.JSON)
		add("distribution.csv", "Distribution (CSV)", "text/csv; charset=utf-8", d.CSV)
	}
	if rep := r.Report; rep != nil {
		add("results.md", "Results report (Markdown)", "text/markdown; charset=utf-8", rep.Markdown)
		add("results.html", "Results report (HTML)", "text/html; charset=utf-8", rep.HTML)
		for _, img := range rep.Images {
			add(img.Name, "Results table "+img.Region+" (PNG)", "image/png", img.PNG)
		}
	}
	return fs
}

// download serves a round's published file byte for byte, so its SHA-256
// matches the one on the page.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	rd, err := h.findRound(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range files(rd) {
		if f.name != r.PathValue("file") {
			continue
		}
		w.Header().Set("Content-Type", f.mime)
		// A published HTML report carries its own inline styles and images.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'")
		if f.mime != "image/png" {
			name := f.name
			if !strings.HasPrefix(name, "round-") {
				name = "round-" + strconv.Itoa(rd.ID) + "-" + name
			}
			w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
		w.Write(f.data)
		return
	}
	h.fail(w, r, podium.Errorf(podium.ENOTFOUND, "round %d has no %s yet", rd.ID, r.PathValue("file")).WithHint("the round page lists the files published so far"))
}

func (h *Handler) findRound(r *http.Request) (*round.Round, error) {
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
func (v roundView) PaymentFor(addr string) *round.Payment {
	for i := range v.Payments {
		if v.Payments[i].Recipient == addr {
			return &v.Payments[i]
		}
	}
	return nil
}

// WindowStart is the start of the snapshot's window.
func (v roundView) WindowStart() time.Time { return v.SnapshotAt.Add(-v.Window) }

// Name returns the registry name of addr, "" when none is known.
func (v roundView) Name(addr string) string { return v.Names[addr] }
