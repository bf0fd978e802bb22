package probe

import "context"

// Verifier judges whether a rendition really is a transcode of the segment
// it was made from, for the named profile.
type Verifier interface {
	Verify(ctx context.Context, seg Segment, profile string, rendition []byte) Verdict
}

// Verdict is a Verifier's judgement. A rendition that fails carries a named
// Reason ("stale", "black", "dimensions", ...) and a Detail for people.
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
