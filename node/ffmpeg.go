package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/podiumhq/podium/lpnet"
)

// Look alters the picture of every rendition of a transcode. The zero Look
// is an honest transcode; fault modes set the rest.
type Look struct {
	Black  bool // every frame black
	Frozen bool // the first frame repeated for the whole segment
	Mirror bool // flipped left to right
	// Shrink, when in (0,1), scales the profile's larger dimension by it,
	// giving renditions of the wrong size.
	Shrink float64
	// Upscale makes each rendition at half the profile's size and scales
	// it up: the right size, a quarter of the work, lost detail.
	Upscale bool
	// Gray drops the colour.
	Gray bool
	// Reorder swaps frames in pairs and pastes the honest frame-code band
	// back over them, so only the picture shows the order is wrong.
	Reorder bool
	// Watermark covers 4 % of the picture with a translucent box.
	Watermark bool
}

// Rendition is one output of a transcode.
type Rendition struct {
	Profile       *lpnet.VideoProfile
	Data          []byte
	Width, Height int
	Frames        int64
}

// Pixels is the rendition's output pixel count, as Livepeer bills it.
func (r Rendition) Pixels() int64 { return int64(r.Width) * int64(r.Height) * r.Frames }

// FFmpeg transcodes a segment into several profiles with one ffmpeg
// process: decode once, then per profile scale (the profile's larger
// dimension on the input's larger side, the other side following the
// input's aspect, rounded to even, as Livepeer's transcoder does), set the
// frame rate, encode H.264 at the profile's bitrate and GOP, and copy the
// audio, keeping the input's timestamps.
type FFmpeg struct {
	// Path is the ffmpeg binary; "ffmpeg" when empty.
	Path string
	// Preset is libx264's preset; "ultrafast" when empty.
	Preset string
	// Threads bounds ffmpeg's threads; 0 lets it choose.
	Threads int
	// TempDir holds the per-segment work directories; os.TempDir when empty.
	TempDir string
}

// Transcode transcodes data (MPEG-TS) into profiles, altered by look.
func (f *FFmpeg) Transcode(ctx context.Context, data []byte, profiles []*lpnet.VideoProfile, look Look) ([]Rendition, error) {
	if len(profiles) == 0 {
		return nil, errors.New("no profiles to transcode into")
	}
	dir, err := os.MkdirTemp(f.TempDir, "podium-transcode-")
	if err != nil {
		return nil, fmt.Errorf("transcode: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.ts")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("transcode: %w", err)
	}
	outs := make([]string, len(profiles))
	for i, p := range profiles {
		outs[i] = filepath.Join(dir, fmt.Sprintf("out%d%s", i, lpnet.Extension(p)))
	}
	args, err := ffmpegArgs(in, outs, profiles, look, f.preset(), f.Threads)
	if err != nil {
		return nil, err
	}
	path := f.Path
	if path == "" {
		path = "ffmpeg"
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("transcode: %s", ffmpegFailure(stderr.String(), err))
	}
	stats := parseFFmpegLog(stderr.String())
	rs := make([]Rendition, len(profiles))
	for i, p := range profiles {
		b, err := os.ReadFile(outs[i])
		if err != nil {
			return nil, fmt.Errorf("transcode: read output %s: %w", p.GetName(), err)
		}
		st := stats[i]
		rs[i] = Rendition{Profile: p, Data: b, Width: st.width, Height: st.height, Frames: st.frames}
	}
	return rs, nil
}

func (f *FFmpeg) preset() string {
	if f.Preset == "" {
		return "ultrafast"
	}
	return f.Preset
}

