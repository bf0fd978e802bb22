package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// render draws a picture fixed by prompt and seed at w×h in pure Go: a
// two-colour gradient with a few discs and bars, so that it has edges and
// detail for a size check and an upscale comparison to bite on. It stands
// in for a diffusion model; the same prompt and seed give the same bytes.
func render(prompt string, seed int64, w, h int) *image.RGBA {
	sum := sha256.Sum256([]byte(strconv.FormatInt(seed, 10) + "\x00" + prompt))
	r := func(i int) int { return int(sum[i%len(sum)]) }
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c0 := [3]int{r(0), r(1), r(2)}
	c1 := [3]int{r(3), r(4), r(5)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := (x*256/max(w, 1) + y*256/max(h, 1)) / 2
			var px [3]uint8
			for k := range px {
				px[k] = uint8((c0[k]*(255-t) + c1[k]*t) / 255)
			}
			img.SetRGBA(x, y, color.RGBA{px[0], px[1], px[2], 255})
		}
	}
	for i := 0; i < 6; i++ {
		cx, cy := r(6+i*4)*w/256, r(7+i*4)*h/256
		rad := (r(8+i*4)%32 + 8) * min(w, h) / 160
		col := color.RGBA{uint8(r(9 + i*4)), uint8(255 - r(9+i*4)), uint8(r(10 + i)), 255}
		for y := max(cy-rad, 0); y < min(cy+rad, h); y++ {
			for x := max(cx-rad, 0); x < min(cx+rad, w); x++ {
				dx, dy := x-cx, y-cy
				if i%2 == 0 && dx*dx+dy*dy > rad*rad {
					continue // even shapes are discs, odd ones squares
				}
				img.SetRGBA(x, y, col)
			}
		}
	}
	return img
}

// flat returns a w×h picture of one gray.
func flat(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	return img
}

// encodePNG encodes img as PNG.
func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// seedOf is the seed a request without one gets: fixed by the node's
// seed and the prompt, so runs repeat.
func seedOf(seed int64, prompt string) int64 {
	sum := sha256.Sum256([]byte(strconv.FormatInt(seed, 10) + "/" + prompt))
	return int64(binary.BigEndian.Uint32(sum[:4]))
}

// scaleImage scales a PNG or JPEG picture by factor with ffmpeg (Lanczos)
// and returns a PNG: the upscale pipeline's real work.
func (f *FFmpeg) scaleImage(ctx context.Context, in []byte, factor float64) ([]byte, error) {
	path := f.Path
	if path == "" {
		path = "ffmpeg"
	}
	vf := fmt.Sprintf("scale=trunc(iw*%g):trunc(ih*%g):flags=lanczos", factor, factor)
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-f", "image2pipe", "-i", "pipe:0",
		"-vf", vf, "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1"}
	if f.Threads > 0 {
		args = append([]string{"-threads", strconv.Itoa(f.Threads)}, args...)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(in)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("upscale: ffmpeg: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}

// videoOf makes an MP4 of frames frames at fps from a still picture with
// ffmpeg: scaled to cover w×h, then a slow zoom into its middle, H.264.
// It stands in for a video diffusion model.
func (f *FFmpeg) videoOf(ctx context.Context, in []byte, w, h, fps, frames int) ([]byte, error) {
	path := f.Path
	if path == "" {
		path = "ffmpeg"
	}
	dir, err := os.MkdirTemp(f.TempDir, "podium-ai-")
	if err != nil {
		return nil, fmt.Errorf("image-to-video: %w", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out.mp4")
	vf := fmt.Sprintf("scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,zoompan=z='1+0.004*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=%d:s=%dx%d:fps=%d,format=yuv420p",
		2*w, 2*h, 2*w, 2*h, frames, w, h, fps)
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-f", "image2pipe", "-i", "pipe:0",
		"-vf", vf, "-frames:v", strconv.Itoa(frames), "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", "-y", out}
	if f.Threads > 0 {
		args = append([]string{"-threads", strconv.Itoa(f.Threads)}, args...)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(in)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("image-to-video: ffmpeg: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	return os.ReadFile(out)
}
