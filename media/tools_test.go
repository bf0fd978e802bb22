package media_test

import (
	"context"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/media"
)

func TestCheckFFmpeg(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if _, err := media.CheckFFmpeg(context.Background(), ""); err != nil {
			t.Fatal(err)
		}
	})
	for _, tt := range []struct{ name, path, want string }{
		{"ErrMissing", "/nonexistent/ffmpeg", "not found"},
		{"ErrDoesNotRun", "/bin/false", "does not run"},
		{"ErrNoLibx264", "/bin/true", "no libx264"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := media.CheckFFmpeg(context.Background(), tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || podium.ErrorHint(err) == "" {
				t.Fatalf("CheckFFmpeg(%q) = %v (hint %q), want %q with a hint", tt.path, err, podium.ErrorHint(err), tt.want)
			}
		})
	}
	t.Run("ErrNotOnPath", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := media.CheckFFmpeg(context.Background(), "")
		if err == nil || !strings.Contains(err.Error(), "ffmpeg not found on PATH") || !strings.Contains(podium.ErrorHint(err), "apt-get install ffmpeg") {
			t.Fatalf("err = %v, hint %q", err, podium.ErrorHint(err))
		}
	})
}
