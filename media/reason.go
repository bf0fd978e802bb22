package media

import "fmt"

// Reason names why a rendition failed verification.
type Reason string

// Reasons, container layer first, then content.
const (
	NotMPEGTS           Reason = "NotMPEGTS"           // no MPEG-TS program in the bytes
	NoVideo             Reason = "NoVideo"             // no video track (audio only)
	MultipleVideoTracks Reason = "MultipleVideoTracks" // more than one video track
	NotH264             Reason = "NotH264"             // the video is another codec
	WrongDimensions     Reason = "WrongDimensions"     // not the profile's size for this source
	WrongFPS            Reason = "WrongFPS"            // frame cadence differs from the profile's
	WrongDuration       Reason = "WrongDuration"       // shorter or longer than the source
	WrongFrameCount     Reason = "WrongFrameCount"     // frames missing or added
	PTSMismatch         Reason = "PTSMismatch"         // first PTS differs from the source's
	Undecodable         Reason = "Undecodable"         // ffmpeg cannot decode the video
	Black               Reason = "Black"               // a blank picture
	Frozen              Reason = "Frozen"              // the picture does not move where the source does
	Mirrored            Reason = "Mirrored"            // the source flipped left to right
	WrongNonce          Reason = "WrongNonce"          // the frame code names another segment
	FrameCounterGap     Reason = "FrameCounterGap"     // frame codes missing, repeated or out of order
	Shifted             Reason = "Shifted"             // the right frames, a few frames early or late
	ContentMismatch     Reason = "ContentMismatch"     // the picture is not the source's
)

// ReasonError is an error that carries a verification Reason.
type ReasonError struct {
	Reason Reason
	Detail string
}

// Error implements error.
func (e *ReasonError) Error() string { return string(e.Reason) + ": " + e.Detail }

func reasonf(r Reason, format string, args ...any) *ReasonError {
	return &ReasonError{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// Reasons of the fidelity layer and the profile checks (issue 17).
const (
	SourceCopy    Reason = "SourceCopy"    // the source's own video returned, not a transcode
	LowBitrate    Reason = "LowBitrate"    // far under the profile's bitrate
	NoAudio       Reason = "NoAudio"       // the source has audio, the rendition none
	WrongAudio    Reason = "WrongAudio"    // the audio is not the source's
	LowFidelity   Reason = "LowFidelity"   // PSNR under the limit: blurred, made smaller and scaled up, or mangled
	WrongColour   Reason = "WrongColour"   // colours inverted, chroma swapped or dropped
	FrameMismatch Reason = "FrameMismatch" // frames reordered or repeated in the picture
	Overlay       Reason = "Overlay"       // part of the picture replaced (a watermark, an ad box)
)
