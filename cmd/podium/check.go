package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/media"
)

// checkCmd judges one rendition of a source file: `podium check`.
type checkCmd struct {
	m *Main

	source, rendition, profile string
}

func (m *Main) newCheckCmd() *cobra.Command {
	c := &checkCmd{m: m}
	cmd := &cobra.Command{
		Use:   "check --source FILE --rendition FILE [--profile NAME]",
		Short: "Check that a rendition is a faithful transcode of its source (JSON verdict; exit 1 on mismatch)",
		Long: `check compares a transcoded rendition with the MPEG-TS segment it was made from:
container (one H.264 track, size by the profile rule, fps, duration, frame count,
first PTS), then content (black, frozen, mirrored, shifted, other picture). It
prints the verdict as JSON with every measured value and exits 1 on a mismatch.
Without --profile the profile is the one whose size the rendition has.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.Run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&c.source, "source", "", "the source segment (MPEG-TS)")
	f.StringVar(&c.rendition, "rendition", "", "the rendition to judge (MPEG-TS)")
	f.StringVar(&c.profile, "profile", "", "the profile it claims, e.g. P360p30fps16x9")
	return cmd
}

// Run judges the rendition and prints the verdict; it exits 1 on a mismatch.
func (c *checkCmd) Run(ctx context.Context) error {
	m := c.m
	if _, err := media.CheckFFmpeg(ctx, m.Getenv("PODIUM_FFMPEG")); err != nil {
		return err
	}
	src, err := readSegmentFile("source", c.source)
	if err != nil {
		return err
	}
	rend, err := readSegmentFile("rendition", c.rendition)
	if err != nil {
		return err
	}
	v := &media.Verifier{FFmpeg: m.Getenv("PODIUM_FFMPEG")}
	fp, err := v.Fingerprint(ctx, src)
	if err != nil {
		return fmt.Errorf("source %s: %w", c.source, err)
	}
	var p media.Profile
	if c.profile != "" {
		if p, err = media.LookupProfile(c.profile); err != nil {
			return err
		}
	} else {
		p = media.GuessProfile(fp, rend)
	}
	vd, err := v.Verify(ctx, fp, rend, p)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(vd); err != nil {
		return err
	}
	if !vd.OK {
		return &exitError{code: 1}
	}
	return nil
}

// readSegmentFile reads the file a flag names, with errors that say which.
func readSegmentFile(flag, path string) ([]byte, error) {
	if path == "" {
		return nil, podium.FieldError(flag, "missing").WithHint("give --" + flag + " FILE (an MPEG-TS segment)")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, (&podium.Error{Code: podium.EINVALID, Field: flag, Message: "cannot read file", Err: err}).
			WithHint("check the path and its permissions")
	}
	if len(data) == 0 {
		return nil, podium.FieldError(flag, "%s is empty", path).WithHint("give a non-empty MPEG-TS segment")
	}
	return data, nil
}
