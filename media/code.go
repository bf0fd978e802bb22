package media

import (
	"encoding/binary"
	"hash/crc32"
)

// The frame code is 64 bits drawn as 2 rows of 32 square blocks across the
// bottom of every frame of a podium segment (40×40 px at 1280×720, 8×8 px
// at 256×144, 4×4 px in the 128×72 thumbnails verification reads): 8 sync
// bits, the 32-bit nonce, an 8-bit frame index and 16 check bits. A block is
// black or white, so it survives scaling and low bitrates; the sync bits fix
// the threshold and reject mirrored or foreign pictures.
const (
	codeCols = 32
	codeRows = 2
	codeBits = codeCols * codeRows
	codeSync = 0xB4 // 10110100: both levels present, not a palindrome

	codeBlack = 16  // limited-range luma
	codeWhite = 235 // limited-range luma

	// minCodeContrast is the least gray-level gap between the sync blocks'
	// white and black for a code to be read at all.
	minCodeContrast = 40
)

// Code is what one frame's code says.
type Code struct {
	Nonce uint32 `json:"nonce"`
	Index int    `json:"index"`
}

// codeWord packs nonce and index into the 64 bits drawn into a frame.
func codeWord(nonce uint32, index int) uint64 {
	var b [5]byte
	binary.BigEndian.PutUint32(b[:4], nonce)
	b[4] = byte(index)
	check := crc32.ChecksumIEEE(b[:]) & 0xFFFF
	return uint64(codeSync)<<56 | uint64(nonce)<<24 | uint64(byte(index))<<16 | uint64(check)
}

// parseCodeWord checks the sync and check bits of w and returns its code.
func parseCodeWord(w uint64) (Code, bool) {
	if byte(w>>56) != codeSync {
		return Code{}, false
	}
	nonce := uint32(w >> 24)
	index := int(byte(w >> 16))
	if codeWord(nonce, index) != w {
		return Code{}, false
	}
	return Code{Nonce: nonce, Index: index}, true
}

// drawCode draws the code of (nonce, index) into the luma plane y of a
// w×h frame (stride w).
func drawCode(y []byte, w, h int, nonce uint32, index int) {
	word := codeWord(nonce, index)
	bs := w / codeCols
	y0 := h - codeRows*bs
	for bit := 0; bit < codeBits; bit++ {
		v := byte(codeBlack)
		if word>>(63-bit)&1 == 1 {
			v = codeWhite
		}
		bx := (bit % codeCols) * bs
		by := y0 + (bit/codeCols)*bs
		for r := by; r < by+bs; r++ {
			row := y[r*w+bx : r*w+bx+bs]
			for i := range row {
				row[i] = v
			}
		}
	}
}

// readCode reads the frame code from a w×h gray frame; mirror reads it as if
// the frame were flipped left to right.
func readCode(g []byte, w, h int, mirror bool) (Code, bool) {
	bs := w / codeCols
	if bs < 2 || h < codeRows*bs {
		return Code{}, false
	}
	y0 := h - codeRows*bs
	var level [codeBits]int
	for bit := 0; bit < codeBits; bit++ {
		col := bit % codeCols
		if mirror {
			col = codeCols - 1 - col
		}
		bx := col * bs
		by := y0 + (bit/codeCols)*bs
		// The inner part of the block: its edges blur when scaled.
		m := bs / 4
		sum, n := 0, 0
		for r := by + m; r < by+bs-m; r++ {
			for c := bx + m; c < bx+bs-m; c++ {
				sum += int(g[r*w+c])
				n++
			}
		}
		level[bit] = sum / n
	}
	hi, lo, nhi, nlo := 0, 0, 0, 0
	for bit := 0; bit < 8; bit++ {
		if codeSync>>(7-bit)&1 == 1 {
			hi += level[bit]
			nhi++
		} else {
			lo += level[bit]
			nlo++
		}
	}
	hi /= nhi
	lo /= nlo
	if hi-lo < minCodeContrast {
		return Code{}, false
	}
	threshold := (hi + lo) / 2
	var word uint64
	for bit := 0; bit < codeBits; bit++ {
		word <<= 1
		if level[bit] > threshold {
			word |= 1
		}
	}
	return parseCodeWord(word)
}
