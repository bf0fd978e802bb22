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

// loadRegions reads a regions file, or returns podium.DefaultRegions when
// path is empty.
func loadRegions(path string) ([]podium.Region, error) {
	if path == "" {
		return podium.DefaultRegions(), nil
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

// parseRegions parses a YAML list of {id, name, type} strictly: unknown keys,
// missing ids or names, lower-case or repeated ids are errors. type defaults
// to "transcoding".
func parseRegions(data []byte) ([]podium.Region, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var regions []podium.Region
	if err := dec.Decode(&regions); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, podium.Errorf(podium.EINVALID, "is empty").WithHint("list regions as `- {id: FRA, name: Europe (Frankfurt)}`")
		}
		return nil, &podium.Error{Code: podium.EINVALID, Message: "is not a YAML list of {id, name, type}", Err: err}
	}
	if len(regions) == 0 {
		return nil, podium.Errorf(podium.EINVALID, "lists no region").WithHint("list regions as `- {id: FRA, name: Europe (Frankfurt)}`")
	}
	seen := map[string]bool{}
	for i := range regions {
		r := &regions[i]
		switch {
		case !regionIDRE.MatchString(r.ID):
			return nil, podium.FieldError(fmt.Sprintf("regions[%d].id", i), "%q must be 1 to 16 upper-case letters, digits, _ or -", r.ID)
		case seen[r.ID]:
			return nil, podium.FieldError(fmt.Sprintf("regions[%d].id", i), "%q is listed twice", r.ID)
		case r.Name == "":
			return nil, podium.FieldError(fmt.Sprintf("regions[%d].name", i), "is required")
		}
		seen[r.ID] = true
		if r.Type == "" {
			r.Type = "transcoding"
		}
	}
	return regions, nil
}
