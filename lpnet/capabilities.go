package lpnet

import (
	"errors"
	"fmt"

	"github.com/podiumhq/podium"
)

// Capability numbers of go-livepeer (core/capabilities.go). Capability n is
// bit n%64 of word n/64 of a bitstring.
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
	capHEVCEncode           = 16
	capVP8Encode            = 19
	capVP9Encode            = 20
)

// ErrCapCompat is go-livepeer's answer to a segment whose capabilities the
// orchestrator does not offer.
var ErrCapCompat = errors.New("incompatible capabilities")

// transcoderCaps are the capabilities an ffmpeg H.264 software transcoder
// offers.
var transcoderCaps = []uint{capH264, capMPEGTS, capMP4, capFractionalFramerates, capStorageDirect,
	capProfileH264Baseline, capProfileH264Main, capProfileH264High, capProfileH264CHigh, capGOP, capAuthToken}

// TranscoderCapabilities returns the capabilities an H.264 software
// transcoder advertises, with podium's version, so that go-livepeer
// broadcasters, which match their needs against an orchestrator's
// bitstring, select it. Each capability has a capacity of one session, as
// go-livepeer counts a node's own transcoder.
func TranscoderCapabilities() *Capabilities {
	c := &Capabilities{Bitstring: bitstring(transcoderCaps), Capacities: map[uint32]uint32{}, Version: podium.Version()}
	for _, n := range transcoderCaps {
		c.Capacities[uint32(n)] = 1
	}
	return c
}

// JobCapabilities returns what a broadcaster needs to have profiles made
// from an H.264 segment, as go-livepeer's JobCapabilities computes it:
// auth tokens, H.264 decoding, and per profile its container, encoder,
// fractional frame rate, H.264 profile and GOP.
func JobCapabilities(profiles []*VideoProfile) (*Capabilities, error) {
	need := []uint{capAuthToken, capH264}
	for _, p := range profiles {
		switch p.GetFormat() {
		case VideoProfile_MPEGTS:
			need = append(need, capMPEGTS)
		case VideoProfile_MP4:
			need = append(need, capMP4)
		default:
			return nil, fmt.Errorf("profile %s: unknown format %d", p.GetName(), p.GetFormat())
		}
		switch p.GetEncoder() {
		case VideoProfile_H264:
			need = append(need, capH264)
		case VideoProfile_H265:
			need = append(need, capHEVCEncode)
		case VideoProfile_VP8:
			need = append(need, capVP8Encode)
		case VideoProfile_VP9:
			need = append(need, capVP9Encode)
		default:
			return nil, fmt.Errorf("profile %s: unknown encoder %d", p.GetName(), p.GetEncoder())
		}
		if p.GetFpsDen() > 0 {
			need = append(need, capFractionalFramerates)
		}
		switch p.GetProfile() {
		case VideoProfile_ENCODER_DEFAULT:
		case VideoProfile_H264_BASELINE:
			need = append(need, capProfileH264Baseline)
		case VideoProfile_H264_MAIN:
			need = append(need, capProfileH264Main)
		case VideoProfile_H264_HIGH:
			need = append(need, capProfileH264High)
		case VideoProfile_H264_CONSTRAINED_HIGH:
			need = append(need, capProfileH264CHigh)
		default:
			return nil, fmt.Errorf("profile %s: unknown H.264 profile %d", p.GetName(), p.GetProfile())
		}
		if p.GetGop() != 0 {
			need = append(need, capGOP)
		}
	}
	c := &Capabilities{Bitstring: bitstring(need), Capacities: map[uint32]uint32{}, Version: podium.Version()}
	for _, n := range need {
		c.Capacities[uint32(n)] = 1
	}
	return c, nil
}

// CompatibleWith reports whether an orchestrator offering orch can serve a
// job needing job, as go-livepeer decides: every mandatory capability of
// the orchestrator is asked for, and every capability asked for is
// offered. A job without capabilities (an older broadcaster) needs none.
func CompatibleWith(job, orch *Capabilities) bool {
	return subset(orch.GetMandatories(), job.GetBitstring()) && subset(job.GetBitstring(), orch.GetBitstring())
}

// subset reports whether every bit of a is set in b.
func subset(a, b []uint64) bool {
	if len(a) > len(b) {
		// go-livepeer compares lengths first: a longer bitstring is never
		// a subset, even when its extra words are zero.
		return false
	}
	for i := range a {
		if a[i]&b[i] != a[i] {
			return false
		}
	}
	return true
}

// bitstring sets bit n of the result for each n of caps.
func bitstring(caps []uint) []uint64 {
	var words []uint64
	for _, n := range caps {
		for int(n/64) >= len(words) {
			words = append(words, 0)
		}
		words[n/64] |= 1 << (n % 64)
	}
	return words
}
