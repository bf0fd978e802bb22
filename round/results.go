package round

import (
	"fmt"
	"sync"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
)

// Distribution is a round's distribution, decoded for display and as
// published (canonical JSON and CSV) for download.
type Distribution struct {
	podium.Distribution
	ID   string // "sha256:…" of JSON
	JSON []byte
	CSV  []byte
}

// Report is a round's results report as published: a forum post in
// Markdown, the same as one HTML page, and a PNG table per region.
type Report struct {
	Markdown []byte
	HTML     []byte
	Images   []Image
}

// Image is one region's leaderboard table of a report.
type Image struct {
	Region string
	Name   string // file name, e.g. "round-1-results-fra.png"
	PNG    []byte
}

// results caches what a snapshot decides: distributions by round and
// snapshot, reports by round, snapshot and payout progress (a report names
// the confirmed transactions). Both are pure functions of those, and
// drawing a report's tables is not free.
type results struct {
	mu      sync.Mutex
	dists   map[string]*Distribution
	reports map[string]*Report
}

// distribution computes round id's distribution from its snapshot snap,
// whose id is snapID, once.
func (s *Service) distribution(id int, snapID string, snap *podium.Snapshot) (*Distribution, error) {
	c := &s.results
	key := fmt.Sprintf("%d %s", id, snapID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.dists[key]; ok {
		return d, nil
	}
	out, err := rules.Compute(s.Program, id, snap)
	if err != nil {
		return nil, err
	}
	d := out.Distribution
	js, err := d.Canonical()
	if err != nil {
		return nil, err
	}
	dist := &Distribution{Distribution: d, ID: podium.ContentID(js), JSON: js, CSV: report.DistributionCSV(&d, snap.Name)}
	if c.dists == nil {
		c.dists = map[string]*Distribution{}
	}
	c.dists[key] = dist
	return dist, nil
}

// report builds round id's results report from its snapshot and the
// confirmed payments, once per payout progress.
func (s *Service) report(id int, snapID string, snap *podium.Snapshot, pays []Payment) (*Report, error) {
	txs := map[string]string{}
	for _, p := range pays {
		if p.Status == PaymentConfirmed && p.TxHash != "" {
			txs[p.Recipient] = p.TxHash
		}
	}
	c := &s.results
	key := fmt.Sprintf("%d %s %v", id, snapID, txs) // fmt prints maps sorted by key
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.reports[key]; ok {
		return r, nil
	}
	rep, err := report.Build(report.Input{Kind: report.Results, Program: s.Program, Round: id, Snapshot: snap, Payments: txs})
	if err != nil {
		return nil, err
	}
	r := &Report{Markdown: rep.Markdown()}
	if r.HTML, err = rep.HTML(); err != nil {
		return nil, err
	}
	for _, reg := range rep.Regions {
		png, err := rep.PNG(reg)
		if err != nil {
			return nil, err
		}
		r.Images = append(r.Images, Image{Region: reg.ID, Name: rep.ImageName(reg.ID), PNG: png})
	}
	if c.reports == nil {
		c.reports = map[string]*Report{}
	}
	prefix := fmt.Sprintf("%d ", id)
	for k := range c.reports {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			delete(c.reports, k) // the round's report before this payout progress
		}
	}
	c.reports[key] = r
	return r, nil
}
