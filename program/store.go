package program

import (
	"context"
	"fmt"
	"time"

	"github.com/podiumhq/podium"
)

// Publish stores next (the program file text) as the next published version
// of its program at now, after CheckPublish against the latest published
// version. When the latest version already is this text, nothing is stored
// and that version comes back with unchanged set.
func Publish(ctx context.Context, st podium.ProgramStore, next *podium.Program, text []byte, now time.Time) (v podium.ProgramVersion, unchanged bool, err error) {
	versions, err := st.ProgramVersions(ctx, next.Name)
	if err != nil && podium.ErrorCode(err) != podium.ENOTFOUND {
		return podium.ProgramVersion{}, false, err
	}
	hash := podium.ContentID(text)
	var prev *podium.Program
	if n := len(versions); n > 0 {
		last := versions[n-1]
		if last.Hash == hash {
			return last, true, nil
		}
		if prev, err = Parse(last.Text); err != nil {
			return podium.ProgramVersion{}, false, fmt.Errorf("published version %d: %w", last.Version, err)
		}
	}
	now = now.UTC()
	if err := CheckPublish(prev, next, now); err != nil {
		return podium.ProgramVersion{}, false, err
	}
	v, err = st.PublishProgram(ctx, podium.ProgramVersion{
		Program: next.Name, Version: len(versions) + 1, Hash: hash, PublishedAt: now, Text: text,
	})
	return v, false, err
}