// ffmpegArgs builds the ffmpeg command line for one segment.
func ffmpegArgs(in string, outs []string, profiles []*lpnet.VideoProfile, look Look, preset string, threads int) ([]string, error) {
	var graph []string
	split := fmt.Sprintf("[0:v]split=%d", len(profiles))
	for i := range profiles {
		split += fmt.Sprintf("[s%d]", i)
	}
	graph = append(graph, split)
	// -copyts with no mux delay keeps the input's timestamps, as Livepeer's
	// transcoder does: a rendition starts where its source segment starts.
	args := []string{"-hide_banner", "-nostdin", "-v", "verbose", "-y", "-copyts", "-i", in}
	var outArgs []string
	for i, p := range profiles {
		chain, err := videoChain(p, look, i)
		if err != nil {
			return nil, err
		}
		src := fmt.Sprintf("[s%d]", i)
		if look.Frozen {
			// freezeframes replaces frames 1..end of its first input by
			// frame 0 of its second: the first picture, held.
			graph = append(graph, fmt.Sprintf("%ssplit[f%da][f%db]", src, i, i))
			src = fmt.Sprintf("[f%da][f%db]freezeframes=first=1:last=2147483647:replace=0,", i, i)
		}
		graph = append(graph, fmt.Sprintf("%s%s[o%d]", src, chain, i))
		enc, err := encoderArgs(p, preset)
		if err != nil {
			return nil, err
		}
		outArgs = append(outArgs, "-map", fmt.Sprintf("[o%d]", i), "-map", "0:a?")
		outArgs = append(outArgs, enc...)
		if threads > 0 {
			outArgs = append(outArgs, "-threads", strconv.Itoa(threads))
		}
		outArgs = append(outArgs, "-c:a", "copy", "-muxdelay", "0", "-muxpreload", "0", "-f", muxer(p), outs[i])
	}
	args = append(args, "-filter_complex", strings.Join(graph, ";"))
	if threads > 0 {
		args = append(args, "-filter_complex_threads", strconv.Itoa(threads))
	}
	return append(args, outArgs...), nil
}

// videoChain returns the filters after the split for profile p, the
// index-th output (labels inside it are unique per index).
func videoChain(p *lpnet.VideoProfile, look Look, index int) (string, error) {
	w, h := int(p.GetWidth()), int(p.GetHeight())
	if w <= 0 || h <= 0 || w > 7680 || h > 7680 {
		return "", fmt.Errorf("profile %s: resolution %dx%d is not one this node can produce", lpnet.ProfileName(p), w, h)
	}
	long := max(w, h)
	if look.Shrink > 0 && look.Shrink < 1 {
		long = int(float64(long)*look.Shrink) / 2 * 2
	}
	var fs []string
	if look.Mirror {
		fs = append(fs, "hflip")
	}
	scale := func(long int) string {
		return fmt.Sprintf("scale=w='if(gte(iw,ih),%d,-2)':h='if(gte(iw,ih),-2,%d)'", long, long)
	}
	if look.Upscale {
		// Made at half the size, then scaled up to the size asked for.
		fs = append(fs, scale(long/4*2))
	}
	fs = append(fs, scale(long))
	if p.GetFps() > 0 {
		den := p.GetFpsDen()
		if den == 0 {
			den = 1
		}
		fs = append(fs, fmt.Sprintf("fps=%d/%d", p.GetFps(), den))
	}
	if look.Gray {
		fs = append(fs, "hue=s=0")
	}
	if look.Watermark {
		fs = append(fs, "drawbox=x=iw*0.05:y=ih*0.1:w=iw*0.2:h=ih*0.2:color=white@0.4:t=fill")
	}
	if look.Black {
		fs = append(fs, "drawbox=c=black:t=fill")
	}
	chain := strings.Join(fs, ",")
	if look.Reorder {
		// The frame code is 2 rows of blocks of 1/32 of the width at the
		// bottom: keep that band from the honest frames.
		band := "2*trunc(iw/32)"
		chain += strings.NewReplacer("ro_", fmt.Sprintf("ro%d_", index)).Replace(
			",split[ro_a][ro_b];[ro_a]shuffleframes=1 0,setpts=STARTPTS+(N-1)/(FRAME_RATE*TB)[ro_x];" +
				"[ro_b]crop=w=iw:h=" + band + ":x=0:y=ih-" + band + "[ro_c];[ro_x][ro_c]overlay=0:H-h")
	}
	return chain, nil
}

