package node

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
)

// errNoCodecInfo means the body is not a transport stream with a program
// map (go-livepeer: "Error getting codec info").
var errNoCodecInfo = errors.New("no MPEG-TS program found")

// videoCodec returns the video codec of an MPEG-TS segment ("" when it has
// no video track), read in pure Go without starting ffmpeg.
func videoCodec(data []byte) (string, error) {
	r := &mpegts.Reader{R: bytes.NewReader(data)}
	if err := r.Initialize(); err != nil {
		return "", fmt.Errorf("%w: %v", errNoCodecInfo, err)
	}
	for _, t := range r.Tracks() {
		switch t.Codec.(type) {
		case *mpegts.CodecH264:
			return "h264", nil
		case *mpegts.CodecH265:
			return "hevc", nil
		case *mpegts.CodecMPEG1Video:
			return "mpeg2video", nil
		case *mpegts.CodecMPEG4Video:
			return "mpeg4", nil
		}
		if t.Codec.IsVideo() {
			return "unknown", nil
		}
	}
	return "", nil
}
