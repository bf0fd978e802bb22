package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/podiumhq/podium"
)

func TestParseRegions(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		data, err := os.ReadFile("testdata/regions/ok.yaml")
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseRegions(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || got[3] != (podium.Region{ID: "LAX", Name: "Los Angeles", Type: "transcoding"}) {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("OKTypes", func(t *testing.T) {
		got, err := loadRegions("testdata/regions/ok-types.yaml")
		if err != nil {
			t.Fatal(err)
		}
		want := []podium.Region{
			{ID: "GLOBAL", Name: "Global", Type: "transcoding"}, {ID: "GLOBAL", Name: "Global", Type: "ai"},
			{ID: "FRA", Name: "Frankfurt", Type: "transcoding"}, {ID: "FRA", Name: "Frankfurt", Type: "ai"},
			{ID: "LAX", Name: "Los Angeles", Type: "ai"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
		set := podium.NewRegionSet(got)
		if set.Serves("LAX", "transcoding") || !set.Serves("LAX", "ai") || !set.Serves("FRA", "transcoding") {
			t.Fatalf("set %v: LAX must serve ai only, FRA both", set)
		}
	})
	t.Run("OKDefault", func(t *testing.T) {
		got, err := loadRegions("")
		if err != nil || !reflect.DeepEqual(got, podium.LeaderboardRegions()) {
			t.Fatalf("got %+v, %v; want the leaderboard's regions", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		files, _ := filepath.Glob("testdata/regions/bad-*.yaml")
		if len(files) < 8 {
			t.Fatalf("only %d bad configs", len(files))
		}
		want := map[string]string{
			"bad-unknown-key.yaml":    "field city not found",
			"bad-lowercase-id.yaml":   "regions[0].id",
			"bad-repeated-id.yaml":    "listed twice",
			"bad-no-name.yaml":        "regions[0].name",
			"bad-no-id.yaml":          "regions[0].id",
			"bad-empty.yaml":          "empty",
			"bad-not-a-list.yaml":     "YAML list",
			"bad-no-region.yaml":      "no region",
			"bad-repeated-type.yaml":  "listed twice for transcoding",
			"bad-type-and-types.yaml": "both set",
			"bad-unknown-type.yaml":   `job type "video"`,
		}
		for _, f := range files {
			_, err := loadRegions(f)
			if podium.ErrorCode(err) != podium.EINVALID || !strings.Contains(err.Error(), want[filepath.Base(f)]) {
				t.Errorf("%s: got %v, want an error saying %q", f, err, want[filepath.Base(f)])
			}
		}
	})
}
