package media

import (
	"math"
	"math/rand/v2"
)

// Test segments are 2 s of 1280×720 at 30 fps.
const (
	SegmentWidth  = 1280
	SegmentHeight = 720
	SegmentFPS    = 30
	SegmentFrames = 60
)

// picture draws the frames of one segment: two moving sine gratings and a
// bouncing bright box, all with parameters drawn from the nonce, over slowly
// moving chroma, with the frame code in the bottom band.
type picture struct {
	nonce uint32
	w, h  int

	grating [2]grating
	box     struct{ x, y, vx, vy, w, h float64 }
	chroma  [2]grating
	text    [len(textCells)]textLine
}

// grating is amp·sin(kx·x + ky·y − speed·t + phase).
type grating struct{ amp, kx, ky, speed, phase float64 }

func newPicture(nonce uint32, w, h int) *picture {
	r := rand.New(rand.NewPCG(uint64(nonce), 0x706f6469756d)) // "podium"
	p := &picture{nonce: nonce, w: w, h: h}
	for i := range p.grating {
		angle := r.Float64() * 2 * math.Pi
		k := 2 * math.Pi / (140 + r.Float64()*260) // wavelength 140–400 px
		p.grating[i] = grating{
			amp:   []float64{50, 35}[i],
			kx:    k * math.Cos(angle),
			ky:    k * math.Sin(angle),
			speed: 0.05 + r.Float64()*0.15, // radians per frame
			phase: r.Float64() * 2 * math.Pi,
		}
	}
	for i := range p.chroma {
		angle := r.Float64() * 2 * math.Pi
		k := 2 * math.Pi / (300 + r.Float64()*500)
		p.chroma[i] = grating{amp: 40, kx: k * math.Cos(angle), ky: k * math.Sin(angle),
			speed: 0.02 + r.Float64()*0.05, phase: r.Float64() * 2 * math.Pi}
	}
	for i := range p.text {
		p.text[i] = newTextLine(r, textCells[i], w, h, i)
	}
	b := &p.box
	b.w, b.h = float64(w)/6, float64(h)/5
	b.x, b.y = r.Float64()*(float64(w)-b.w), r.Float64()*(float64(h)*0.8-b.h)
	b.vx, b.vy = 8+r.Float64()*10, 5+r.Float64()*8
	if r.IntN(2) == 0 {
		b.vx = -b.vx
	}
	return p
}

// frame writes frame t as yuv420p into buf (len w*h*3/2).
func (p *picture) frame(buf []byte, t int) {
	w, h := p.w, p.h
	y := buf[:w*h]
	band := h - codeRows*(w/codeCols)
	// sin(a+b) = sin a·cos b + cos a·sin b, with a per column and b per
	// row, keeps the inner loop to multiplications.
	var sa, ca [2][]float64
	for g := range p.grating {
		sa[g], ca[g] = make([]float64, w), make([]float64, w)
		for x := 0; x < w; x++ {
			sa[g][x], ca[g][x] = math.Sincos(p.grating[g].kx * float64(x))
		}
	}
	bx0, by0, bx1, by1 := p.boxAt(t)
	for r := 0; r < band; r++ {
		var sb, cb [2]float64
		for g := range p.grating {
			gr := p.grating[g]
			sb[g], cb[g] = math.Sincos(gr.ky*float64(r) - gr.speed*float64(t) + gr.phase)
			sb[g], cb[g] = sb[g]*gr.amp, cb[g]*gr.amp
		}
		row := y[r*w : (r+1)*w]
		inBox := r >= by0 && r < by1
		for x := range row {
			if inBox && x >= bx0 && x < bx1 {
				row[x] = 230
				continue
			}
			v := 128 + sa[0][x]*cb[0] + ca[0][x]*sb[0] + sa[1][x]*cb[1] + ca[1][x]*sb[1]
			row[x] = byte(min(max(v, codeBlack), codeWhite))
		}
		for i := range p.text {
			p.text[i].draw(row, r, t, inBox, bx0, bx1)
		}
	}
	drawCode(y, w, h, p.nonce, t)
	cw, ch := w/2, h/2
	cs, cc := make([]float64, cw), make([]float64, cw)
	for plane := 0; plane < 2; plane++ {
		c := buf[w*h+plane*cw*ch : w*h+(plane+1)*cw*ch]
		g := p.chroma[plane]
		for x := 0; x < cw; x++ {
			cs[x], cc[x] = math.Sincos(g.kx * float64(2*x))
		}
		for r := 0; r < ch; r++ {
			row := c[r*cw : (r+1)*cw]
			if r*2 >= band {
				for x := range row {
					row[x] = 128
				}
				continue
			}
			sb, cb := math.Sincos(g.ky*float64(2*r) - g.speed*float64(t) + g.phase)
			sb, cb = sb*g.amp, cb*g.amp
			for x := range row {
				row[x] = byte(128 + cs[x]*cb + cc[x]*sb)
			}
		}
	}
}

// boxAt returns the bouncing box's corners in frame t.
func (p *picture) boxAt(t int) (x0, y0, x1, y1 int) {
	b := p.box
	span := func(pos, v, size, limit float64) int {
		room := limit - size
		q := math.Mod(pos+v*float64(t), 2*room)
		if q < 0 {
			q += 2 * room
		}
		if q > room {
			q = 2*room - q
		}
		return int(q)
	}
	x := span(b.x, b.vx, b.w, float64(p.w))
	y := span(b.y, b.vy, b.h, float64(p.h)*0.8)
	return x, y, x + int(b.w), y + int(b.h)
}
