package media

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/podiumhq/podium"
)

// Fingerprint is everything verification needs to know about a source,
// taken once so a rendition is judged without decoding the source again.
type Fingerprint struct {
	Container Container `json:"container"`

	// Nonce is the nonce in the source's frame codes; 0 when the source has
	// none (a video podium did not make).
	Nonce uint32 `json:"nonce"`
	// Codes holds each frame's code when Nonce is set.
	Codes []Code `json:"codes,omitempty"`

	// DecodeWidth×DecodeHeight is the gray size renditions are decoded to.
	DecodeWidth  int `json:"decode_width"`
	DecodeHeight int `json:"decode_height"`

	source []byte   // the segment itself, decoded again (once) per verification batch
	gray   [][]byte // DecodeWidth×DecodeHeight gray frames
	sound  *sound   // nil when the source has no audio

	refs     references // the source decoded at rendition sizes
	thumbs   thumbs
	activity float64 // mean distance between consecutive frames
	selfDist float64 // mean distance between frames selfLag apart
	luma     float64
	spread   float64
}

// selfLag is the frame lag at which a source's distance to itself is taken:
// the alignment search's reach.
const selfLag = 8

// Fingerprint takes the fingerprint of a source segment: its container
// facts, its decoded thumbnails and, when it has them, its frame codes.
func (v *Verifier) Fingerprint(ctx context.Context, source []byte) (*Fingerprint, error) {
	return v.fingerprint(ctx, source, nil)
}

// fingerprint takes the fingerprint and, in the same decode, the source's
// references for renditions of the given profiles.
func (v *Verifier) fingerprint(ctx context.Context, source []byte, profiles []Profile) (*Fingerprint, error) {
	c, err := ParseTS(source)
	if err != nil {
		var re *ReasonError
		if errors.As(err, &re) {
			return nil, podium.Errorf(podium.EINVALID, "source is not a usable segment: %s", re.Error()).
				WithHint("the source must be MPEG-TS with exactly one H.264 video track")
		}
		return nil, err
	}
	w, h := decodeSize(c.Width, c.Height)
	var sizes []refKey
	for _, p := range profiles {
		k := refKey{}
		k.w, k.h = p.Size(c.Width, c.Height)
		if !slices.Contains(sizes, k) {
			sizes = append(sizes, k)
		}
	}
	frames, audio, refs, err := decodeSource(ctx, v.FFmpeg, source, *c, w, h, c.AudioTracks > 0, sizes)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, podium.Errorf(podium.EINVALID, "decode source: %w", err).
			WithHint("check that ffmpeg can play the source file")
	}
	if len(frames) == 0 {
		for _, r := range refs {
			r.file.close()
		}
		return nil, podium.Errorf(podium.EINVALID, "source has no decodable frames")
	}
	fp := newFingerprint(*c, frames, w, h)
	fp.source = source
	fp.keep(refs)
	if c.AudioTracks > 0 {
		s := newSound(audio)
		fp.sound = &s
	}
	return fp, nil
}

func newFingerprint(c Container, frames [][]byte, w, h int) *Fingerprint {
	fp := &Fingerprint{Container: c, DecodeWidth: w, DecodeHeight: h, gray: frames}
	fp.thumbs = halve(frames, w, h)
	fp.activity = fp.thumbs.activity()
	fp.luma, fp.spread = fp.thumbs.luma()
	fp.selfDist, _ = distance(fp.thumbs, fp.thumbs, selfLag, false)

	// The source carries a code when nearly every frame reads with one
	// nonce and consecutive indices.
	codes := make([]Code, len(frames))
	read := 0
	for i, f := range frames {
		code, ok := readCode(f, w, h, false)
		if !ok || code.Nonce == 0 || code.Index != i || (read > 0 && code.Nonce != codes[0].Nonce) {
			return fp
		}
		codes[i] = code
		read++
	}
	fp.Nonce, fp.Codes = codes[0].Nonce, codes
	return fp
}

// String describes the fingerprint for logs.
func (fp *Fingerprint) String() string {
	return fmt.Sprintf("%dx%d %d frames nonce=%d", fp.Container.Width, fp.Container.Height,
		fp.Container.Frames, fp.Nonce)
}
