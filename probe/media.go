package probe

import (
	"context"
	"fmt"

	"github.com/podiumhq/podium/media"
)

// MediaSource hands out the test segments of a media.Pool.
type MediaSource struct {
	Pool *media.Pool
}

// Next takes a ready segment from the pool.
func (s MediaSource) Next(ctx context.Context) (Segment, error) {
	seg, err := s.Pool.Get(ctx)
	if err != nil {
		return Segment{}, err
	}
	return Segment{Data: seg.Data, Duration: seg.Duration, Ref: seg.Fingerprint}, nil
}

// MediaVerifier judges renditions with media's layered verification
// (container checks, then content against the segment's fingerprint).
type MediaVerifier struct {
	Verifier *media.Verifier
}

// Verify judges the renditions of seg, whose Ref must be its
// *media.Fingerprint.
func (v MediaVerifier) Verify(ctx context.Context, seg Segment, rs []Rendition) ([]Verdict, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	checks, err := mediaChecks(seg, rs)
	if err != nil {
		return nil, err
	}
	vds, err := v.Verifier.VerifyBatch(ctx, checks)
	if err != nil {
		return nil, err
	}
	return verdicts(vds), nil
}

// mediaChecks pairs each rendition of seg with seg's fingerprint.
func mediaChecks(seg Segment, rs []Rendition) ([]media.Check, error) {
	fp, ok := seg.Ref.(*media.Fingerprint)
	if !ok || fp == nil {
		return nil, fmt.Errorf("segment %d has no media fingerprint", seg.Seq)
	}
	checks := make([]media.Check, len(rs))
	for i, r := range rs {
		p, err := media.LookupProfile(r.Profile)
		if err != nil {
			return nil, err
		}
		checks[i] = media.Check{Source: fp, Rendition: media.Rendition{Profile: p, Data: r.Data}}
	}
	return checks, nil
}

// verdicts turns media's verdicts into the prober's.
func verdicts(vds []media.Verdict) []Verdict {
	out := make([]Verdict, len(vds))
	for i, vd := range vds {
		out[i] = Verdict{OK: vd.OK, Reason: string(vd.Reason), Detail: vd.Detail}
	}
	return out
}

// release frees what a segment's Ref keeps for its verification (a
// media.Fingerprint keeps the source decoded at each profile's size, about
// 115 MB) once the test is done with the segment.
func release(ref any) {
	if r, ok := ref.(interface{ Release() }); ok {
		r.Release()
	}
}
