package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

// reference is a source decoded once and scaled to one rendition size
// (bicubic), kept as raw yuv420p frames in NUT (which keeps each frame's
// time) in a file in memory: comparing a rendition reads it, which costs a
// fraction of decoding the source again.
type reference struct {
	w, h int
	file *memFile
	// detail is the fine detail (laplacian) of every detailEvery-th frame's
	// luma, measured once when the reference is made.
	detail []float64
	closed bool // by Release, under the fingerprint's refs.mu
}

// refKey is a reference's size.
type refKey struct{ w, h int }

// references are a fingerprint's references by size, made when the
// fingerprint is taken for the sizes asked then (a Generator asks for
// every profile's) and on first use for any other size.
type references struct {
	mu       sync.Mutex
	m        map[refKey]*reference
	released bool
}

// Release frees the decoded references kept for the fingerprint's
// renditions (about 115 MB for a 720p segment and the four profiles). A
// verification after Release decodes the source again. Without Release
// they are freed when the fingerprint is garbage collected; a prober
// releases each segment once verified, so they never pile up.
func (fp *Fingerprint) Release() {
	if fp == nil {
		return
	}
	fp.refs.mu.Lock()
	defer fp.refs.mu.Unlock()
	for _, r := range fp.refs.m {
		r.closed = true
		r.file.close()
	}
	fp.refs.m, fp.refs.released = nil, true
}

// open returns a new descriptor of r, a reference of fp, reading from its
// start.
func (fp *Fingerprint) open(r *reference) (*os.File, error) {
	fp.refs.mu.Lock()
	defer fp.refs.mu.Unlock()
	if r.closed {
		return nil, errors.New("the fingerprint was released during its verification")
	}
	return r.file.open()
}

// lookup returns the reference of size k, nil when there is none.
func (fp *Fingerprint) lookup(k refKey) *reference {
	fp.refs.mu.Lock()
	defer fp.refs.mu.Unlock()
	return fp.refs.m[k]
}

// keep adds references and returns those it did not keep (a size another
// verification made first, or any after Release): the caller uses them and
// then closes them.
func (fp *Fingerprint) keep(rs map[refKey]*reference) (spare []*reference) {
	fp.refs.mu.Lock()
	defer fp.refs.mu.Unlock()
	if fp.refs.m == nil {
		fp.refs.m = map[refKey]*reference{}
	}
	for k, r := range rs {
		if _, ok := fp.refs.m[k]; ok || fp.refs.released {
			spare = append(spare, r)
			continue
		}
		fp.refs.m[k] = r
	}
	return spare
}

// referenceOutputs adds to a decode of the source, whose video is the
// filter graph's pad in, two outputs per size: the frames, written to a new
// memory file (the job's file firstFile+i), and every detailEvery-th
// frame's luma (the job's output firstOut+i), which setDetail measures. It
// returns the filter graph's part (ending in ";" when not empty), the
// output arguments and the references.
func referenceOutputs(c Container, in string, sizes []refKey, firstOut, firstFile int) (graph string, args []string, refs map[refKey]*reference, err error) {
	if len(sizes) == 0 {
		return "", nil, nil, nil
	}
	refs = map[refKey]*reference{}
	var g strings.Builder
	fmt.Fprintf(&g, "%ssetpts=PTS-STARTPTS,format=yuv420p,split=%d", in, len(sizes))
	for i := range sizes {
		fmt.Fprintf(&g, "[ref%d]", i)
	}
	g.WriteString(";")
	for i, k := range sizes {
		f, err := newMemFile(fmt.Sprintf("ref%dx%d", k.w, k.h))
		if err != nil {
			for _, r := range refs {
				r.file.close()
			}
			return "", nil, nil, err
		}
		refs[k] = &reference{w: k.w, h: k.h, file: f}
		scale := "null"
		if k.w != c.Width || k.h != c.Height {
			scale = fmt.Sprintf("scale=%d:%d:flags=bicubic", k.w, k.h)
		}
		// format=yuv420p again after the scaler: the gray branch must not
		// turn the scaler's output gray.
		fmt.Fprintf(&g, "[ref%d]%s,format=yuv420p,split[refout%d][refsel%d];[refsel%d]select='not(mod(n,%d))',format=gray[refdet%d];",
			i, scale, i, i, i, detailEvery, i)
		args = append(args, "-map", fmt.Sprintf("[refout%d]", i), "-fps_mode", "passthrough",
			"-c:v", "rawvideo", "-f", "nut", fd(firstFile+i),
			"-map", fmt.Sprintf("[refdet%d]", i), "-fps_mode", "passthrough", "-f", "rawvideo", fd(firstOut+i))
	}
	return g.String(), args, refs, nil
}

// setDetail measures each reference's detail from its output (outs[i] for
// sizes[i]).
func setDetail(refs map[refKey]*reference, sizes []refKey, outs [][]byte) {
	for i, k := range sizes {
		r := refs[k]
		for _, f := range split(outs[i], k.w*k.h) {
			r.detail = append(r.detail, laplacian(f, k.w, 0, k.w, k.h))
		}
	}
}

// files returns the write ends of the references in the order of sizes.
func refFiles(refs map[refKey]*reference, sizes []refKey) []*os.File {
	fs := make([]*os.File, len(sizes))
	for i, k := range sizes {
		fs[i] = refs[k].file.writer()
	}
	return fs
}

// makeReferences decodes src once and returns its references at the sizes
// it does not keep yet, and those of them it did not keep.
func makeReferences(ctx context.Context, ffmpeg string, src *Fingerprint, sizes []refKey) (map[refKey]*reference, []*reference, error) {
	var missing []refKey
	for _, k := range sizes {
		if src.lookup(k) == nil && !slices.Contains(missing, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil, nil, nil
	}
	graph, outArgs, refs, err := referenceOutputs(src.Container, "[0:v:0]", missing, 1, 1+len(missing))
	if err != nil {
		return nil, nil, err
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-filter_threads", "1",
		"-filter_complex_threads", "1", "-threads", "1", "-f", "mpegts", "-i", fd(0),
		"-filter_complex", strings.TrimSuffix(graph, ";")}
	args = append(args, outArgs...)
	job := &ffmpegJob{path: ffmpeg, args: args, inputs: [][]byte{src.source}, outputs: len(missing),
		files: refFiles(refs, missing)}
	_, outs, err := job.run(ctx)
	if err != nil {
		for _, r := range refs {
			r.file.close()
		}
		return nil, nil, err
	}
	setDetail(refs, missing, outs)
	return refs, src.keep(refs), nil
}
