package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Table image layout, in pixels. The fonts are the Go fonts embedded in
// the binary, so an image looks the same on every machine.
const (
	imageWidth = 760
	titleH     = 40
	rowH       = 24
	marginX    = 12
	marginB    = 8
)

var columns = []struct {
	title string
	x     int // left edge
	right bool
}{
	{"#", marginX, false},
	{"Orchestrator", marginX + 36, false},
	{"Score", 470, true},
	{"Success", 560, true},
	{"Latency", 650, true},
	{"Tests", imageWidth - marginX, true},
}

var (
	facesOnce         sync.Once
	regular, bold     font.Face
	facesErr          error
	colHeader         = color.RGBA{0x1f, 0x29, 0x37, 0xff}
	colStripe         = color.RGBA{0xf3, 0xf4, 0xf6, 0xff}
	colText           = color.RGBA{0x11, 0x18, 0x27, 0xff}
	colMuted          = color.RGBA{0x9c, 0xa3, 0xaf, 0xff}
	colQualifiedBadge = color.RGBA{0x05, 0x96, 0x69, 0xff}
)

func faces() error {
	facesOnce.Do(func() {
		load := func(ttf []byte, size float64) font.Face {
			f, err := opentype.Parse(ttf)
			if err != nil {
				facesErr = err
				return nil
			}
			face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
			if err != nil {
				facesErr = err
			}
			return face
		}
		regular = load(goregular.TTF, 13)
		bold = load(gobold.TTF, 15)
	})
	return facesErr
}

// ImageSize returns the size of a region's table image with n rows.
func ImageSize(n int) (w, h int) { return imageWidth, titleH + rowH*(n+1) + marginB }

// PNG draws a region's leaderboard as a table image for the forum post.
func (r *Report) PNG(reg Region) ([]byte, error) {
	if err := faces(); err != nil {
		return nil, fmt.Errorf("load fonts: %w", err)
	}
	w, h := ImageSize(len(reg.Rows))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	text(img, bold, colText, marginX, 26, fmt.Sprintf("%s — round %d %s, %s", reg.Name, r.Round, r.Kind, day(r.At)), false)
	fill(img, image.Rect(0, titleH, w, titleH+rowH), colHeader)
	for _, c := range columns {
		text(img, regular, color.White, c.x, titleH+17, c.title, c.right)
	}
	for i, row := range reg.Rows {
		top := titleH + rowH*(i+1)
		if i%2 == 1 {
			fill(img, image.Rect(0, top, w, top+rowH), colStripe)
		}
		ink := color.Color(colText)
		if row.Rank == 0 {
			ink = colMuted
		}
		if row.Score >= r.MinScore && row.Rank > 0 {
			fill(img, image.Rect(0, top, 4, top+rowH), colQualifiedBadge)
		}
		rank := "–"
		if row.Rank > 0 {
			rank = fmt.Sprint(row.Rank)
		}
		name := row.Name
		if row.Note != "" {
			name += " (" + row.Note + ")"
		}
		if len(name) > 52 {
			name = name[:51] + "…"
		}
		cells := []string{rank, name, fmt.Sprintf("%.2f", row.Score), fmt.Sprintf("%.2f", row.Success), fmt.Sprintf("%.2f", row.Latency), fmt.Sprint(row.Tests)}
		for j, c := range columns {
			text(img, regular, ink, c.x, top+17, cells[j], c.right)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

func fill(img draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// text draws s with its baseline at y, starting at x or ending at x.
func text(img draw.Image, face font.Face, c color.Color, x, y int, s string, right bool) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face}
	if right {
		x -= d.MeasureString(s).Round()
	}
	d.Dot = fixed.P(x, y)
	d.DrawString(s)
}
