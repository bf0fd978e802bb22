package probe

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"os/exec"
	"testing"
)

// ffmpegScale scales a PNG by 4 with ffmpeg's filter flags, as an honest
// (if model-free) upscaler would.
func ffmpegScale(t *testing.T, in []byte, flags string) image.Image {
	t.Helper()
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "image2pipe", "-i", "pipe:0",
		"-vf", "scale=iw*4:ih*4:flags="+flags, "-frames:v", "1", "-c:v", "png", "-f", "image2pipe", "pipe:1")
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffmpeg: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestCheckUpscale(t *testing.T) {
	in := testPicture(7, aiUpscaleW, aiUpscaleH)
	file, err := pngBytes(in)
	if err != nil {
		t.Fatal(err)
	}
	_, _, want := luma(in)
	// A picture of the same size that is not the input, scaled honestly.
	other, _ := pngBytes(testPicture(8, aiUpscaleW, aiUpscaleH))
	// The input with a tenth of it painted over.
	patched := image.NewRGBA(image.Rect(0, 0, aiUpscaleW*4, aiUpscaleH*4))
	draw.Draw(patched, patched.Bounds(), ffmpegScale(t, file, "lanczos"), image.Point{}, draw.Src)
	draw.Draw(patched, image.Rect(0, 0, aiUpscaleW*4, aiUpscaleH*4/10), image.White, image.Point{}, draw.Src)
	for _, tc := range []struct {
		name string
		out  image.Image
		code string
	}{
		{"OKLanczos", ffmpegScale(t, file, "lanczos"), ""},
		{"OKBicubic", ffmpegScale(t, file, "bicubic"), ""},
		{"OKNeighbour", ffmpegScale(t, file, "neighbor"), ""},
		{"ErrUnscaled", in, CodeAIWrongSize},
		{"ErrOther", ffmpegScale(t, other, "lanczos"), CodeAIMismatch},
		{"ErrBlank", image.NewGray(image.Rect(0, 0, aiUpscaleW*4, aiUpscaleH*4)), CodeAIBlank},
		{"ErrPatched", patched, CodeAIMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkUpscale(tc.out, want)
			w, h, y := luma(tc.out)
			if w == aiUpscaleW*4 && h == aiUpscaleH*4 {
				t.Logf("PSNR %.1f dB", psnr(want, shrink(w, h, y, 4)))
			}
			if got := Classify(err); (err == nil && tc.code != "") || (err != nil && got != tc.code) {
				t.Errorf("err %v (%s), want %q", err, got, tc.code)
			}
		})
	}
}

// FuzzMP4Video feeds hostile videos to the box walker: it may refuse
// them, never panic or loop.
func FuzzMP4Video(f *testing.F) {
	box := func(typ string, body ...byte) []byte {
		n := 8 + len(body)
		return append([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), typ[0], typ[1], typ[2], typ[3]}, body...)
	}
	tkhd := box("tkhd", append(make([]byte, 76), 1, 0, 0, 0, 0, 144, 0, 0)...)
	f.Add(append(box("ftyp", 'i', 's', 'o', 'm'), box("moov", box("trak", tkhd...)...)...))
	f.Add([]byte("\x00\x00\x00\x01ftyp\xff\xff\xff\xff\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _, _ = mp4Video(b)
	})
}
