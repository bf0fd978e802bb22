package podium_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestLeaderboardRegions(t *testing.T) {
	rs := podium.LeaderboardRegions()
	byType := map[string][]string{}
	for _, r := range rs {
		byType[r.Type] = append(byType[r.Type], r.ID)
	}
	if n := len(byType[podium.JobTranscoding]); n != 22 {
		t.Errorf("%d transcoding rows, want GLOBAL and 21 places", n)
	}
	if got := strings.Join(byType[podium.JobAI], ","); got != "GLOBAL,MDW,FRA,LAX" {
		t.Errorf("AI rows %s, want GLOBAL,MDW,FRA,LAX", got)
	}
	// The anchor's seed order: each place's transcoding row, then its AI row.
	if rs[0] != (podium.Region{ID: "GLOBAL", Name: "Global", Type: "transcoding"}) ||
		rs[1] != (podium.Region{ID: "GLOBAL", Name: "Global", Type: "ai"}) ||
		rs[2].ID != "ATL" || rs[len(rs)-1].ID != "TOR" {
		t.Errorf("order: %+v", rs)
	}
	set := podium.NewRegionSet(rs)
	for _, c := range []struct {
		id, typ string
		want    bool
	}{
		{"LAX", "ai", true}, {"LAX", "transcoding", true}, {"SIN", "transcoding", true},
		{"SIN", "ai", false}, {"GLOBAL", "ai", true}, {"XYZ", "transcoding", false},
	} {
		if got := set.Serves(c.id, c.typ); got != c.want {
			t.Errorf("Serves(%s, %s) = %v, want %v", c.id, c.typ, got, c.want)
		}
	}
	places := podium.RegionsFor(rs, podium.JobAI)
	if len(places) != 3 || places[0].ID != "MDW" || places[2] != (podium.Region{ID: "LAX", Name: "Los Angeles", Type: "ai"}) {
		t.Errorf("RegionsFor(ai) = %+v, want MDW, FRA, LAX", places)
	}
}

// The program's regions are not the leaderboard's: a program that names no
// regions keeps Round 1's three.
func TestDefaultRegions_Unchanged(t *testing.T) {
	var ids []string
	for _, r := range podium.DefaultRegions() {
		ids = append(ids, r.ID+"/"+r.Type)
	}
	if got := strings.Join(ids, ","); got != "MDW/transcoding,FRA/transcoding,SIN/transcoding" {
		t.Fatalf("DefaultRegions = %s", got)
	}
}

func TestStats_NormalizeJobTypeOfRegion(t *testing.T) {
	regions := podium.NewRegionSet([]podium.Region{
		{ID: "FRA", Name: "Frankfurt"}, // no type: transcoding, as old region files
		{ID: "LAX", Name: "Los Angeles", Type: podium.JobAI},
	})
	now := time.Unix(1723741735, 0)
	ai := func(region string) podium.Stats {
		s := sample()
		s.Region, s.Pipeline, s.Model = region, "text-to-image", "ByteDance/SDXL-Lightning"
		s.SegmentsSent, s.SegmentsReceived, s.SegDuration, s.UploadTime, s.DownloadTime, s.TranscodeTime = 0, 0, 0, 0, 0, 0
		return s
	}
	t.Run("OKAIInAIRegion", func(t *testing.T) {
		s := ai("lax")
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OKTranscodingInUntypedRegion", func(t *testing.T) {
		s := sample()
		if err := s.Normalize(regions, now); err != nil {
			t.Fatal(err)
		}
	})
	for name, s := range map[string]podium.Stats{
		"ErrTranscodingInAIRegion": func() podium.Stats { s := sample(); s.Region = "LAX"; return s }(),
		"ErrAIInTranscodingRegion": ai("FRA"),
	} {
		t.Run(name, func(t *testing.T) {
			err := s.Normalize(regions, now)
			var pe *podium.Error
			if !errors.As(err, &pe) || pe.Field != "region" || !strings.Contains(pe.Message, "tests, not "+s.JobType()) || pe.Hint == "" {
				t.Fatalf("got %v, want a region error naming the job type %s with a hint", err, s.JobType())
			}
		})
	}
}
