package probe

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
)

// testPicture draws a w×h input no orchestrator has seen: smooth colour
// gradients under random discs and bars, so that it has edges to upscale
// and areas that a blank or unrelated picture cannot match.
func testPicture(seed int64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(uint64(seed), 0xa1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var c0, c1 [3]float64
	for k := range c0 {
		c0[k], c1[k] = float64(r.IntN(256)), float64(r.IntN(256))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := (float64(x)/float64(w) + float64(y)/float64(h)) / 2
			img.SetRGBA(x, y, color.RGBA{uint8(c0[0] + (c1[0]-c0[0])*t), uint8(c0[1] + (c1[1]-c0[1])*t), uint8(c0[2] + (c1[2]-c0[2])*t), 255})
		}
	}
	for i := 0; i < 8; i++ {
		cx, cy, rad := r.IntN(w), r.IntN(h), 2+r.IntN(max(min(w, h)/4, 1))
		col := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		disc := i%2 == 0
		for y := max(cy-rad, 0); y < min(cy+rad, h); y++ {
			for x := max(cx-rad, 0); x < min(cx+rad, w); x++ {
				if dx, dy := x-cx, y-cy; disc && dx*dx+dy*dy > rad*rad {
					continue
				}
				img.SetRGBA(x, y, col)
			}
		}
	}
	return img
}

func pngBytes(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

// luma returns img's Rec. 601 luma, row by row.
func luma(img image.Image) (w, h int, y []float64) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	y = make([]float64, 0, w*h)
	for j := b.Min.Y; j < b.Max.Y; j++ {
		for i := b.Min.X; i < b.Max.X; i++ {
			r, g, bl, _ := img.At(i, j).RGBA()
			y = append(y, (0.299*float64(r)+0.587*float64(g)+0.114*float64(bl))/257)
		}
	}
	return w, h, y
}

// shrink averages f×f blocks of a w×h luma plane: the inverse, to within
// the detail an upscaler adds, of an upscale by f.
func shrink(w, h int, y []float64, f int) []float64 {
	ow, oh := w/f, h/f
	out := make([]float64, ow*oh)
	for j := 0; j < oh*f; j++ {
		for i := 0; i < ow*f; i++ {
			out[(j/f)*ow+i/f] += y[j*w+i]
		}
	}
	for k := range out {
		out[k] /= float64(f * f)
	}
	return out
}

// psnr is the peak signal-to-noise ratio of b against a, in dB; +Inf when
// they are equal.
func psnr(a, b []float64) float64 {
	var se float64
	for i := range a {
		d := a[i] - b[i]
		se += d * d
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(len(a))))
}

// stddev is the standard deviation of a luma plane: near 0 for a flat
// picture.
func stddev(y []float64) float64 {
	var sum, sq float64
	for _, v := range y {
		sum += v
		sq += v * v
	}
	n := float64(len(y))
	return math.Sqrt(max(sq/n-(sum/n)*(sum/n), 0))
}
