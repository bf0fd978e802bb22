package probe

import (
	"encoding/binary"
	"errors"
)

// mp4Video reads the picture size (from tkhd) and frame count (from stsz)
// of the first video track of an MP4, walking its boxes; it decodes
// nothing. A track is video when its tkhd has a width.
func mp4Video(b []byte) (w, h, frames int, err error) {
	if len(b) < 12 || string(b[4:8]) != "ftyp" {
		return 0, 0, 0, errors.New("not an MP4 (no ftyp box first)")
	}
	var found bool
	var walk func(b []byte, depth int)
	walk = func(b []byte, depth int) {
		for len(b) >= 8 && !found && depth < 8 {
			size := int(binary.BigEndian.Uint32(b))
			typ := string(b[4:8])
			hdr := 8
			if size == 1 && len(b) >= 16 {
				size, hdr = int(binary.BigEndian.Uint64(b[8:16])), 16
			}
			if size == 0 {
				size = len(b)
			}
			if size < hdr || size > len(b) {
				return
			}
			body := b[hdr:size]
			switch typ {
			case "moov", "mdia", "minf", "stbl":
				walk(body, depth+1)
			case "trak":
				w, h, frames = 0, 0, 0
				walk(body, depth+1)
				if w > 0 && h > 0 {
					found = true
				}
			case "tkhd":
				if len(body) >= 8 {
					w = int(binary.BigEndian.Uint32(body[len(body)-8:]) >> 16)
					h = int(binary.BigEndian.Uint32(body[len(body)-4:]) >> 16)
				}
			case "stsz":
				if len(body) >= 12 {
					frames = int(binary.BigEndian.Uint32(body[8:12]))
				}
			}
			b = b[size:]
		}
	}
	walk(b, 0)
	if !found {
		return 0, 0, 0, errors.New("MP4 has no video track")
	}
	return w, h, frames, nil
}
