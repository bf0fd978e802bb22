package lpnet

import (
	"testing"
)

func TestJobCapabilities(t *testing.T) {
	ladder, err := LookupProfiles(DefaultLadder)
	if err != nil {
		t.Fatal(err)
	}
	job, err := JobCapabilities(ladder)
	if err != nil {
		t.Fatal(err)
	}
	// Auth token, H.264 in and out, MPEG-TS; the default ladder asks for
	// no H.264 profile, GOP or fractional rate.
	if want := uint64(1<<capAuthToken | 1<<capH264 | 1<<capMPEGTS); len(job.Bitstring) != 1 || job.Bitstring[0] != want {
		t.Fatalf("bitstring %#x, want %#x", job.Bitstring, want)
	}
	if !CompatibleWith(job, TranscoderCapabilities()) {
		t.Fatal("the default ladder is not compatible with the reference transcoder")
	}
	mp4 := &VideoProfile{Name: "mp4", Format: VideoProfile_MP4, Profile: VideoProfile_H264_HIGH, Gop: 2000, FpsDen: 1001}
	job, err = JobCapabilities([]*VideoProfile{mp4})
	if err != nil {
		t.Fatal(err)
	}
	want := uint64(1<<capAuthToken | 1<<capH264 | 1<<capMP4 | 1<<capProfileH264High | 1<<capGOP | 1<<capFractionalFramerates)
	if job.Bitstring[0] != want {
		t.Fatalf("bitstring %#x, want %#x", job.Bitstring, want)
	}
	if _, err := JobCapabilities([]*VideoProfile{{Name: "bad", Format: 7}}); err == nil {
		t.Fatal("unknown format accepted")
	}
}

func TestCompatibleWith(t *testing.T) {
	orch := TranscoderCapabilities()
	hevc, _ := JobCapabilities([]*VideoProfile{{Name: "hevc", Encoder: VideoProfile_H265}})
	for _, tt := range []struct {
		name      string
		job, orch *Capabilities
		want      bool
	}{
		{"legacy broadcaster", nil, orch, true},
		{"needs HEVC", hevc, orch, false},
		{"orchestrator mandates a capability not asked for", &Capabilities{Bitstring: []uint64{1}}, &Capabilities{Bitstring: []uint64{3}, Mandatories: []uint64{2}}, false},
		{"mandatory asked for", &Capabilities{Bitstring: []uint64{3}}, &Capabilities{Bitstring: []uint64{3}, Mandatories: []uint64{2}}, true},
		{"longer bitstring, zero words", &Capabilities{Bitstring: []uint64{1, 0}}, &Capabilities{Bitstring: []uint64{1}}, false},
		{"orchestrator offers nothing", &Capabilities{Bitstring: []uint64{1}}, nil, false},
	} {
		if got := CompatibleWith(tt.job, tt.orch); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
