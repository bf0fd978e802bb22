package media

import (
	"context"
	"errors"
)

// Check is one rendition to judge against the fingerprint of its source.
type Check struct {
	Source    *Fingerprint
	Rendition Rendition
}

// VerifyBatch judges many renditions, of one segment or of several,
// decoding all that pass the container layer in a single ffmpeg process:
// starting ffmpeg costs about as much CPU as decoding a 720p rendition, so
// a prober batches what it has ready. When that process fails on its input
// (one rendition ffmpeg cannot decode at all), each rendition is compared
// again on its own, so the others keep their verdicts.
func (v *Verifier) VerifyBatch(ctx context.Context, checks []Check) ([]Verdict, error) {
	groups := make([]int, len(checks))
	for i := range groups {
		groups[i] = i
	}
	return v.verify(ctx, checks, groups)
}

// VerifyGroups judges the renditions of several tests, each group the
// renditions of one test's segment, in a single ffmpeg process, as
// VerifyBatch does. Groups are kept apart: a verdict depends only on its
// rendition and its source, never on what else shares the process. When
// the shared process fails on its input, every group is verified again on
// its own (and within a group that fails again, every rendition), so a
// rendition that breaks ffmpeg costs the other groups one process start,
// not their verdicts.
func (v *Verifier) VerifyGroups(ctx context.Context, groups [][]Check) ([][]Verdict, error) {
	var checks []Check
	var ids []int
	for g, cs := range groups {
		checks = append(checks, cs...)
		for range cs {
			ids = append(ids, g)
		}
	}
	vds, err := v.verify(ctx, checks, ids)
	if err != nil {
		return nil, err
	}
	out := make([][]Verdict, len(groups))
	for g, cs := range groups {
		out[g], vds = vds[:len(cs):len(cs)], vds[len(cs):]
	}
	return out, nil
}

// verify runs the container layer on every check, then compares those
// that pass in one ffmpeg process; group[i] is check i's group, the unit
// a failed process falls back to.
func (v *Verifier) verify(ctx context.Context, checks []Check, group []int) ([]Verdict, error) {
	vds := make([]Verdict, len(checks))
	var pass []int
	for i, c := range checks {
		vds[i] = v.checkContainer(c.Source, c.Rendition)
		if vds[i].OK {
			pass = append(pass, i)
		}
	}
	if len(pass) == 0 {
		return vds, nil
	}
	items := make([]compareItem, len(pass))
	groups := make([]int, len(pass))
	for k, i := range pass {
		c := checks[i]
		items[k] = compareItem{src: c.Source, data: c.Rendition.Data,
			w: vds[i].Measured.Container.Width, h: vds[i].Measured.Container.Height,
			audio: vds[i].Measured.Container.AudioTracks > 0 && c.Source.sound != nil}
		groups[k] = group[i]
	}
	cs, err := compareIsolated(ctx, v.FFmpeg, items, groups)
	if err != nil {
		return nil, err
	}
	for k, i := range pass {
		v.checkContent(&vds[i], checks[i].Source, &cs[k])
	}
	return vds, nil
}

// compareIsolated compares items in one ffmpeg process. When ffmpeg fails
// on its input, it compares each group again on its own, and a single
// group each item on its own; an item that fails alone gets an empty
// comparison (the content layer then finds no frames). Any other error
// (ffmpeg missing, ctx done) is the verifier's and is returned.
func compareIsolated(ctx context.Context, ffmpeg string, items []compareItem, group []int) ([]comparison, error) {
	cs, err := compareBatch(ctx, ffmpeg, items)
	if err == nil || !isFFmpegFailure(err) {
		return cs, err
	}
	cs = make([]comparison, len(items))
	if len(items) == 1 {
		return cs, nil
	}
	parts := map[int][]int{}
	var order []int
	for k, g := range group {
		if _, ok := parts[g]; !ok {
			order = append(order, g)
		}
		parts[g] = append(parts[g], k)
	}
	if len(order) == 1 {
		// One group: split it into its items.
		order, parts = order[:0], map[int][]int{}
		for k := range items {
			order = append(order, k)
			parts[k] = []int{k}
		}
	}
	for _, g := range order {
		idx := parts[g]
		sub := make([]compareItem, len(idx))
		for n, k := range idx {
			sub[n] = items[k]
		}
		// Within the part, every item is its own group.
		own := make([]int, len(idx))
		for n := range own {
			own[n] = n
		}
		c, err := compareIsolated(ctx, ffmpeg, sub, own)
		if err != nil {
			return nil, err
		}
		for n, k := range idx {
			cs[k] = c[n]
		}
	}
	return cs, nil
}

func isFFmpegFailure(err error) bool {
	var fe *ffmpegError
	return errors.As(err, &fe)
}
