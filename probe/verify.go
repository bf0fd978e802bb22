package probe

import "context"

// Verifier judges whether renditions really are transcodes of the segment
// they were made from. It judges all renditions of one segment at once (one
// decoder run for all of them). The error is for the verifier's own trouble
// (its decoder missing, ctx done), never for a bad rendition: that is a
// Verdict.
type Verifier interface {
	Verify(ctx context.Context, seg Segment, renditions []Rendition) ([]Verdict, error)
}

// Verdict is a Verifier's judgement of one rendition. A rendition that fails
// carries a named Reason ("stale", "black", "dimensions", ...) and a Detail
// for people.
type Verdict struct {
	OK     bool
	Reason string
	Detail string
}

// SegmentSource hands out unique test segments, prepared ahead of time.
// Each call returns a segment no other call returned.
type SegmentSource interface {
	Next(ctx context.Context) (Segment, error)
}
