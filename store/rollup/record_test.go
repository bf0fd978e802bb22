package rollup_test

import (
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

func TestCellValues(t *testing.T) {
	if want := 4 + len(rollup.SumColumns); rollup.CellColumns != want {
		t.Fatalf("CellColumns = %d, want width, bucket, series, tests and %d sums = %d", rollup.CellColumns, len(rollup.SumColumns), want)
	}
	c := rollup.Cell{Width: 300, Bucket: 600, Series: 7}
	a := podium.Aggregate{Tests: 1, SumSegDuration: 2, SumRoundTrip: 3, SumSuccessRate: 4, SumUpload: 5,
		SumTranscode: 6, SumDownload: 7, SegmentsSent: 8, SegmentsReceived: 9, VerifiedRenditions: 10, VerificationFailures: 11}
	v := rollup.CellValues(c, a)
	args := rollup.CellArgs(c, a)
	for i, want := range []int64{300, 600, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11} {
		if v[i] != want || args[i] != any(want) {
			t.Fatalf("value %d: CellValues %d, CellArgs %v; want %d", i, v[i], args[i], want)
		}
	}
}
