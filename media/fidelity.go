package media

import "math"

// FidelityMeasures are the fidelity layer's measurements: the rendition
// against its source scaled to the rendition's size, frame by frame.
type FidelityMeasures struct {
	Frames int `json:"frames"`
	// PSNR is the mean over frames of each plane's PSNR (Y, U, V) in dB;
	// identical planes count as 100.
	PSNR [3]float64 `json:"psnr"`
	// MinPSNR is each plane's worst frame, MinPSNRFrame which frame.
	MinPSNR      [3]float64 `json:"min_psnr"`
	MinPSNRFrame [3]int     `json:"min_psnr_frame"`
	// WorstTile is the largest difference (gray levels) between the mean
	// level of a tile of the rendition and of the source, over the whole
	// segment, on a 32×18 grid (40×40 px of a 1280×720 picture). An
	// overlay moves a tile's level; blur, scaling and coding noise keep it.
	WorstTile  float64 `json:"worst_tile"`
	WorstTileX int     `json:"worst_tile_x"`
	WorstTileY int     `json:"worst_tile_y"`
	// Detail is the rendition's fine detail (mean absolute Laplacian of the
	// luma at its size, over the sampled frames) as a share of the
	// source's at the same size; SourceDetail the source's, in gray levels.
	// Blur and a picture made smaller and scaled up lose most of it; coding
	// noise does not.
	Detail       float64 `json:"detail"`
	SourceDetail float64 `json:"source_detail"`
	// MisplacedFrames counts frames whose picture is closer to another
	// source frame within ±misplaceReach than to the source frame at the
	// same time (by MisplaceMargin gray levels): reordered or repeated
	// frames. FirstMisplaced is the first such frame, -1 when none.
	MisplacedFrames int `json:"misplaced_frames"`
	FirstMisplaced  int `json:"first_misplaced"`
	// CommonOffset is the offset most misplaced frames are closest at, and
	// CommonOffsetFrames how many: a whole segment early or late is a
	// shift, frames out of place each their own way are reordered.
	CommonOffset       int `json:"common_offset"`
	CommonOffsetFrames int `json:"common_offset_frames"`
	// InvertedRatio is the rendition's gray distance to the inverted
	// source over its distance to the source: far below 1 when inverted.
	InvertedRatio float64 `json:"inverted_ratio"`
}

// misplaceReach is how many frames either way the frame-order check looks.
const misplaceReach = 4

// measureFidelity fills the fidelity measures from one comparison.
func measureFidelity(src *Fingerprint, c *comparison) *FidelityMeasures {
	fm := &FidelityMeasures{Frames: len(c.psnr), FirstMisplaced: -1}
	for p := range 3 {
		fm.MinPSNR[p] = maxPSNR
	}
	for i, f := range c.psnr {
		for p := range 3 {
			fm.PSNR[p] += f[p]
			if f[p] < fm.MinPSNR[p] {
				fm.MinPSNR[p], fm.MinPSNRFrame[p] = f[p], i
			}
		}
	}
	for p := range 3 {
		if n := len(c.psnr); n > 0 {
			fm.PSNR[p] = round3(fm.PSNR[p] / float64(n))
		} else {
			fm.MinPSNR[p] = 0
		}
	}
	measureTiles(fm, src, c.gray)
	measureDetail(fm, c)
	measureOrder(fm, src, c.gray)
	return fm
}

// measureTiles compares the mean level of each tile, over all frames.
func measureTiles(fm *FidelityMeasures, src *Fingerprint, gray [][]byte) {
	w, h := src.DecodeWidth, src.DecodeHeight
	bs := max(1, w/codeCols)
	tw, th := w/bs, h/bs
	if src.Nonce != 0 {
		// The frame-code band: an overlay there breaks the codes, and the
		// scalers' ringing on its hard block edges moves its tiles' level
		// by up to 13 gray levels in honest 240p renditions.
		th -= codeRows
	}
	sum := make([]int, tw*th)
	n := min(len(gray), len(src.gray))
	if n == 0 || tw == 0 || th == 0 {
		return
	}
	for i := range n {
		r, s := gray[i], src.gray[i]
		for y := range th * bs {
			row := (y / bs) * tw
			for x := range tw * bs {
				sum[row+x/bs] += int(r[y*w+x]) - int(s[y*w+x])
			}
		}
	}
	for k, v := range sum {
		d := math.Abs(float64(v)) / float64(n*bs*bs)
		if d > fm.WorstTile {
			fm.WorstTile, fm.WorstTileX, fm.WorstTileY = d, k%tw, k/tw
		}
	}
	fm.WorstTile = round3(fm.WorstTile)
}

