package media

import "math"

// thumbs are the small gray frames distances are measured on: the decoded
// frames halved again (box filter), 64×36 for a 16:9 source, so compression
// noise averages out while shapes and motion remain.
type thumbs struct {
	w, h   int
	frames [][]byte
}

// decodeSize is the gray size ffmpeg decodes to for a source of w×h: 128 on
// the longer side, which puts the frame code's blocks at 4×4 pixels.
func decodeSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		return 128, 72
	}
	if w >= h {
		return 128, evenScale(128, h, w)
	}
	return evenScale(128, w, h), 128
}

// halve box-filters w×h gray frames to w/2×h/2.
func halve(frames [][]byte, w, h int) thumbs {
	t := thumbs{w: w / 2, h: h / 2}
	for _, f := range frames {
		out := make([]byte, t.w*t.h)
		for y := 0; y < t.h; y++ {
			for x := 0; x < t.w; x++ {
				i := 2*y*w + 2*x
				out[y*t.w+x] = byte((int(f[i]) + int(f[i+1]) + int(f[i+w]) + int(f[i+w+1]) + 2) / 4)
			}
		}
		t.frames = append(t.frames, out)
	}
	return t
}

// mad is the mean absolute difference of two gray frames; mirror compares
// a with b flipped left to right.
func mad(a, b []byte, w int, mirror bool) float64 {
	sum := 0
	if !mirror {
		b = b[:len(a)]
		for i, v := range a {
			sum += absDiff(v, b[i])
		}
		return float64(sum) / float64(len(a))
	}
	for i := range a {
		x := i % w
		sum += absDiff(a[i], b[i-x+(w-1-x)])
	}
	return float64(sum) / float64(len(a))
}

// absDiff is |a − b|, without a branch: the distance loops run over every
// pixel of every frame pair.
func absDiff(a, b byte) int {
	d := int(a) - int(b)
	m := d >> 63
	return (d ^ m) - m
}

// activity is the mean distance between consecutive frames: how much the
// picture moves.
func (t thumbs) activity() float64 {
	if len(t.frames) < 2 {
		return 0
	}
	sum := 0.0
	for i := 1; i < len(t.frames); i++ {
		sum += mad(t.frames[i], t.frames[i-1], t.w, false)
	}
	return sum / float64(len(t.frames)-1)
}

// luma returns the mean gray level over all frames and the mean of each
// frame's standard deviation (how much detail there is).
func (t thumbs) luma() (mean, spread float64) {
	if len(t.frames) == 0 {
		return 0, 0
	}
	for _, f := range t.frames {
		s, ss := 0.0, 0.0
		for _, v := range f {
			s += float64(v)
			ss += float64(v) * float64(v)
		}
		n := float64(len(f))
		m := s / n
		mean += m
		spread += math.Sqrt(max(ss/n-m*m, 0))
	}
	n := float64(len(t.frames))
	return mean / n, spread / n
}

// distance is the mean distance of rendition frame i to source frame
// i+offset over the frames both have; ok is false when they overlap in
// fewer than half the rendition's frames.
func distance(r, s thumbs, offset int, mirror bool) (d float64, ok bool) {
	sum, n := 0.0, 0
	for i, f := range r.frames {
		j := i + offset
		if j < 0 || j >= len(s.frames) {
			continue
		}
		sum += mad(f, s.frames[j], r.w, mirror)
		n++
	}
	if n == 0 || 2*n < len(r.frames) {
		return 0, false
	}
	return sum / float64(n), true
}
