package podium_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// citationRE finds a citation of a section of a document: "design.md §5.3",
// "docs/design.md §5.3", "(reliability.md) §6", "design.md §5.3–§5.6" and
// "program.md §7, §8". Group 1 names the document, group 2 its sections.
var citationRE = regexp.MustCompile(`([A-Za-z0-9_-]+)\.md\)? (§[0-9]+(?:\.[0-9]+)*(?:(?:, |, and | and |–|-)§[0-9]+(?:\.[0-9]+)*)*)`)

// sectionRE is one section number in a citation.
var sectionRE = regexp.MustCompile(`§([0-9]+(?:\.[0-9]+)*)`)

// bareRE finds the old citations of a document the repository does not
// hold: "design" and a section sign, with no file named.
var bareRE = regexp.MustCompile(`\bdesign §[0-9]`)

// numberedRE is how a document numbers a section: a heading ("## 5.",
// "### 5.3 Program file") or a paragraph that begins with its number
// ("2.1 **Registry.**").
var numberedRE = regexp.MustCompile(`^(?:#+ ([0-9]+(?:\.[0-9]+)*)\.?|([0-9]+(?:\.[0-9]+)+)) `)

// TestCitations checks that every citation of a section of a document in
// docs/, in the Go files and the Markdown of the repository, names a
// document that exists and a section that document has, so citations
// cannot drift from docs/design.md again.
func TestCitations(t *testing.T) {
	sections := map[string]map[string]bool{} // document name → its section numbers
	docs, err := filepath.Glob("docs/*.md")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs/*.md found (err %v); the test runs in the repository's root", err)
	}
	for _, path := range docs {
		sections[strings.TrimSuffix(filepath.Base(path), ".md")] = numberedSections(t, path)
	}
	if len(sections["design"]) < 10 {
		t.Fatalf("docs/design.md has %d numbered sections; want its numbered headings", len(sections["design"]))
	}

	cited := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "node_modules"):
			return filepath.SkipDir
		case d.IsDir() || path == "citations_test.go":
			return nil
		case !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md"):
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if bareRE.MatchString(line) {
				t.Errorf("%s:%d cites a design document the repository does not hold: %q; cite docs/design.md §N instead", path, i+1, line)
			}
			for _, m := range citationRE.FindAllStringSubmatch(line, -1) {
				have, ok := sections[m[1]]
				if !ok {
					t.Errorf("%s:%d cites %s.md, which is not in docs/: %q", path, i+1, m[1], line)
					continue
				}
				for _, s := range sectionRE.FindAllStringSubmatch(m[2], -1) {
					cited++
					if !have[s[1]] {
						t.Errorf("%s:%d cites docs/%s.md §%s, which has no such section: %q", path, i+1, m[1], s[1], line)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited < 20 {
		t.Errorf("found %d citations of docs/*.md sections; the code holds more, so the search is broken", cited)
	}
}

// numberedSections returns the section numbers of the Markdown document
// at path, outside code blocks.
func numberedSections(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	fenced := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if m := numberedRE.FindStringSubmatch(line); m != nil && !fenced {
			have[m[1]+m[2]] = true
		}
	}
	return have
}
