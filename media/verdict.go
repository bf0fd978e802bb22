package media

// Verdict is the judgement of one rendition: OK, or the Reason it failed,
// with every value measured on the way so the failure can be explained.
type Verdict struct {
	OK       bool     `json:"ok"`
	Reason   Reason   `json:"reason,omitempty"`
	Detail   string   `json:"detail,omitempty"`
	Profile  string   `json:"profile"`
	Measured Measured `json:"measured"`
}

// Measured holds the values the checks measured, next to what was expected.
type Measured struct {
	Container        *Container `json:"container,omitempty"`
	ExpectedWidth    int        `json:"expected_width"`
	ExpectedHeight   int        `json:"expected_height"`
	ExpectedFPS      float64    `json:"expected_fps"`
	ExpectedFrames   int        `json:"expected_frames"`
	ExpectedDuration float64    `json:"expected_duration"`
	SourceFirstPTS   int64      `json:"source_first_pts"`
	PTSDelta         int64      `json:"pts_delta"` // 90 kHz ticks
	// NeededBitrate is the video bitrate the rendition is held to (bits/s):
	// the profile's, or the source's scaled to the rendition's pixels when
	// that is less.
	NeededBitrate float64 `json:"needed_bitrate"`

	Content  *ContentMeasures  `json:"content,omitempty"`
	Fidelity *FidelityMeasures `json:"fidelity,omitempty"`
	Audio    *AudioMeasures    `json:"audio,omitempty"`
}

// ContentMeasures are the content layer's measurements on the decoded
// frames (gray levels 0–255 on 64×36 thumbnails for a 16:9 source).
type ContentMeasures struct {
	DecodedFrames  int     `json:"decoded_frames"`
	MeanLuma       float64 `json:"mean_luma"`
	Spread         float64 `json:"spread"`
	Activity       float64 `json:"activity"`
	SourceActivity float64 `json:"source_activity"`
	SourceSpread   float64 `json:"source_spread"`

	// Frame codes, when the source has them.
	ExpectedNonce uint32 `json:"expected_nonce,omitempty"`
	Nonce         uint32 `json:"nonce,omitempty"`
	CodesRead     int    `json:"codes_read,omitempty"`
	MirroredCodes int    `json:"mirrored_codes,omitempty"`
	FirstIndex    int    `json:"first_index,omitempty"`

	// Distance is at offset 0; BestOffset is where the alignment search
	// found the smallest distance, BestDistance that distance.
	Distance         float64 `json:"distance"`
	BestOffset       int     `json:"best_offset"`
	BestDistance     float64 `json:"best_distance"`
	MirroredDistance float64 `json:"mirrored_distance"`
	// SelfDistance is the source's distance to itself 8 frames later: how
	// far apart frames of this picture are.
	SelfDistance float64 `json:"self_distance"`
	// EdgeDistance is the mean distance at offsets −8 and +8: a rendition of
	// the right frames dips at 0 (Distance ≪ EdgeDistance) however noisy
	// its encoding, one of other frames of the same scene does not.
	EdgeDistance float64 `json:"edge_distance"`
	MaxDistance  float64 `json:"max_distance"`
}

func (vd *Verdict) fail(err *ReasonError) {
	vd.OK, vd.Reason, vd.Detail = false, err.Reason, err.Detail
}
