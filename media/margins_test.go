package media

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// margin is the worst value of one decisive ratio over a set of rows, next
// to the limit it is judged against.
type margin struct {
	what  string
	worst float64
	limit float64
	rows  int
}

// matrixMargins summarises how far honest renditions and content faults
// stay from each content limit, over the rows that reached the content layer.
func matrixMargins(rows []matrixRow) string {
	lim := DefaultLimits
	ms := map[string]*margin{}
	track := func(key, what string, v, limit float64, higherIsWorse bool) {
		m, ok := ms[key]
		if !ok {
			m = &margin{what: what, limit: limit, worst: math.NaN()}
			ms[key] = m
		}
		if math.IsNaN(m.worst) || (higherIsWorse && v > m.worst) || (!higherIsWorse && v < m.worst) {
			m.worst = v
		}
		m.rows++
	}
	for _, r := range rows {
		cm := r.verdict.Measured.Content
		if cm == nil || cm.DecodedFrames == 0 {
			continue
		}
		ratio := func(a, b float64) float64 {
			if b == 0 {
				return math.Inf(1)
			}
			return a / b
		}
		switch {
		case r.expect == "":
			track("1 honest distance", "honest: distance in place (max)", cm.Distance, lim.MaxDistance, true)
			track("2 honest dip", "honest: distance / distance at ±8 (max)", ratio(cm.Distance, cm.EdgeDistance), lim.RelativeDistance, true)
			track("3 honest mirror", "honest: mirrored distance / distance (min)", ratio(cm.MirroredDistance, cm.Distance), lim.MirrorGain, false)
			track("4 honest shift", "honest: best distance / distance in place (min)", ratio(cm.BestDistance, cm.Distance), lim.ShiftGain, false)
			track("5 honest activity", "honest: activity / source's (min)", ratio(cm.Activity, cm.SourceActivity), lim.FrozenRatio, false)
		case r.expect == ContentMismatch && cm.ExpectedNonce == 0:
			if cm.Distance > lim.MaxDistance {
				track("6 other", "other picture: distance in place (min)", cm.Distance, lim.MaxDistance, false)
			} else {
				track("7 stale", "stale/next, same scene: distance / distance at ±8 (min)", ratio(cm.Distance, cm.EdgeDistance), lim.RelativeDistance, false)
			}
		case r.expect == Mirrored && cm.ExpectedNonce == 0:
			track("8 mirrored", "mirrored: mirrored distance / distance (max)", ratio(cm.MirroredDistance, cm.Distance), lim.MirrorGain, true)
		case r.expect == Shifted && cm.ExpectedNonce == 0:
			track("9 shifted", "shifted: best distance / distance in place (max)", ratio(cm.BestDistance, cm.Distance), lim.ShiftGain, true)
		case r.expect == Frozen:
			track("a frozen", "frozen: activity / source's (max)", ratio(cm.Activity, cm.SourceActivity), lim.FrozenRatio, true)
		}
	}
	keys := make([]string, 0, len(ms))
	for k := range ms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("| measure | renditions | worst | limit |\n|---|---|---|---|\n")
	for _, k := range keys {
		m := ms[k]
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.2f |\n", m.what, m.rows, m.worst, m.limit)
	}
	return b.String()
}
