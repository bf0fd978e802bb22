package media

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// render is one way to make a rendition of a source with ffmpeg, honest or
// not: the filters around the profile's scaler, the video encoder's
// arguments and what happens to the audio.
type render struct {
	name string
	// pre runs before the scaler at the source's size; post after it, at
	// the rendition's size (W and H in post are the rendition's size).
	pre, post string
	scaler    string // swscale flags; "bicubic" when empty
	video     func(p Profile) []string
	audio     []string // "-c:a copy" when nil
	// bandFromHonest pastes the bottom frame-code band of the honest
	// picture over the result of post, so codes read right whatever post
	// did to the frames.
	bandFromHonest bool
	// raw returns the rendition bytes directly instead of running ffmpeg.
	raw func(src []byte) []byte
}

// abr is libx264 at a multiple of the profile's bitrate with extra options.
func abr(preset string, factor float64, extra ...string) func(Profile) []string {
	return func(p Profile) []string {
		b := strconv.Itoa(int(float64(p.Bitrate) * factor))
		return append([]string{"-c:v", "libx264", "-preset", preset, "-b:v", b}, extra...)
	}
}

// make renders src for p.
func (r render) make(t testing.TB, src []byte, p Profile) []byte {
	t.Helper()
	if r.raw != nil {
		return r.raw(src)
	}
	w, h := p.Size(SegmentWidth, SegmentHeight)
	scaler := r.scaler
	if scaler == "" {
		scaler = "bicubic"
	}
	chain := func(parts ...string) string {
		var keep []string
		for _, s := range parts {
			if s != "" {
				keep = append(keep, s)
			}
		}
		return strings.Join(keep, ",")
	}
	post := strings.NewReplacer("W", strconv.Itoa(w), "H", strconv.Itoa(h)).Replace(r.post)
	scale := fmt.Sprintf("scale=%d:%d:flags=%s", w, h, scaler)
	var graph string
	if r.bandFromHonest {
		band := codeRows * (w / codeCols)
		graph = fmt.Sprintf("[0:v]%s,split[a][b];[a]%s[x];[b]crop=%d:%d:0:%d[c];[x][c]overlay=0:%d[v]",
			chain(r.pre, scale), post, w, band, h-band, h-band)
	} else {
		graph = fmt.Sprintf("[0:v]%s[v]", chain(r.pre, scale, post))
	}
	args := []string{"-f", "mpegts", "-i", "pipe:0", "-filter_complex", graph, "-map", "[v]"}
	video := r.video
	if video == nil {
		video = abr("veryfast", 1)
	}
	args = append(args, video(p)...)
	audio := r.audio
	if audio == nil {
		audio = []string{"-map", "0:a", "-c:a", "copy"}
	}
	args = append(args, audio...)
	args = append(args, "-f", "mpegts", "pipe:1")
	return runFFmpeg(t, src, args...)
}

// honestRenders are the honest ways to transcode the matrix names:
// x264 presets ultrafast to slow; GOPs of 1 s and 10 s; with and without
// B-frames; ABR, CBR and capped VBR at the profile's bitrate; bilinear and
// bicubic scalers; audio copied or re-encoded; and a hardware-like rate
// control that undershoots on easy content (capped CRF).
var honestRenders = []render{
	{name: "ultrafast ABR gop1s", video: abr("ultrafast", 1, "-g", "30")},
	{name: "veryfast ABR bilinear", scaler: "bilinear", video: abr("veryfast", 1)},
	{name: "medium ABR gop10s bf3", video: abr("medium", 1, "-g", "300", "-bf", "3")},
	{name: "slow ABR no-B aac", video: abr("slow", 1, "-bf", "0"), audio: []string{"-map", "0:a", "-c:a", "aac", "-b:a", "128k"}},
	{name: "faster CBR", video: func(p Profile) []string {
		b := strconv.Itoa(p.Bitrate)
		return []string{"-c:v", "libx264", "-preset", "faster", "-b:v", b, "-minrate", b, "-maxrate", b,
			"-bufsize", b, "-x264-params", "nal-hrd=cbr"}
	}},
	{name: "veryfast capped VBR", video: func(p Profile) []string {
		return []string{"-c:v", "libx264", "-preset", "veryfast", "-crf", "21",
			"-maxrate", strconv.Itoa(p.Bitrate), "-bufsize", strconv.Itoa(2 * p.Bitrate)}
	}},
	{name: "hardware-like CQP capped", video: func(p Profile) []string {
		return []string{"-c:v", "libx264", "-preset", "superfast", "-tune", "zerolatency", "-bf", "0",
			"-crf", "25", "-maxrate", strconv.Itoa(p.Bitrate), "-bufsize", strconv.Itoa(p.Bitrate / 2)}
	}},
}

// lower returns the next lower rung of the default ladder below p.
func lower(p Profile) Profile {
	for i, q := range Profiles {
		if q.Name == p.Name && i+1 < len(Profiles) {
			return Profiles[i+1]
		}
	}
	return P144p30fps16x9
}