// encoderArgs returns the video encoder options for p.
func encoderArgs(p *lpnet.VideoProfile, preset string) ([]string, error) {
	if p.GetEncoder() != lpnet.VideoProfile_H264 {
		return nil, fmt.Errorf("profile %s: video codec %s is not supported by this node (H264 only)", lpnet.ProfileName(p), p.GetEncoder())
	}
	args := []string{"-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p"}
	if br := p.GetBitrate(); br > 0 {
		args = append(args, "-b:v", strconv.Itoa(int(br)), "-maxrate", strconv.Itoa(int(br)), "-bufsize", strconv.Itoa(2*int(br)))
	}
	switch p.GetProfile() {
	case lpnet.VideoProfile_H264_BASELINE:
		args = append(args, "-profile:v", "baseline")
	case lpnet.VideoProfile_H264_MAIN:
		args = append(args, "-profile:v", "main")
	case lpnet.VideoProfile_H264_HIGH:
		args = append(args, "-profile:v", "high")
	case lpnet.VideoProfile_H264_CONSTRAINED_HIGH:
		args = append(args, "-profile:v", "high", "-bf", "0")
	}
	switch gop := p.GetGop(); {
	case gop < 0: // intra only
		args = append(args, "-g", "1")
	case gop > 0:
		fps := float64(p.GetFps())
		if fps == 0 {
			fps = 30
		}
		if den := p.GetFpsDen(); den > 0 {
			fps /= float64(den)
		}
		frames := max(1, int(float64(gop)/1000*fps+0.5))
		args = append(args, "-g", strconv.Itoa(frames), "-keyint_min", strconv.Itoa(frames), "-sc_threshold", "0")
	}
	return args, nil
}

func muxer(p *lpnet.VideoProfile) string {
	if p.GetFormat() == lpnet.VideoProfile_MP4 {
		return "mp4"
	}
	return "mpegts"
}

// outputStats is what ffmpeg's verbose log says about one output.
type outputStats struct {
	width, height int
	frames        int64
}

var (
	reOutput = regexp.MustCompile(`(?m)^\s*Stream #(\d+):\d+: Video: .*?, (\d+)x(\d+)`)
	reFrames = regexp.MustCompile(`(?m)^\s*Output stream #(\d+):\d+ \(video\): (\d+) frames encoded`)
)

// parseFFmpegLog reads each output's size and frame count from ffmpeg's
// verbose log, by output index.
func parseFFmpegLog(log string) map[int]outputStats {
	st := map[int]outputStats{}
	// Only the "Output #" sections describe outputs; input streams are
	// listed before the first of them.
	if i := strings.Index(log, "Output #"); i >= 0 {
		for _, m := range reOutput.FindAllStringSubmatch(log[i:], -1) {
			n, _ := strconv.Atoi(m[1])
			s := st[n]
			s.width, _ = strconv.Atoi(m[2])
			s.height, _ = strconv.Atoi(m[3])
			st[n] = s
		}
	}
	for _, m := range reFrames.FindAllStringSubmatch(log, -1) {
		n, _ := strconv.Atoi(m[1])
		s := st[n]
		s.frames, _ = strconv.ParseInt(m[2], 10, 64)
		st[n] = s
	}
	return st
}

// ffmpegFailure picks the line of ffmpeg's log that says why it failed.
func ffmpegFailure(log string, err error) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if strings.Contains(l, "Invalid data") || strings.Contains(l, "Error") || strings.Contains(l, "error") {
			return l
		}
	}
	if len(lines) > 0 && lines[len(lines)-1] != "" {
		return strings.TrimSpace(lines[len(lines)-1])
	}
	return err.Error()
}
