package lpnet

import (
	"errors"
	"fmt"
	"strings"
)

// The errors go-livepeer answers with when a segment's profile list holds a
// value it does not know. Their text is what the sender sees.
var (
	ErrProfileFormat  = errors.New("unrecognized profile output format")
	ErrProfileProfile = errors.New("unrecognized encoder profile")
	ErrProfileEncoder = errors.New("unrecognized video codec")
)

// namedProfiles are Livepeer's stock renditions, by the names broadcasters
// use in their transcoding options.
var namedProfiles = []*VideoProfile{
	{Name: "P720p60fps16x9", Width: 1280, Height: 720, Bitrate: 6000000, Fps: 60},
	{Name: "P720p30fps16x9", Width: 1280, Height: 720, Bitrate: 4000000, Fps: 30},
	{Name: "P576p30fps16x9", Width: 1024, Height: 576, Bitrate: 1500000, Fps: 30},
	{Name: "P360p30fps16x9", Width: 640, Height: 360, Bitrate: 1200000, Fps: 30},
	{Name: "P240p30fps16x9", Width: 426, Height: 240, Bitrate: 600000, Fps: 30},
	{Name: "P144p30fps16x9", Width: 256, Height: 144, Bitrate: 400000, Fps: 30},
}

// DefaultLadder is the rendition ladder podium tests with.
var DefaultLadder = []string{"P720p30fps16x9", "P360p30fps16x9", "P240p30fps16x9"}

// LookupProfile returns a copy of the stock profile called name.
func LookupProfile(name string) (*VideoProfile, error) {
	for _, p := range namedProfiles {
		if p.Name == name {
			return &VideoProfile{Name: p.Name, Width: p.Width, Height: p.Height, Bitrate: p.Bitrate, Fps: p.Fps}, nil
		}
	}
	known := make([]string, len(namedProfiles))
	for i, p := range namedProfiles {
		known[i] = p.Name
	}
	return nil, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(known, ", "))
}

// LookupProfiles returns the stock profiles called names, in order.
func LookupProfiles(names []string) ([]*VideoProfile, error) {
	out := make([]*VideoProfile, 0, len(names))
	for _, n := range names {
		p, err := LookupProfile(strings.TrimSpace(n))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ProfileName returns p's name, or the name go-livepeer gives an unnamed
// profile received over the network.
func ProfileName(p *VideoProfile) string {
	if p.GetName() != "" {
		return p.GetName()
	}
	return fmt.Sprintf("net_%dx%d_%d", p.GetWidth(), p.GetHeight(), p.GetBitrate())
}

// CheckProfile returns the error go-livepeer gives for a profile whose
// format, encoder profile or codec it does not know. Sizes are not checked
// here: a transcoder refuses what it cannot produce.
func CheckProfile(p *VideoProfile) error {
	if _, ok := VideoProfile_Format_name[int32(p.GetFormat())]; !ok {
		return ErrProfileFormat
	}
	if _, ok := VideoProfile_Profile_name[int32(p.GetProfile())]; !ok {
		return ErrProfileProfile
	}
	if _, ok := VideoProfile_VideoCodec_name[int32(p.GetEncoder())]; !ok {
		return ErrProfileEncoder
	}
	return nil
}

// Extension returns the file extension of p's output format.
func Extension(p *VideoProfile) string {
	if p.GetFormat() == VideoProfile_MP4 {
		return ".mp4"
	}
	return ".ts"
}

// MimeType returns the media type of p's output format.
func MimeType(p *VideoProfile) string {
	if p.GetFormat() == VideoProfile_MP4 {
		return "video/mp4"
	}
	return "video/mp2t"
}
