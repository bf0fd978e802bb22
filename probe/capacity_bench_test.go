package probe_test

import (
	"fmt"
	"testing"
)

// BenchmarkCapacity measures reference nodes with --capacity (go-livepeer's
// -maxSessions) N = 1…6 with the production thresholds (late after one
// segment duration, behind above DefaultLateShare, 5 segments a level,
// bisecting, ceiling 8), one 144p rendition per segment. It reports the
// streams measured and what the node advertised; on a machine too busy to
// transcode N streams in real time the figure is lower and stopped_by is
// behind (printed with -v). Run with -benchtime 1x: each ramp takes about
// a minute.
func BenchmarkCapacity(b *testing.B) {
	for n := 1; n <= 6; n++ {
		b.Run(fmt.Sprintf("max-sessions=%d", n), func(b *testing.B) {
			o := startCapacityNode(b, n, "", 1950+int64(n))
			for b.Loop() {
				r := runCapacity(b, o, productionRamp())
				b.ReportMetric(float64(r.Streams), "streams")
				b.ReportMetric(float64(r.Advertised), "advertised")
			}
		})
	}
}
