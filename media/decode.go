package media

import (
	"context"
	"fmt"
	"strconv"
)

// decodeSource decodes a source once, when its fingerprint is taken: its
// video to w×h gray frames and, when it has audio, its first audio track to
// mono audioRate s16.
func decodeSource(ctx context.Context, ffmpeg string, data []byte, w, h int, audio bool) ([][]byte, []int16, error) {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-filter_threads", "1",
		"-threads", "1", "-f", "mpegts", "-i", fd(0),
		"-map", "0:v:0", "-vf", fmt.Sprintf("scale=%d:%d:flags=area,format=gray", w, h),
		"-fps_mode", "passthrough", "-f", "rawvideo", fd(1)}
	outputs := 1
	if audio {
		args = append(args, "-map", "0:a:0", "-ac", "1", "-ar", strconv.Itoa(audioRate), "-f", "s16le", fd(2))
		outputs++
	}
	job := &ffmpegJob{path: ffmpeg, args: args, inputs: [][]byte{data}, outputs: outputs}
	_, outs, err := job.run(ctx)
	if err != nil {
		return nil, nil, err
	}
	var samples []int16
	if audio {
		samples = pcm(outs[1])
	}
	return split(outs[0], w*h), samples, nil
}
