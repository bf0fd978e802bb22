package podium_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// module is podium's module path.
const module = "github.com/podiumhq/podium"

// testHelpers is the label of docs/design.md §3.1's row of packages that
// only tests may import.
const testHelpers = "tests"

// layerRowRE is a row of the layer table in docs/design.md §3.1:
// "| 3 | `rules`, `snapshot`, … |".
var layerRowRE = regexp.MustCompile("^\\| ([0-9]+|" + testHelpers + ") \\| (.*) \\|$")

// TestLayers checks the code against docs/design.md §3.1: every package is
// in the layer table, a package imports only packages of a lower layer, and
// only tests import the test helpers. The table is the one in the document,
// so the document and the code cannot disagree.
func TestLayers(t *testing.T) {
	layers := layerTable(t)
	imports := packageImports(t)
	for pkg, deps := range imports {
		from, ok := layers[pkg]
		if !ok {
			t.Errorf("package %s is not in the layer table of docs/design.md §3.1; add it to the row of its layer", pkg)
			continue
		}
		for _, dep := range deps {
			to, ok := layers[dep]
			switch {
			case !ok:
				continue // reported as a package of its own
			case to == -1 && from != -1:
				t.Errorf("%s imports %s, which only tests may import (docs/design.md §3.1)", pkg, dep)
			case from != -1 && to >= from:
				t.Errorf("%s (layer %d) imports %s (layer %d); docs/design.md §3.1 allows only lower layers", pkg, from, dep, to)
			}
		}
	}
	for pkg := range layers {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("docs/design.md §3.1 lists %s, which is not a package of the repository", pkg)
		}
	}
}

// layerTable reads the layer of each package from docs/design.md §3.1;
// the test helpers get -1. The root package is "podium".
func layerTable(t *testing.T) map[string]int {
	t.Helper()
	b, err := os.ReadFile("docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "### 3.1 ")
	if !ok {
		t.Fatal("docs/design.md has no section 3.1 (the layers)")
	}
	table, _, _ = strings.Cut(table, "\n### ")
	layers := map[string]int{}
	for _, line := range strings.Split(table, "\n") {
		m := layerRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n := -1
		if m[1] != testHelpers {
			n, _ = strconv.Atoi(m[1])
		}
		for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[2], -1) {
			layers[name[1]] = n
		}
	}
	if len(layers) < 20 {
		t.Fatalf("read %d packages from the layer table of docs/design.md §3.1; want every package", len(layers))
	}
	return layers
}

// packageImports returns, for each package of the repository (by its path
// under the module, the root as "podium"), the podium packages its non-test
// files import.
func packageImports(t *testing.T) map[string][]string {
	t.Helper()
	imports := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := name(filepath.ToSlash(filepath.Dir(path)))
		if _, ok := imports[pkg]; !ok {
			imports[pkg] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case p == module:
				imports[pkg] = append(imports[pkg], "podium")
			case strings.HasPrefix(p, module+"/"):
				imports[pkg] = append(imports[pkg], strings.TrimPrefix(p, module+"/"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return imports
}

// name is the table's name of the package in dir.
func name(dir string) string {
	if dir == "." {
		return "podium"
	}
	return dir
}
