package media

import "math/rand/v2"

// textCells are the cell sizes, in pixels of the 1280×720 source, of the
// picture's three lines of "text": fine detail at the scale of each rung of
// the ladder (3 px survives only at 720p, 6 px at 360p, 12 px at 240p), so
// a rendition made at a lower size and scaled up, or blurred, loses what an
// honest one keeps.
var textCells = [...]int{3, 6, 12}

// textLine is a line of glyph-like cells, dark on a light ground, seeded by
// the nonce, scrolling left by a whole number of pixels a frame (as a
// ticker does, so encoders predict it cheaply).
type textLine struct {
	y0, y1 int    // rows it covers
	cell   int    // cell size in pixels
	speed  int    // pixels a frame, to the left
	bits   []bool // one per cell of the whole (wrapped) line, row-major
	cols   int    // cells a row
}

func newTextLine(r *rand.Rand, cell, w, h, i int) textLine {
	band := h - codeRows*(w/codeCols)
	rows := 36 / cell // 36 px tall whatever the cell
	l := textLine{cell: cell, speed: 1 + r.IntN(3), cols: 2 * w / cell}
	l.y0 = band*(2*i+1)/(2*len(textCells)) - rows*cell/2
	l.y1 = l.y0 + rows*cell
	l.bits = make([]bool, rows*l.cols)
	for k := range l.bits {
		l.bits[k] = r.IntN(5) < 2
	}
	return l
}

// draw paints row r of frame t into row (luma), leaving the box on top.
func (l *textLine) draw(row []byte, r, t int, inBox bool, bx0, bx1 int) {
	if r < l.y0 || r >= l.y1 {
		return
	}
	cr := (r - l.y0) / l.cell
	shift := l.speed * t
	span := l.cols * l.cell
	for x := range row {
		if inBox && x >= bx0 && x < bx1 {
			continue
		}
		c := ((x + shift) % span) / l.cell
		if l.bits[cr*l.cols+c] {
			row[x] = 40
		} else {
			row[x] = 210
		}
	}
}
