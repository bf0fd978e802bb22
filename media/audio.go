package media

import (
	"encoding/binary"
	"math"
)

// audioRate is the sample rate audio is compared at: mono 8 kHz keeps
// podium's tones (300–2000 Hz) and the body of speech and music.
const audioRate = 8000

// audioBlock is the block the loudness envelope is measured on: 20 ms.
const audioBlock = audioRate / 50

// pcm reads s16le samples.
func pcm(b []byte) []int16 {
	s := make([]int16, len(b)/2)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return s
}

// sound is what the audio check compares: the loudness of each 20 ms block
// and how often the wave crosses zero, a stand-in for its pitch that an
// encoder keeps and another tone or another programme does not.
type sound struct {
	level     []float64 // dBFS per block
	crossings float64   // zero crossings per second
	loudness  float64   // dBFS over the whole clip
}

func newSound(s []int16) sound {
	var a sound
	cross, energy := 0, 0.0
	for i := 0; i+audioBlock <= len(s); i += audioBlock {
		e := 0.0
		for _, v := range s[i : i+audioBlock] {
			e += float64(v) * float64(v)
		}
		energy += e
		a.level = append(a.level, dBFS(e/audioBlock))
	}
	for i := 1; i < len(s); i++ {
		if (s[i-1] < 0) != (s[i] < 0) {
			cross++
		}
	}
	if len(s) > 1 {
		a.crossings = float64(cross) * audioRate / float64(len(s)-1)
	}
	if n := len(a.level) * audioBlock; n > 0 {
		a.loudness = dBFS(energy / float64(n))
	}
	return a
}

// dBFS turns a mean square of s16 samples into decibels below full scale,
// floored at −100.
func dBFS(ms float64) float64 {
	if ms <= 0 {
		return -100
	}
	return max(10*math.Log10(ms/(32768*32768)), -100)
}

// envelopeMatch is the best correlation of r's loudness envelope with s's
// over shifts of up to maxShift blocks, and that shift; ok is false when
// the source's loudness hardly varies (a steady tone), so the envelope says
// nothing.
func envelopeMatch(s, r []float64, maxShift int) (corr float64, shift int, ok bool) {
	if stddev(s) < 1 {
		return 0, 0, false
	}
	corr = -1
	for k := -maxShift; k <= maxShift; k++ {
		var a, b []float64
		for i := range s {
			if j := i + k; j >= 0 && j < len(r) {
				a, b = append(a, s[i]), append(b, r[j])
			}
		}
		if 2*len(a) < len(s) {
			continue
		}
		if c := pearson(a, b); c > corr {
			corr, shift = c, k
		}
	}
	return corr, shift, true
}

func stddev(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(v)))
}

func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var sa, sb, saa, sbb, sab float64
	for i := range a {
		sa += a[i]
		sb += b[i]
		saa += a[i] * a[i]
		sbb += b[i] * b[i]
		sab += a[i] * b[i]
	}
	cov := sab/n - sa*sb/n/n
	va, vb := saa/n-sa*sa/n/n, sbb/n-sb*sb/n/n
	if va <= 0 || vb <= 0 {
		return 0
	}
	return cov / math.Sqrt(va*vb)
}

// AudioMeasures compare the rendition's audio with the source's.
type AudioMeasures struct {
	SourceLoudness float64 `json:"source_loudness"` // dBFS
	Loudness       float64 `json:"loudness"`        // dBFS
	// SourceCrossings and Crossings are zero crossings per second.
	SourceCrossings float64 `json:"source_crossings"`
	Crossings       float64 `json:"crossings"`
	// Envelope is the best correlation of the 20 ms loudness envelopes
	// within ±100 ms; only when the source's loudness varies.
	Envelope      float64 `json:"envelope,omitempty"`
	EnvelopeShift int     `json:"envelope_shift,omitempty"` // blocks
	envelopeOK    bool
}

func measureAudio(src *sound, samples []int16) *AudioMeasures {
	r := newSound(samples)
	am := &AudioMeasures{SourceLoudness: round3(src.loudness), Loudness: round3(r.loudness),
		SourceCrossings: round3(src.crossings), Crossings: round3(r.crossings)}
	c, shift, ok := envelopeMatch(src.level, r.level, 5)
	if ok {
		am.Envelope, am.EnvelopeShift, am.envelopeOK = round3(c), shift, true
	}
	return am
}