// measureOrder compares each rendition frame with the source frames near
// it, above the frame-code band (a cheat can paste the right codes in), and
// measures the distance to the inverted source.
func measureOrder(fm *FidelityMeasures, src *Fingerprint, gray [][]byte) {
	w, h := src.DecodeWidth, src.DecodeHeight
	rows := h - codeRows*(w/codeCols)
	n := rows * w
	var direct, inverted float64
	offsets := map[int]int{}
	for i, f := range gray {
		if i >= len(src.gray) {
			break
		}
		d0 := mad(f[:n], src.gray[i][:n], w, false)
		direct += d0
		inverted += madInverted(f[:n], src.gray[i][:n])
		best, at := math.Inf(1), 0
		for j := max(0, i-misplaceReach); j <= min(len(src.gray)-1, i+misplaceReach); j++ {
			if d := mad(f[:n], src.gray[j][:n], w, false); j != i && d < best {
				best, at = d, j-i
			}
		}
		if d0-best > MisplaceMargin*max(1, d0) {
			if fm.FirstMisplaced < 0 {
				fm.FirstMisplaced = i
			}
			fm.MisplacedFrames++
			offsets[at]++
		}
	}
	for o, k := range offsets {
		if k > fm.CommonOffsetFrames {
			fm.CommonOffset, fm.CommonOffsetFrames = o, k
		}
	}
	if direct > 0 {
		fm.InvertedRatio = round3(inverted / direct)
	} else {
		fm.InvertedRatio = math.Inf(1)
	}
}

// MisplaceMargin is how much closer (relative to the distance in place,
// at least 1 gray level: half of it) another source frame must be for a rendition frame
// to count as misplaced.
const MisplaceMargin = 0.5

// madInverted is the mean absolute difference of a with b inverted.
func madInverted(a, b []byte) float64 {
	sum := 0
	b = b[:len(a)]
	for i, v := range a {
		sum += absDiff(v, 255-b[i])
	}
	return float64(sum) / float64(len(a))
}

// measureDetail compares the fine detail of the sampled frames.
func measureDetail(fm *FidelityMeasures, c *comparison) {
	w, h := c.detailW, c.detailH
	// Pairs as a frame sync does: as many as the longer side has, the
	// shorter one repeating its last frame.
	n := len(c.detail)
	if len(c.detail) > 0 {
		n = max(n, len(c.refDetail))
	}
	var r, s float64
	var last float64
	for k := range n {
		if k < len(c.detail) {
			last = laplacian(c.detail[k], w, 0, w, h)
		}
		r += last
		if m := len(c.refDetail); m > 0 {
			s += c.refDetail[min(k, m-1)]
		}
	}
	if n > 0 {
		fm.SourceDetail = round3(s / float64(n))
	}
	if s > 0 {
		fm.Detail = round3(r / s)
	} else {
		fm.Detail = 1
	}
}

// laplacian is the mean absolute discrete Laplacian of the w×h picture at
// column x0 of a frame of the given stride.
func laplacian(f []byte, stride, x0, w, h int) float64 {
	sum := 0
	for y := 1; y < h-1; y++ {
		row := f[y*stride+x0 : y*stride+x0+w]
		up := f[(y-1)*stride+x0 : (y-1)*stride+x0+w]
		down := f[(y+1)*stride+x0 : (y+1)*stride+x0+w]
		up, down = up[:len(row)], down[:len(row)]
		for x := 1; x < len(row)-1; x++ {
			v := 4*int(row[x]) - int(row[x-1]) - int(row[x+1]) - int(up[x]) - int(down[x])
			m := v >> 63
			sum += (v ^ m) - m
		}
	}
	if w < 3 || h < 3 {
		return 0
	}
	return float64(sum) / float64((w-2)*(h-2))
}
