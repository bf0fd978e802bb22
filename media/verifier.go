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

	// The fidelity layer and the profile checks: see
	// docs/verification-matrix.md for the measurements behind each.

	// MinBitrateShare is the least video bitrate, as a share of what the
	// rendition needs: the profile's bitrate, or less for an easy source
	// (its own video bitrate scaled by the rendition's share of its pixels),
	// because honest rate control undershoots on easy pictures.
	MinBitrateShare float64
	// MinDetail is the least fine detail a rendition keeps, as a share of
	// the source's at the rendition's size, when the source has at least
	// MinSourceDetail (mean absolute Laplacian, gray levels).
	MinDetail, MinSourceDetail float64
	// MinPSNR is the least mean PSNR in dB of the luma plane and of each
	// chroma plane; MinFramePSNR the least of any one frame.
	MinPSNR, MinChromaPSNR           float64
	MinFramePSNR, MinFrameChromaPSNR float64
	// MaxTile is the largest difference (gray levels) of a tile's mean
	// level from the source's, over the segment.
	MaxTile float64
	// MaxMisplaced is how many frames may be closer to a neighbouring
	// source frame than to their own.
	MaxMisplaced int
	// ShiftShare: frames out of place count as a shift, not a reorder,
	// when at least this share of the frames is off by the same offset.
	ShiftShare float64
	// MaxInvertedRatio: at or below it, the luma is the source's inverted.
	MaxInvertedRatio float64
	// MaxCrossingsGap is the largest relative difference of the audio's
	// zero-crossing rate from the source's; MaxLoudnessGap the largest in
	// dB of its loudness; MinEnvelope the least envelope correlation when
	// the source's loudness varies.
	MaxCrossingsGap, MaxLoudnessGap, MinEnvelope float64
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

	MinBitrateShare:    0.25,
	MinPSNR:            24,
	MinChromaPSNR:      30,
	MinFramePSNR:       22,
	MinFrameChromaPSNR: 27,
	MaxTile:            12,
	MaxMisplaced:       2,
	ShiftShare:         0.8,
	MaxInvertedRatio:   0.5,
	MaxCrossingsGap:    0.05,
	MaxLoudnessGap:     6,
	MinEnvelope:        0.5,
	MinDetail:          0.67,
	MinSourceDetail:    1,
}

func (v *Verifier) limits() *Limits {
	if v.Limits != nil {
		return v.Limits
	}
	return &DefaultLimits
}
