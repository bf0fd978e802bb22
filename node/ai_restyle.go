package node

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // inputs may be JPEG
	_ "image/png"

	"github.com/podiumhq/podium/lpnet"
)

// imageToImage repaints the input, num_images_per_prompt times, at its own
// size, as ai-worker's image-to-image keeps it: each picture is restyled
// (pure Go), the i-th with a stronger posterize. It stands in for a
// diffusion model guided by the prompt.
func (a *AIWorker) imageToImage(req *lpnet.AIRequest) ([][]byte, int64, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(req.File))
	if err != nil {
		return nil, 0, fmt.Errorf("image-to-image: input image: %w", err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxAIImageSide || cfg.Height > MaxAIImageSide {
		return nil, 0, fmt.Errorf("image-to-image: input image %dx%d: each side from 1 to %d", cfg.Width, cfg.Height, MaxAIImageSide)
	}
	in, _, err := image.Decode(bytes.NewReader(req.File))
	if err != nil {
		return nil, 0, fmt.Errorf("image-to-image: input image: %w", err)
	}
	if req.String("prompt") == "" {
		return nil, 0, errors.New("image-to-image: prompt is required")
	}
	n, err := req.Int("num_images_per_prompt", 1)
	if err != nil {
		return nil, 0, err
	}
	if n < 1 || n > MaxAIImages {
		return nil, 0, fmt.Errorf("image-to-image: num_images_per_prompt %d: from 1 to %d", n, MaxAIImages)
	}
	seed, err := a.seed(req)
	if err != nil {
		return nil, 0, err
	}
	w, h := cfg.Width, cfg.Height
	var out [][]byte
	for i := range n {
		var img image.Image
		switch a.Fault.Kind {
		case AIFaultUnrelated:
			img = render("unrelated", a.Seed+int64(i), w, h)
		case AIFaultBlank:
			img = flat(w, h)
		case AIFaultWrongSize:
			img = restyle(in, 6-i).SubImage(image.Rect(0, 0, w*3/4, h*3/4))
		default:
			img = restyle(in, 6-i)
		}
		b, err := encodePNG(img)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	return out, seed, nil
}

// restyle blurs img by a 3×3 box and posterizes each channel to levels
// levels: a watercolour-like picture of the same scene, its shapes where
// they were.
func restyle(img image.Image, levels int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			src.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	levels = max(levels, 2)
	step := 255 / (levels - 1)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var sum [3]int
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					p := src.RGBAAt(xx, yy)
					sum[0], sum[1], sum[2] = sum[0]+int(p.R), sum[1]+int(p.G), sum[2]+int(p.B)
					n++
				}
			}
			var px [3]uint8
			for k := range px {
				v := sum[k] / n
				px[k] = uint8(min((v+step/2)/step*step, 255))
			}
			out.SetRGBA(x, y, color.RGBA{px[0], px[1], px[2], 255})
		}
	}
	return out
}
