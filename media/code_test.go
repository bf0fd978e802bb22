package media

import "testing"

// codeFrame draws the code of (nonce, index) into a gray w×h frame and
// scales it down by factor with a box filter, as a downscaled rendition.
func codeFrame(nonce uint32, index, w, h, factor int) ([]byte, int, int) {
	y := make([]byte, w*h)
	for i := range y {
		y[i] = byte(100 + i%37) // some picture above the band
	}
	drawCode(y, w, h, nonce, index)
	sw, sh := w/factor, h/factor
	out := make([]byte, sw*sh)
	for r := 0; r < sh; r++ {
		for c := 0; c < sw; c++ {
			sum := 0
			for dy := 0; dy < factor; dy++ {
				for dx := 0; dx < factor; dx++ {
					sum += int(y[(r*factor+dy)*w+c*factor+dx])
				}
			}
			out[r*sw+c] = byte(sum / (factor * factor))
		}
	}
	return out, sw, sh
}

func TestReadCode(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, nonce := range []uint32{1, 0xdeadbeef, 0xffffffff} {
			for _, index := range []int{0, 1, 59, 255} {
				g, w, h := codeFrame(nonce, index, 1280, 720, 10)
				code, ok := readCode(g, w, h, false)
				if !ok || code.Nonce != nonce || code.Index != index {
					t.Fatalf("read %+v %v, want nonce %d index %d", code, ok, nonce, index)
				}
			}
		}
	})
	t.Run("OKMirrored", func(t *testing.T) {
		g, w, h := codeFrame(42, 7, 1280, 720, 10)
		flipped := make([]byte, len(g))
		for r := 0; r < h; r++ {
			for c := 0; c < w; c++ {
				flipped[r*w+c] = g[r*w+w-1-c]
			}
		}
		if _, ok := readCode(flipped, w, h, false); ok {
			t.Fatal("a mirrored code reads as valid")
		}
		if code, ok := readCode(flipped, w, h, true); !ok || code.Nonce != 42 || code.Index != 7 {
			t.Fatalf("mirrored read %+v %v", code, ok)
		}
	})
	t.Run("ErrFlippedBit", func(t *testing.T) {
		word := codeWord(42, 7)
		for bit := 0; bit < 64; bit++ {
			if _, ok := parseCodeWord(word ^ 1<<bit); ok {
				t.Fatalf("bit %d flipped still parses", bit)
			}
		}
	})
	t.Run("ErrNoContrast", func(t *testing.T) {
		g := make([]byte, 128*72)
		for i := range g {
			g[i] = 128
		}
		if _, ok := readCode(g, 128, 72, false); ok {
			t.Fatal("a flat frame reads as a code")
		}
	})
}
