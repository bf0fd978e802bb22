package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestExample checks podium.example.yaml loads and shows every key (set
// or commented out) in its section.
func TestExample(t *testing.T) {
	f, err := Load("../podium.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if f.Line("serve.listen") == 0 || f.Line("db.dsn_file") == 0 {
		t.Error("the example sets neither serve.listen nor db.dsn_file")
	}
	text, err := os.ReadFile("../podium.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{"": string(text)} // the text of each section
	heads := regexp.MustCompile(`(?m)^([a-z]+):\n`).FindAllStringSubmatchIndex(string(text), -1)
	for i, h := range heads {
		end := len(text)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		sections[string(text[h[2]:h[3]])] = string(text[h[1]:end])
	}
	for _, k := range Keys() {
		names := []string{k.Name}
		if k.Secret != "" {
			names = append(names, k.FileName())
		}
		found := false
		for _, n := range names {
			indent := "  "
			if k.Section == "" {
				indent = ""
			}
			if regexp.MustCompile(`(?m)^` + indent + `(# )?` + n + `:`).MatchString(sections[k.Section]) {
				found = true
			}
		}
		if !found {
			t.Errorf("podium.example.yaml does not show %s", k.Path())
		}
	}
}

// TestDocs checks docs/config.md names every key's variables.
func TestDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		for _, e := range []string{k.Env(), k.FileEnv()} {
			if e != "" && !strings.Contains(string(doc), "`"+e+"`") {
				t.Errorf("docs/config.md does not name %s (%s)", e, k.Path())
			}
		}
	}
}
