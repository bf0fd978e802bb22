package media

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// comparison is what one ffmpeg run measured of one rendition against its
// source, both at the rendition's size, frame i against source frame i by
// time.
type comparison struct {
	// psnr is each frame's PSNR per plane (Y, U, V) in dB, from ffmpeg's
	// psnr filter; +Inf for identical planes.
	psnr [][3]float64
	// gray is each frame in gray at the source's decode size, for the
	// frame code and the thumbnail checks.
	gray [][]byte
	// detail holds every detailEvery-th frame's luma at the rendition's
	// size, detailW×detailH each; refDetail the reference's detail of the
	// same frames (see reference).
	detail           [][]byte
	detailW, detailH int
	refDetail        []float64
	// audio is the rendition's first audio track, mono 8 kHz; nil without.
	audio []int16
}

// compareItem is one rendition to compare with its source.
type compareItem struct {
	src   *Fingerprint
	data  []byte
	w, h  int  // the rendition's size, which passed the container layer
	audio bool // the rendition has an audio track to decode
}

// compareBatch decodes every rendition once, in one ffmpeg process, and
// measures each against its source's reference at the rendition's size
// (the source decoded and scaled once per fingerprint, see reference):
// per-frame, per-plane PSNR (the psnr filter), and the gray frames the
// frame code, the tiles and the frame order are read from.
func compareBatch(ctx context.Context, ffmpeg string, items []compareItem) ([]comparison, error) {
	refs, spare, err := itemReferences(ctx, ffmpeg, items)
	defer func() {
		for _, r := range spare {
			r.file.close()
		}
	}()
	if err != nil {
		return nil, err
	}
	// One input per distinct reference, each read through its own
	// descriptor, split among the renditions of its size.
	var distinct []*reference
	owner := map[*reference]*Fingerprint{}
	refIndex := map[*reference]int{}
	for j, r := range refs {
		if _, ok := refIndex[r]; !ok {
			refIndex[r] = len(distinct)
			distinct = append(distinct, r)
			owner[r] = items[j].src
		}
	}
	files := make([]*os.File, 0, len(distinct))
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, r := range distinct {
		f, err := owner[r].open(r)
		if err != nil {
			return nil, fmt.Errorf("open reference %dx%d: %w", r.w, r.h, err)
		}
		files = append(files, f)
	}

	// Outputs: per item gray, detail and audio (when it has it), then the
	// psnr stats files, which ffmpeg opens by path.
	outs := 0
	type outIdx struct{ gray, detail, audio, stats int }
	idx := make([]outIdx, len(items))
	for j, it := range items {
		idx[j] = outIdx{gray: outs, detail: outs + 1, audio: -1}
		outs += 2
		if it.audio {
			idx[j].audio = outs
			outs++
		}
	}
	for j := range items {
		idx[j].stats = outs
		outs++
	}
	inputs := make([][]byte, len(items))
	for j, it := range items {
		inputs[j] = it.data
	}
	// ffmpeg's inputs: the references first, then the renditions.
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-filter_threads", "1", "-filter_complex_threads", "1"}
	for k := range distinct {
		args = append(args, "-f", "nut", "-i", fd(len(inputs)+outs+k))
	}
	for j := range inputs {
		args = append(args, "-threads", "1", "-f", "mpegts", "-i", fd(j))
	}
	users := make([]int, len(distinct))
	for _, r := range refs {
		users[refIndex[r]]++
	}
	var g strings.Builder
	for k := range distinct {
		fmt.Fprintf(&g, "[%d:v:0]setpts=PTS-STARTPTS,format=yuv420p,split=%d", k, users[k])
		for j, r := range refs {
			if refIndex[r] == k {
				fmt.Fprintf(&g, "[s%d]", j)
			}
		}
		g.WriteString(";")
	}
	var maps []string
	for j, it := range items {
		in := len(distinct) + j
		fmt.Fprintf(&g, "[%d:v:0]setpts=PTS-STARTPTS,format=yuv420p,split[m%d][md%d];", in, j, j)
		fmt.Fprintf(&g, "[md%d]select='not(mod(n,%d))',format=gray[detail%d];", j, detailEvery, j)
		fmt.Fprintf(&g, "[m%d][s%d]psnr=stats_file=/dev/fd/%d,scale=%d:%d:flags=area,format=gray[gray%d];",
			j, j, 3+len(inputs)+idx[j].stats, it.src.DecodeWidth, it.src.DecodeHeight, j)
		maps = append(maps,
			"-map", fmt.Sprintf("[gray%d]", j), "-fps_mode", "passthrough", "-f", "rawvideo", fd(len(inputs)+idx[j].gray),
			"-map", fmt.Sprintf("[detail%d]", j), "-fps_mode", "passthrough", "-f", "rawvideo", fd(len(inputs)+idx[j].detail))
		if it.audio {
			maps = append(maps, "-map", strconv.Itoa(in)+":a:0", "-ac", "1", "-ar", strconv.Itoa(audioRate),
				"-f", "s16le", fd(len(inputs)+idx[j].audio))
		}
	}
	args = append(args, "-filter_complex", strings.TrimSuffix(g.String(), ";"))
	args = append(args, maps...)
	sizes := make([]int, outs)
	for j, it := range items {
		frames := it.src.Container.Frames + 2
		sizes[idx[j].gray] = frames * it.src.DecodeWidth * it.src.DecodeHeight
		sizes[idx[j].detail] = (frames/detailEvery + 1) * it.w * it.h
	}
	job := &ffmpegJob{path: ffmpeg, args: args, inputs: inputs, outputs: outs, sizes: sizes, files: files}
	_, out, err := job.run(ctx)
	if err != nil {
		return nil, err
	}
	cs := make([]comparison, len(items))
	for j, it := range items {
		c := &cs[j]
		c.gray = split(out[idx[j].gray], it.src.DecodeWidth*it.src.DecodeHeight)
		c.detail, c.detailW, c.detailH = split(out[idx[j].detail], it.w*it.h), it.w, it.h
		c.refDetail = refs[j].detail
		if idx[j].audio >= 0 {
			c.audio = pcm(out[idx[j].audio])
		}
		if c.psnr, err = parsePSNR(out[idx[j].stats]); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// itemReferences returns each item's reference, decoding a source (once
// for all its sizes) where its fingerprint does not keep one, and the
// references made here that the fingerprint did not keep, to close after
// use.
func itemReferences(ctx context.Context, ffmpeg string, items []compareItem) (refs []*reference, spare []*reference, err error) {
	var sources []*Fingerprint
	need := map[*Fingerprint][]refKey{}
	for _, it := range items {
		if _, ok := need[it.src]; !ok {
			sources = append(sources, it.src)
		}
		need[it.src] = append(need[it.src], refKey{it.w, it.h})
	}
	made := map[*Fingerprint]map[refKey]*reference{}
	for _, src := range sources {
		m, sp, err := makeReferences(ctx, ffmpeg, src, need[src])
		spare = append(spare, sp...)
		if err != nil {
			return nil, spare, err
		}
		made[src] = m
	}
	refs = make([]*reference, len(items))
	for j, it := range items {
		k := refKey{it.w, it.h}
		if r := made[it.src][k]; r != nil {
			refs[j] = r
		} else if refs[j] = it.src.lookup(k); refs[j] == nil {
			return nil, spare, fmt.Errorf("no reference at %dx%d", k.w, k.h)
		}
	}
	return refs, spare, nil
}

// detailEvery: the detail check looks at one frame in this many (6 of
// a 2 s segment), enough for a loss of detail, which a cheat applies to
// every frame.
const detailEvery = 10

// split cuts raw frames of size bytes each.
func split(b []byte, size int) [][]byte {
	var frames [][]byte
	for off := 0; off+size <= len(b); off += size {
		frames = append(frames, b[off:off+size])
	}
	return frames
}

// parsePSNR reads the psnr filter's stats file: one line a frame,
// "n:1 mse_avg:… psnr_y:41.53 psnr_u:44.81 psnr_v:46.18".
func parsePSNR(b []byte) ([][3]float64, error) {
	var out [][3]float64
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var f [3]float64
		seen := 0
		for _, field := range strings.Fields(sc.Text()) {
			k, v, _ := strings.Cut(field, ":")
			plane := map[string]int{"psnr_y": 0, "psnr_u": 1, "psnr_v": 2}
			p, ok := plane[k]
			if !ok {
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("psnr stats %q: %w", sc.Text(), err)
			}
			f[p] = x
			seen++
		}
		if seen != 3 {
			return nil, fmt.Errorf("psnr stats line %q: want psnr_y, psnr_u and psnr_v", sc.Text())
		}
		for p := range f {
			if math.IsInf(f[p], 1) || f[p] > maxPSNR {
				f[p] = maxPSNR
			}
		}
		out = append(out, f)
	}
	return out, sc.Err()
}

// maxPSNR is where identical planes are counted: their PSNR is infinite.
const maxPSNR = 100
