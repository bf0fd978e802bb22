package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/media"
)

// ffmpegFile runs ffmpeg writing to a file in dir and returns its path.
func ffmpegFile(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	args = append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}, args...)
	if b, err := exec.Command("ffmpeg", append(args, out)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, b)
	}
	return out
}

func runCheck(t *testing.T, args ...string) (media.Verdict, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now}
	err := m.Run(context.Background(), append([]string{"check"}, args...))
	var vd media.Verdict
	if stdout.Len() > 0 {
		if jerr := json.Unmarshal(stdout.Bytes(), &vd); jerr != nil {
			t.Fatalf("verdict is not JSON: %v: %s", jerr, stdout.String())
		}
	}
	return vd, stderr.String(), err
}

func TestCheck_Run(t *testing.T) {
	dir := t.TempDir()
	src := ffmpegFile(t, dir, "src.ts", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
		"-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:v", "libx264", "-preset", "veryfast",
		"-crf", "18", "-c:a", "aac", "-f", "mpegts")
	transcode := func(name, vf string) string {
		return ffmpegFile(t, dir, name, "-i", src, "-vf", vf, "-c:v", "libx264", "-preset", "ultrafast",
			"-b:v", "600k", "-c:a", "copy", "-f", "mpegts")
	}
	good := transcode("good.ts", "scale=426:240")

	t.Run("OK", func(t *testing.T) {
		vd, _, err := runCheck(t, "--source", src, "--rendition", good, "--profile", "P240p30fps16x9")
		if err != nil || !vd.OK {
			t.Fatalf("err %v, verdict %+v", err, vd)
		}
		if c := vd.Measured.Container; c == nil || c.Width != 426 || c.Height != 240 {
			t.Fatalf("measured container %+v", c)
		}
	})
	t.Run("OKProfileGuessed", func(t *testing.T) {
		vd, _, err := runCheck(t, "--source", src, "--rendition", good)
		if err != nil || !vd.OK || vd.Profile != "P240p30fps16x9" {
			t.Fatalf("err %v, verdict %+v", err, vd)
		}
	})
	t.Run("ErrMismatch", func(t *testing.T) {
		bad := transcode("mirrored.ts", "hflip,scale=426:240")
		vd, stderr, err := runCheck(t, "--source", src, "--rendition", bad, "--profile", "P240p30fps16x9")
		var exit *exitError
		if !errors.As(err, &exit) || exit.code != 1 {
			t.Fatalf("err %v, want exit status 1", err)
		}
		if vd.OK || vd.Reason != media.Mirrored {
			t.Fatalf("verdict %+v, want Mirrored", vd)
		}
		if stderr != "" {
			t.Fatalf("stderr %q, want nothing", stderr)
		}
	})
	t.Run("ErrWrongProfile", func(t *testing.T) {
		vd, _, err := runCheck(t, "--source", src, "--rendition", good, "--profile", "P360p30fps16x9")
		if err == nil || vd.Reason != media.WrongDimensions {
			t.Fatalf("err %v verdict %+v, want WrongDimensions", err, vd)
		}
	})
	garbage := filepath.Join(dir, "garbage.ts")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not video "), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrMissingSource", []string{"--rendition", good}, "source: missing"},
		{"ErrUnreadableRendition", []string{"--source", src, "--rendition", filepath.Join(dir, "nope.ts")}, "rendition: cannot read file"},
		{"ErrSourceNotTS", []string{"--source", garbage, "--rendition", good}, "source is not a usable segment"},
		{"ErrUnknownProfile", []string{"--source", src, "--rendition", good, "--profile", "P999p"}, "unknown profile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCheck(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want it to say %q", err, tc.want)
			}
		})
	}
}
