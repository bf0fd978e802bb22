package node

import (
	"bytes"
	"testing"
)

func TestVideoCodec(t *testing.T) {
	loadSegments(t)
	t.Run("OK", func(t *testing.T) {
		if c, err := videoCodec(segA); err != nil || c != "h264" {
			t.Fatalf("videoCodec = %q, %v; want h264", c, err)
		}
	})
	t.Run("ErrNotTS", func(t *testing.T) {
		if _, err := videoCodec(bytes.Repeat([]byte("garbage "), 100)); err == nil {
			t.Fatal("found a codec in garbage")
		}
	})
}

// FuzzVideoCodec feeds arbitrary bodies to the broadcaster's codec probe,
// which reads untrusted pushes before anything else does.
func FuzzVideoCodec(f *testing.F) {
	// A PAT packet (PID 0) pointing at a PMT on PID 0x1000, and a lone
	// sync byte.
	pat := make([]byte, 188)
	copy(pat, []byte{0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x00})
	f.Add(pat)
	f.Add([]byte{0x47})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = videoCodec(data)
	})
}
