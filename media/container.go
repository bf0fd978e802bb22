package media

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
)

// ptsClock is MPEG-TS's timestamp rate.
const ptsClock = 90000

// Container is what the MPEG-TS layer of a segment says, read in pure Go
// without decoding a picture.
type Container struct {
	VideoTracks int    `json:"video_tracks"`
	AudioTracks int    `json:"audio_tracks"`
	VideoCodec  string `json:"video_codec,omitempty"`

	Width    int     `json:"width"`     // from the H.264 SPS, after cropping
	Height   int     `json:"height"`    // from the H.264 SPS, after cropping
	SPSFPS   float64 `json:"sps_fps"`   // from the SPS timing info; 0 when absent
	FPS      float64 `json:"fps"`       // from the PTS cadence
	Frames   int     `json:"frames"`    // video access units
	Duration float64 `json:"duration"`  // seconds: PTS span plus one frame
	FirstPTS int64   `json:"first_pts"` // 90 kHz, earliest video PTS, 33 bits

	VideoBytes int     `json:"video_bytes"` // H.264 bytes in the video track
	Bitrate    float64 `json:"bitrate"`     // video bits per second over Duration

	videoSum [sha256.Size]byte // of the H.264 access units, to spot a copy
}

// ParseTS reads the container facts of an MPEG-TS segment. Its error is a
// *ReasonError: NotMPEGTS, NoVideo, MultipleVideoTracks, NotH264 or
// Undecodable (no SPS or no frames).
func ParseTS(data []byte) (*Container, error) {
	r := &mpegts.Reader{R: bytes.NewReader(data)}
	if err := r.Initialize(); err != nil {
		return nil, reasonf(NotMPEGTS, "no MPEG-TS program found: %v", err)
	}
	c := &Container{}
	var video *mpegts.Track
	for _, t := range r.Tracks() {
		switch t.Codec.(type) {
		case *mpegts.CodecH264, *mpegts.CodecH265, *mpegts.CodecMPEG4Video, *mpegts.CodecMPEG1Video:
			c.VideoTracks++
			if video == nil {
				video = t
				c.VideoCodec = codecName(t.Codec)
			}
		case *mpegts.CodecMPEG4Audio, *mpegts.CodecMPEG4AudioLATM, *mpegts.CodecMPEG1Audio,
			*mpegts.CodecOpus, *mpegts.CodecAC3:
			c.AudioTracks++
		}
	}
	switch {
	case c.VideoTracks == 0:
		return c, reasonf(NoVideo, "no video track (%d audio)", c.AudioTracks)
	case c.VideoTracks > 1:
		return c, reasonf(MultipleVideoTracks, "%d video tracks, want 1", c.VideoTracks)
	case c.VideoCodec != "H264":
		return c, reasonf(NotH264, "video is %s, want H264", c.VideoCodec)
	}

	var (
		td   mpegts.TimeDecoder
		pts  []int64
		raw0 int64
		sps  *h264.SPS
	)
	r.OnDecodeError(func(error) {})
	sum := sha256.New()
	r.OnDataH264(video, func(p, _ int64, au [][]byte) error {
		for _, nalu := range au {
			c.VideoBytes += len(nalu)
			sum.Write(nalu)
		}
		if len(pts) == 0 {
			raw0 = p
		}
		pts = append(pts, td.Decode(p))
		if sps == nil {
			for _, nalu := range au {
				if len(nalu) > 0 && h264.NALUType(nalu[0]&0x1f) == h264.NALUTypeSPS {
					var s h264.SPS
					if s.Unmarshal(nalu) == nil {
						sps = &s
					}
				}
			}
		}
		return nil
	})
	for {
		err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A damaged tail ends the read; what came before still counts.
			break
		}
	}
	if len(pts) == 0 {
		return c, reasonf(Undecodable, "the video track carries no frames")
	}
	if sps == nil {
		return c, reasonf(Undecodable, "no H.264 sequence parameter set")
	}
	c.Width, c.Height, c.SPSFPS = sps.Width(), sps.Height(), sps.FPS()
	c.Frames = len(pts)
	sum.Sum(c.videoSum[:0])

	// Presentation order: the first PTS is the smallest (B-frames make the
	// first in decode order later), the cadence the median step.
	rel := slices.Clone(pts)
	slices.Sort(rel)
	c.FirstPTS = (raw0 + (rel[0] - pts[0])) & 0x1FFFFFFFF
	if len(rel) > 1 {
		steps := make([]int64, 0, len(rel)-1)
		for i := 1; i < len(rel); i++ {
			steps = append(steps, rel[i]-rel[i-1])
		}
		slices.Sort(steps)
		if step := steps[len(steps)/2]; step > 0 {
			c.FPS = round3(ptsClock / float64(step))
			c.Duration = round3(float64(rel[len(rel)-1]-rel[0]+step) / ptsClock)
		}
	}
	if c.Duration > 0 {
		c.Bitrate = math.Round(float64(c.VideoBytes) * 8 / c.Duration)
	}
	return c, nil
}

// ptsDelta returns a−b in 90 kHz ticks, across a 33-bit wrap.
func ptsDelta(a, b int64) int64 {
	d := (a - b) & 0x1FFFFFFFF
	if d > 0x1FFFFFFFF/2 {
		d -= 0x200000000
	}
	return d
}

func codecName(c mpegts.Codec) string {
	switch c.(type) {
	case *mpegts.CodecH264:
		return "H264"
	case *mpegts.CodecH265:
		return "H265"
	case *mpegts.CodecMPEG4Video:
		return "MPEG4Video"
	case *mpegts.CodecMPEG1Video:
		return "MPEG1/2Video"
	}
	return fmt.Sprintf("%T", c)
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
