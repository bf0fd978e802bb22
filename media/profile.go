package media

import (
	"fmt"
	"strings"

	"github.com/podiumhq/podium"
)

// Profile is one rung of Livepeer's rendition ladder.
type Profile struct {
	Name    string `json:"name"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Bitrate int    `json:"bitrate"` // bits per second
	FPS     int    `json:"fps"`
}

// Livepeer's standard profiles (go-livepeer names, sizes and bitrates).
var (
	P720p30fps16x9 = Profile{Name: "P720p30fps16x9", Width: 1280, Height: 720, Bitrate: 4_000_000, FPS: 30}
	P360p30fps16x9 = Profile{Name: "P360p30fps16x9", Width: 640, Height: 360, Bitrate: 1_200_000, FPS: 30}
	P240p30fps16x9 = Profile{Name: "P240p30fps16x9", Width: 426, Height: 240, Bitrate: 600_000, FPS: 30}
	P144p30fps16x9 = Profile{Name: "P144p30fps16x9", Width: 256, Height: 144, Bitrate: 400_000, FPS: 30}
)

// Profiles lists the profiles podium knows, largest first.
var Profiles = []Profile{P720p30fps16x9, P360p30fps16x9, P240p30fps16x9, P144p30fps16x9}

// LookupProfile returns the profile called name (case-insensitive).
func LookupProfile(name string) (Profile, error) {
	for _, p := range Profiles {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
	}
	names := make([]string, len(Profiles))
	for i, p := range Profiles {
		names[i] = p.Name
	}
	return Profile{}, podium.FieldError("profile", "unknown profile %q", name).
		WithHint("use one of " + strings.Join(names, ", "))
}

// Size returns the rendition size for a source of srcW×srcH, by go-livepeer's
// rule: the rendition's longer side is the profile's longer side (1280 for
// P720p30fps16x9), on whichever axis is the source's longer one, and the
// other side is scaled to the source's aspect ratio, rounded to the nearest
// even number (ffmpeg's scale=-2). A portrait 720×1280 source gives 720×1280
// at P720p30fps16x9 and 240×426 at P240p30fps16x9.
func (p Profile) Size(srcW, srcH int) (w, h int) {
	if srcW <= 0 || srcH <= 0 {
		return p.Width, p.Height
	}
	long := max(p.Width, p.Height)
	if srcW >= srcH {
		return long, evenScale(long, srcH, srcW)
	}
	return evenScale(long, srcW, srcH), long
}

// evenScale returns v*num/den rounded to the nearest multiple of 2, as
// ffmpeg computes a dimension given as -2.
func evenScale(v, num, den int) int {
	n := int64(v) * int64(num)
	d := int64(den) * 2
	q := (n + d/2) / d
	if q < 1 {
		q = 1
	}
	return int(q * 2)
}

// String returns the profile's name and size.
func (p Profile) String() string {
	return fmt.Sprintf("%s %dx%d %dk", p.Name, p.Width, p.Height, p.Bitrate/1000)
}

// LookupProfiles returns the stock profiles of names, in their order.
func LookupProfiles(names []string) ([]Profile, error) {
	out := make([]Profile, 0, len(names))
	for _, n := range names {
		p, err := LookupProfile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
