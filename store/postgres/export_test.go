package postgres

import (
	"context"
	"log/slog"

	"github.com/podiumhq/podium"
)

// OpenWithoutPacker opens dsn as Open does: no packer runs until
// StartPacker, so tests choose when cells are sealed.
func OpenWithoutPacker(ctx context.Context, dsn string) (*DB, error) {
	return Open(ctx, dsn, slog.New(slog.DiscardHandler))
}

// SetSealPage makes Pack read n cells at a time until the test ends.
func SetSealPage(t interface{ Cleanup(func()) }, n int) {
	old := sealPage
	sealPage = n
	t.Cleanup(func() { sealPage = old })
}

// EachPacked calls f with the values of every packed entry in b.
func EachPacked(b []byte, f func(v *[12]int64)) error { return eachEntry(b, false, f) }

// AppendPacked appends the packed entry of values v (the series, then the
// sums) to b.
func AppendPacked(b []byte, v [12]int64) []byte {
	return appendEntry(b, v[0], podium.Aggregate{Tests: v[1], SumSegDuration: v[2], SumRoundTrip: v[3],
		SumSuccessRate: v[4], SumUpload: v[5], SumTranscode: v[6], SumDownload: v[7], SegmentsSent: v[8],
		SegmentsReceived: v[9], VerifiedRenditions: v[10], VerificationFailures: v[11]})
}
