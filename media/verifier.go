package media

// Verifier judges renditions against fingerprints of their sources. The
// zero value uses "ffmpeg" from PATH and DefaultLimits.
type Verifier struct {
	FFmpeg string  // path to ffmpeg; "ffmpeg" when empty
	Limits *Limits // nil means DefaultLimits
}

// Limits are the tolerances of each check. The defaults come from the fault
// matrix in docs/benchmarks.md: each sits well between what honest
// renditions measure and what the faults do.
type Limits struct {
	// DimensionSlack is how many pixels the scaled (not the kept) dimension
	// may differ from the profile rule, for encoders that round otherwise.
	DimensionSlack int
	// FPSTolerance is the largest relative difference from the profile's fps.
	FPSTolerance float64
	// DurationSlack is how many frame durations the duration may differ.
	DurationSlack float64
	// FrameSlack is how many frames may be missing or added.
	FrameSlack int
	// PTSSlack is how far the first PTS may be from the source's, in
	// frame durations (B-frames and muxers move it by a frame or two).
	PTSSlack float64

	// MaxDistance is the largest mean gray difference (0–255) between a
	// rendition's thumbnails and its source's at the right alignment.
	MaxDistance float64
	// RelativeDistance: when the source moves (its frames MaxShift apart
	// differ by at least MinSelfDistance), the distance in place must also
	// stay below RelativeDistance × the distance at ±MaxShift frames. The
	// right frames dip in place, however noisy the encoding; a stale or
	// next segment of a scene that changes little does not.
	RelativeDistance float64
	MinSelfDistance  float64
	// MirrorGain: the rendition is mirrored when its distance to the flipped
	// source is below MirrorGain × its distance to the source (and that is
	// above MinMirrorDistance, so symmetric pictures do not count).
	MirrorGain        float64
	MinMirrorDistance float64
	// MaxShift is how many frames either way the alignment search looks.
	MaxShift int
	// ShiftGain: another alignment wins when its distance is below
	// ShiftGain × the distance at offset 0.
	ShiftGain float64
	// FrozenRatio: a rendition moving less than FrozenRatio × the source's
	// activity is frozen (when the source moves at least MinActivity).
	FrozenRatio float64
	MinActivity float64
	// BlackLuma: a rendition whose mean gray level is below BlackLuma, with
	// almost no detail, is black (unless the source is as flat).
	BlackLuma float64
	// MinCodes is the share of frames whose code must read when the source
	// has codes.
	MinCodes float64
}

// DefaultLimits are the tolerances Verify uses unless told otherwise.
var DefaultLimits = Limits{
	DimensionSlack:    2,
	FPSTolerance:      0.02,
	DurationSlack:     1.5,
	FrameSlack:        1,
	PTSSlack:          3,
	MaxDistance:       12,
	RelativeDistance:  0.7,
	MinSelfDistance:   1,
	MirrorGain:        0.5,
	MinMirrorDistance: 1,
	MaxShift:          selfLag,
	ShiftGain:         0.8,
	FrozenRatio:       0.1,
	MinActivity:       0.1,
	BlackLuma:         32,
	MinCodes:          0.9,
}

func (v *Verifier) limits() *Limits {
	if v.Limits != nil {
		return v.Limits
	}
	return &DefaultLimits
}
