package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/podiumhq/podium"
)

// CheckFFmpeg makes sure the ffmpeg that path names (the one on PATH when
// path is empty) runs and encodes H.264 with libx264, which test segments
// and the reference node's transcodes need. Commands call it when they
// start, so a missing tool stops them at once with the fix instead of
// failing every test later. It returns the resolved path.
func CheckFFmpeg(ctx context.Context, path string) (string, error) {
	where := fmt.Sprintf("at %q", path)
	if path == "" {
		path, where = "ffmpeg", "on PATH"
	}
	resolved, err := exec.LookPath(path)
	if err != nil {
		return "", podium.Errorf(podium.EUNAVAILABLE, "ffmpeg not found %s", where).
			WithHint("install it (apt-get install ffmpeg), or set PODIUM_FFMPEG to its path")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, resolved, "-hide_banner", "-encoders")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = ctx.Err()
		}
		return "", podium.Errorf(podium.EUNAVAILABLE, "ffmpeg at %s does not run: %w", resolved, err).
			WithHint("reinstall it (apt-get install --reinstall ffmpeg), or set PODIUM_FFMPEG to a working ffmpeg")
	}
	if !bytes.Contains(out.Bytes(), []byte("libx264")) {
		return "", podium.Errorf(podium.EUNAVAILABLE, "ffmpeg at %s has no libx264 encoder", resolved).
			WithHint("install a build with libx264 (Debian's ffmpeg has it: apt-get install ffmpeg), or set PODIUM_FFMPEG to one")
	}
	return resolved, nil
}
