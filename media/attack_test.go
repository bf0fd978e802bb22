package media

import "fmt"

// attack is a dishonest rendition and the reason verification must give.
type attack struct {
	render
	expect Reason
}

// attacks are the cheaper dishonest renditions of issue 17, for profile p.
func attacks(p Profile) []attack {
	lw, lh := lower(p).Size(SegmentWidth, SegmentHeight)
	return []attack{
		{render{name: "source as rendition", raw: func(src []byte) []byte { return src }}, SourceCopy},
		{render{name: "shrunk to 1/8 and scaled up", post: "scale=W/8:H/8,scale=W:H"}, LowFidelity},
		{render{name: "lower rung scaled up", post: fmt.Sprintf("scale=%d:%d,scale=W:H", lw, lh)}, LowFidelity},
		{render{name: "strong blur", post: "gblur=sigma=3"}, LowFidelity},
		{render{name: "colours inverted", post: "negate"}, WrongColour},
		{render{name: "chroma swapped", post: "shuffleplanes=0:2:1"}, WrongColour},
		{render{name: "grayscale", post: "hue=s=0"}, WrongColour},
		{render{name: "audio dropped", audio: []string{"-an"}}, NoAudio},
		{render{name: "bitrate 1/10", video: abr("veryfast", 0.1)}, LowBitrate},
		{render{name: "frames swapped in pairs", post: "shuffleframes=1 0,setpts=N/30/TB", bandFromHonest: true}, FrameMismatch},
		{render{name: "half rate repeated", post: "fps=15,fps=30", bandFromHonest: true}, FrameMismatch},
		{render{name: "quarter rate repeated", post: "fps=7.5,fps=30", bandFromHonest: true}, FrameMismatch},
		{render{name: "ad box 3%", post: "drawbox=x=W*0.7:y=H*0.05:w=W*0.2:h=H*0.15:color=red@0.8:t=fill"}, Overlay},
		{render{name: "watermark 4%", post: "drawbox=x=W*0.05:y=H*0.1:w=W*0.2:h=H*0.2:color=white@0.4:t=fill"}, Overlay},
	}
}
