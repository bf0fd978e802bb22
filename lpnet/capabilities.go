package lpnet

// Capability numbers of go-livepeer (core/capabilities.go) that an ffmpeg
// transcoder like podium's node offers. Capability n is bit n%64 of word
// n/64 of the bitstring.
const (
	capH264                 = 0
	capMPEGTS               = 1
	capMP4                  = 2
	capFractionalFramerates = 3
	capStorageDirect        = 4
	capProfileH264Baseline  = 7
	capProfileH264Main      = 8
	capProfileH264High      = 9
	capProfileH264CHigh     = 10
	capGOP                  = 11
	capAuthToken            = 12
)

// TranscoderCapabilities returns the capabilities an H.264 software
// transcoder advertises, so that go-livepeer broadcasters, which match
// their needs against an orchestrator's bitstring, select it.
func TranscoderCapabilities() *Capabilities {
	var word uint64
	for _, c := range []uint{capH264, capMPEGTS, capMP4, capFractionalFramerates, capStorageDirect,
		capProfileH264Baseline, capProfileH264Main, capProfileH264High, capProfileH264CHigh, capGOP, capAuthToken} {
		word |= 1 << c
	}
	return &Capabilities{Bitstring: []uint64{word}}
}
