package media

import (
	"context"
	"fmt"
	"strconv"
)

// decodeSource decodes a source once, when its fingerprint is taken: its
// video to w×h gray frames and, when it has audio, its first audio track to
// mono audioRate s16; and, in the same decode, its references at sizes.
func decodeSource(ctx context.Context, ffmpeg string, data []byte, c Container, w, h int, audio bool, sizes []refKey) ([][]byte, []int16, map[refKey]*reference, error) {
	outputs := 1
	if audio {
		outputs++
	}
	graph := fmt.Sprintf("[0:v:0]scale=%d:%d:flags=area,format=gray[gray]", w, h)
	refGraph, refArgs, refs, err := referenceOutputs(c, "[v]", sizes, 1+outputs, 1+outputs+len(sizes))
	if err != nil {
		return nil, nil, nil, err
	}
	if refGraph != "" {
		// The references and the gray frames share one decode.
		graph = fmt.Sprintf("[0:v:0]split[v][g];%s[g]scale=%d:%d:flags=area,format=gray[gray]", refGraph, w, h)
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-filter_threads", "1",
		"-filter_complex_threads", "1", "-threads", "1", "-f", "mpegts", "-i", fd(0),
		"-filter_complex", graph,
		"-map", "[gray]", "-fps_mode", "passthrough", "-f", "rawvideo", fd(1)}
	if audio {
		args = append(args, "-map", "0:a:0", "-ac", "1", "-ar", strconv.Itoa(audioRate), "-f", "s16le", fd(2))
	}
	args = append(args, refArgs...)
	job := &ffmpegJob{path: ffmpeg, args: args, inputs: [][]byte{data}, outputs: outputs + len(sizes)}
	if len(sizes) > 0 {
		job.files = refFiles(refs, sizes)
	}
	_, outs, err := job.run(ctx)
	if err != nil {
		for _, r := range refs {
			r.file.close()
		}
		return nil, nil, nil, err
	}
	setDetail(refs, sizes, outs[outputs:])
	var samples []int16
	if audio {
		samples = pcm(outs[1])
	}
	return split(outs[0], w*h), samples, refs, nil
}
