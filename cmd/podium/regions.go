package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

var regionIDRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,15}$`)

// regionsHint shows both forms of a regions file entry.
const regionsHint = "list regions as `- {id: FRA, name: Frankfurt}` (transcoding) or `- {id: LAX, name: Los Angeles, types: [transcoding, ai]}`"

// loadRegions reads a regions file, or returns podium.LeaderboardRegions
// (leaderboard-serverless's seeded regions) when path is empty.
func loadRegions(path string) ([]podium.Region, error) {
	if path == "" {
		return podium.LeaderboardRegions(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &podium.Error{Code: podium.EINVALID, Field: "--regions", Message: "cannot be read", Err: err}
	}
	regions, err := parseRegions(data)
	if err != nil {
		return nil, fmt.Errorf("regions file %s: %w", path, err)
	}
	return regions, nil
}

// regionEntry is one entry of a regions file: a place and the job types it
// serves, as type (one) or types (a list); neither means transcoding.
type regionEntry struct {
	ID    string   `yaml:"id"`
	Name  string   `yaml:"name"`
	Type  string   `yaml:"type"`
	Types []string `yaml:"types"`
}

// parseRegions parses a YAML list of {id, name, type | types} strictly:
// unknown keys, missing ids or names, lower-case ids, unknown job types and
// a region listed twice for the same job type are errors. The result has
// one row per region and job type, in the file's order; an ID may come back
// in a later entry for another job type, with the same name.
func parseRegions(data []byte) ([]podium.Region, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var entries []regionEntry
	if err := dec.Decode(&entries); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, podium.Errorf(podium.EINVALID, "is empty").WithHint(regionsHint)
		}
		return nil, (&podium.Error{Code: podium.EINVALID, Message: "is not a YAML list of {id, name, type or types}", Err: err}).WithHint(regionsHint)
	}
	if len(entries) == 0 {
		return nil, podium.Errorf(podium.EINVALID, "lists no region").WithHint(regionsHint)
	}
	var regions []podium.Region
	seen := map[[2]string]bool{}
	names := map[string]string{}
	for i, e := range entries {
		field := func(f string) string { return fmt.Sprintf("regions[%d].%s", i, f) }
		switch {
		case !regionIDRE.MatchString(e.ID):
			return nil, podium.FieldError(field("id"), "%q must be 1 to 16 upper-case letters, digits, _ or -", e.ID)
		case e.Name == "":
			return nil, podium.FieldError(field("name"), "is required")
		case e.Type != "" && len(e.Types) > 0:
			return nil, podium.FieldError(field("type"), "and types are both set").WithHint("give the job types once, as types: [transcoding, ai]")
		case names[e.ID] != "" && names[e.ID] != e.Name:
			return nil, podium.FieldError(field("name"), "%q: region %s is listed twice, first as %q", e.Name, e.ID, names[e.ID]).
				WithHint("list a region once, with all its job types: types: [transcoding, ai]")
		}
		types := e.Types
		if e.Type != "" {
			types = []string{e.Type}
		}
		if len(types) == 0 {
			types = []string{podium.JobTranscoding}
		}
		for _, t := range types {
			if t != podium.JobTranscoding && t != podium.JobAI {
				return nil, podium.FieldError(field("types"), "job type %q is neither %s nor %s", t, podium.JobTranscoding, podium.JobAI)
			}
			if seen[[2]string{e.ID, t}] {
				return nil, podium.FieldError(field("id"), "%q is listed twice for %s", e.ID, t)
			}
			seen[[2]string{e.ID, t}] = true
			regions = append(regions, podium.Region{ID: e.ID, Name: e.Name, Type: t})
		}
		names[e.ID] = e.Name
	}
	return regions, nil
}
