package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/report"
	"github.com/podiumhq/podium/rules"
)

// results computes round id's distribution and results report from its
// snapshot s, once per snapshot and payout state: both are pure functions
// of them, and drawing the report's tables is not free.
func (p *ProgramRounds) results(ctx context.Context, id int, snapID string, s *podium.Snapshot) (*DistributionArtifact, *Report, error) {
	txs := map[string]string{}
	if p.Payouts != nil {
		pays, err := p.Payouts.Payments(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		for _, pay := range pays {
			if pay.Status == PaymentConfirmed && pay.TxHash != "" {
				txs[pay.Recipient] = pay.TxHash
			}
		}
	}
	key := fmt.Sprintf("%d %s %v", id, snapID, txs) // fmt prints maps sorted by key
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.cache[key]; ok {
		return c.dist, c.report, nil
	}
	out, err := rules.Compute(p.Program, id, s)
	if err != nil {
		return nil, nil, err
	}
	d := out.Distribution
	js, err := d.Canonical()
	if err != nil {
		return nil, nil, err
	}
	dist := &DistributionArtifact{Distribution: d, ID: podium.ContentID(js), JSON: js, CSV: report.DistributionCSV(&d, s.Name)}
	rep, err := report.Build(report.Input{Kind: report.Results, Program: p.Program, Round: id, Snapshot: s, Payments: txs})
	if err != nil {
		return nil, nil, err
	}
	r := &Report{Markdown: rep.Markdown()}
	if r.HTML, err = rep.HTML(); err != nil {
		return nil, nil, err
	}
	for _, reg := range rep.Regions {
		png, err := rep.PNG(reg)
		if err != nil {
			return nil, nil, err
		}
		r.Images = append(r.Images, Image{Region: reg.ID, Name: rep.ImageName(reg.ID), PNG: png})
	}
	if p.cache == nil {
		p.cache = map[string]results{}
	}
	for k := range p.cache {
		if strings.HasPrefix(k, fmt.Sprintf("%d ", id)) {
			delete(p.cache, k) // the round's results before this payout progress
		}
	}
	p.cache[key] = results{dist, r}
	return dist, r, nil
}

type results struct {
	dist   *DistributionArtifact
	report *Report
}
