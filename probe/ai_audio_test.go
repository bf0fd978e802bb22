package probe

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestClip checks the audio-to-text input is a WAV ffprobe reads as
// aiAudioSeconds of 16 kHz mono, fresh for each seed.
func TestTestClip(t *testing.T) {
	clip := testClip(1)
	if bytes.Equal(clip, testClip(2)) {
		t.Error("two seeds made the same clip")
	}
	path := filepath.Join(t.TempDir(), "clip.wav")
	if err := os.WriteFile(path, clip, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration", "-of", "default=nw=1", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	for _, want := range []string{"codec_name=pcm_s16le", "sample_rate=16000", "channels=1", "duration=2.000000"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ffprobe says\n%s\nwant %s", out, want)
		}
	}
}

func TestAudioToTextCheck(t *testing.T) {
	req, check, err := audioToTextInput(5)
	if err != nil {
		t.Fatal(err)
	}
	if req.Pipeline != "audio-to-text" || len(req.File) != 44+2*aiAudioRate*aiAudioSeconds {
		t.Fatalf("request %s with %d bytes", req.Pipeline, len(req.File))
	}
	for _, tc := range []struct {
		name, body, code string
	}{
		{"OK", `{"text":" A hum.","chunks":[{"timestamp":[0.0,1.8],"text":" A hum."}]}`, ""},
		{"OKNothingHeard", `{"text":"","chunks":[]}`, ""},
		{"OKOpenEnd", `{"text":"hm","chunks":[{"timestamp":[0.4,null],"text":"hm"}]}`, ""},
		{"ErrNotJSON", `<html>502</html>`, CodeAIBadOutput},
		{"ErrNoChunks", `{"text":"hello"}`, CodeAIBadOutput},
		{"ErrNoText", `{"chunks":[]}`, CodeAIBadOutput},
		{"ErrChunkWithoutText", `{"text":"a","chunks":[{"timestamp":[0,1]}]}`, CodeAIBadOutput},
		{"ErrPastTheClip", `{"text":"a","chunks":[{"timestamp":[0,30],"text":"a"}]}`, CodeAIBadOutput},
		{"ErrNegative", `{"text":"a","chunks":[{"timestamp":[-1,1],"text":"a"}]}`, CodeAIBadOutput},
		{"ErrThreeStamps", `{"text":"a","chunks":[{"timestamp":[0,1,2],"text":"a"}]}`, CodeAIBadOutput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := check(context.Background(), []byte(tc.body), nil)
			if got := Classify(err); got != tc.code {
				t.Errorf("err %v (%q), want %q", err, got, tc.code)
			}
		})
	}
}
