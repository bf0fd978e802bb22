package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// anchorDir holds leaderboard-serverless's answers, recorded by
// scripts/anchor-golden.sh from the real anchor (never written by hand).
var anchorDir = filepath.Join("testdata", "anchor")

// anchorDiffers lists the cases where podium answers otherwise than the
// anchor on purpose (docs/design.md §5.2, §5.9), with why, what the anchor
// answered (so a re-recording that changes it shows the entry is stale) and
// what podium answers instead: a JSON body, or the anchor's answer to
// another case.
var anchorDiffers = map[string]anchorDifference{
	"ai_aggregated_stats_all_failed": {
		why: "no AI test of the window succeeded, so there is no median round trip: the anchor's k is +Inf, " +
			"exp(-Inf × 0) is NaN for a mean round trip of 0 and it cannot write its answer; " +
			"podium scores the round trip 0, the anchor's own answer where the mean round trip is not 0 " +
			"(ai_aggregated_stats_all_failed_orchestrator)",
		anchorStatus: http.StatusInternalServerError, anchorError: "json: unsupported value: NaN",
		status: http.StatusOK,
		body: `{"0x00000000000000000000000000000000000000a1":{"FRA":{"success_rate":0,"round_trip_score":0,"score":0}},
			"0x00000000000000000000000000000000000000d4":{"MDW":{"success_rate":0,"round_trip_score":0,"score":0}}}`,
	},
	"ai_top_ai_score_a_upper_case": {
		why: "the anchor lower-cases the orchestrator of aggregated_stats and raw_stats but matches top_ai_score's as given, " +
			"so a checksummed address finds nothing; podium reads an address in any case everywhere",
		anchorStatus: http.StatusOK, anchorBody: `{}`,
		status: http.StatusOK, sameAs: "ai_top_ai_score_a",
	},
}

type anchorDifference struct {
	why                     string
	anchorStatus            int
	anchorBody, anchorError string // the anchor's body, or its error text
	status                  int
	body, sameAs            string
}

// anchorUnordered lists the cases whose lists the anchor answers in no
// defined order, with why; their lists are compared as sets.
var anchorUnordered = map[string]string{
	"regions": "the anchor selects its regions without ORDER BY (its answer follows its join's plan); podium keeps the seed order",
}

type anchorManifest struct {
	Commit  string `json:"commit"`
	Records string `json:"records"`
	Posts   string `json:"posts"`
	Now     int64  `json:"now"`
	Cases   []struct {
		Name, File, Clock string
		Request           string `json:"request"`
	} `json:"cases"`
}

type anchorAnswer struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// TestServer_AnchorGolden posts the records the anchor was given to podium,
// asks the anchor's requests and compares the answers: statuses equal, JSON
// numbers to 1e-9 relative, everything else equal, lists in the anchor's
// order. Tolerated: an error answer (4xx, 5xx) says at least the anchor's
// error text, and may say more (podium adds the field and a hint).
func TestServer_AnchorGolden(t *testing.T) {
	var m anchorManifest
	readAnchorJSON(t, "manifest.json", &m)
	if len(m.Commit) != 40 || m.Now == 0 || len(m.Cases) == 0 {
		t.Fatalf("manifest.json names commit %q, now %d, %d cases: rerun scripts/anchor-golden.sh", m.Commit, m.Now, len(m.Cases))
	}
	names := map[string]bool{}
	for _, c := range m.Cases {
		names[c.Name] = true
		var a anchorAnswer
		if readAnchorJSON(t, c.File, &a); a.Status == 0 || len(a.Body) == 0 {
			t.Fatalf("%s holds no answer: rerun scripts/anchor-golden.sh", c.File)
		}
	}
	for name, d := range anchorDiffers {
		if !names[name] || (d.sameAs != "") == (d.body != "") || (d.sameAs != "" && !names[d.sameAs]) {
			t.Errorf("anchorDiffers: %s names a case the manifest does not list, or not one of body and sameAs", name)
		}
	}
	records, err := os.ReadFile(filepath.Join(anchorDir, m.Records))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(records), []byte("\n"))
	var posts []struct {
		Line   int  `json:"line"`
		Status int  `json:"status"`
		Stored bool `json:"stored"`
	}
	readAnchorJSON(t, m.Posts, &posts)
	if len(posts) != len(lines) {
		t.Fatalf("%d posts for %d records: rerun scripts/anchor-golden.sh", len(posts), len(lines))
	}
	now := time.Unix(m.Now, 0)
	forEachStore(t, func(t *testing.T, open opener) {
		ts := newTestServer(t, open, web.Config{Now: func() time.Time { return now }})
		for i, p := range posts {
			line := lines[p.Line-1]
			var s podium.Stats
			if err := json.Unmarshal(line, &s); err != nil {
				t.Fatalf("record %d: %v", p.Line, err)
			}
			status, body := ts.post(t, line, http.Header{"Authorization": {web.Sign(testSecret, line)}})
			// The anchor answers 200 and stores nothing for a record in a
			// region without its job type; podium refuses it.
			if want := map[bool]int{true: http.StatusOK, false: http.StatusBadRequest}[p.Stored]; status != want {
				t.Errorf("record %d (anchor: %d, stored %v): podium answers %d %v, want %d", i+1, p.Status, p.Stored, status, body, want)
			}
		}
		for _, c := range m.Cases {
			t.Run(c.Name, func(t *testing.T) {
				var want anchorAnswer
				readAnchorJSON(t, c.File, &want)
				if d, ok := anchorDiffers[c.Name]; ok {
					want = d.podiumAnswer(t, c.File, want)
				}
				resp, err := http.Get(ts.URL + c.Request)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != want.Status {
					t.Fatalf("GET %s: status %d, the anchor's %d\n got %s\nwant %s", c.Request, resp.StatusCode, want.Status, got, want.Body)
				}
				var g, w any
				if err := json.Unmarshal(got, &g); err != nil {
					t.Fatalf("GET %s: %v in %s", c.Request, err, got)
				}
				if err := json.Unmarshal(want.Body, &w); err != nil {
					t.Fatalf("%s: %v", c.File, err)
				}
				var diffs []string
				if want.Status >= 400 {
					diffs = sameError(g, w)
				} else if _, ok := anchorUnordered[c.Name]; ok {
					diffs = sameJSON("body", sortedLists(g), sortedLists(w))
				} else {
					diffs = sameJSON("body", g, w)
				}
				if len(diffs) > 0 {
					t.Fatalf("GET %s differs from the anchor (%s, leaderboard-serverless %.7s):\n  %s\n got %s\nwant %s",
						c.Request, c.File, m.Commit, strings.Join(diffs, "\n  "), got, want.Body)
				}
			})
		}
	})
}

func readAnchorJSON(t *testing.T, name string, out any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(anchorDir, name))
	if err != nil {
		t.Fatalf("%v (scripts/anchor-golden.sh writes it)", err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// sameJSON lists where got differs from want: numbers to 1e-9 relative,
// objects by their keys, arrays element by element.
func sameJSON(path string, got, want any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, want an object", path, got)}
		}
		var diffs []string
		for _, k := range keysOf(w, g) {
			gv, gok := g[k]
			wv, wok := w[k]
			switch {
			case !gok:
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
			case !wok:
				diffs = append(diffs, fmt.Sprintf("%s.%s: not in the anchor's answer", path, k))
			default:
				diffs = append(diffs, sameJSON(path+"."+k, gv, wv)...)
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %v, want %d elements", path, got, len(w))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, sameJSON(fmt.Sprintf("%s[%d]", path, i), g[i], w[i])...)
		}
		return diffs
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9*math.Max(math.Abs(g), math.Abs(w)) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, got, w)}
		}
		return nil
	default:
		if got != want {
			return []string{fmt.Sprintf("%s: got %#v, want %#v", path, got, want)}
		}
		return nil
	}
}

// sortedLists returns v with every list sorted by its elements' JSON.
func sortedLists(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = sortedLists(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sortedLists(e)
		}
		sort.SliceStable(out, func(i, j int) bool {
			a, _ := json.Marshal(out[i])
			b, _ := json.Marshal(out[j])
			return string(a) < string(b)
		})
		return out
	default:
		return v
	}
}

// sameError checks that podium's error answer says the anchor's error.
func sameError(got, want any) []string {
	g, _ := got.(map[string]any)
	w, _ := want.(map[string]any)
	ge, _ := g["error"].(string)
	we, _ := w["error"].(string)
	if we == "" || !strings.Contains(ge, we) {
		return []string{fmt.Sprintf("error %q does not say the anchor's %q", ge, we)}
	}
	return nil
}

func keysOf(maps ...map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// podiumAnswer checks that the anchor's recorded answer is still the one d
// names and returns the answer podium gives instead.
func (d anchorDifference) podiumAnswer(t *testing.T, file string, anchor anchorAnswer) anchorAnswer {
	t.Helper()
	var a any
	if err := json.Unmarshal(anchor.Body, &a); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var stale []string
	if d.anchorError != "" {
		stale = sameError(a, map[string]any{"error": d.anchorError})
	} else {
		var w any
		if err := json.Unmarshal([]byte(d.anchorBody), &w); err != nil {
			t.Fatalf("anchorDiffers, %s: %v", file, err)
		}
		stale = sameJSON("body", a, w)
	}
	if anchor.Status != d.anchorStatus || len(stale) > 0 {
		t.Fatalf("%s: the anchor answers %d %s, not what anchorDiffers says (%d %s%s): check the difference again (%s)",
			file, anchor.Status, anchor.Body, d.anchorStatus, d.anchorBody, d.anchorError, d.why)
	}
	if d.sameAs != "" {
		var other anchorAnswer
		readAnchorJSON(t, d.sameAs+".json", &other)
		return anchorAnswer{Status: d.status, Body: other.Body}
	}
	return anchorAnswer{Status: d.status, Body: json.RawMessage(d.body)}
}
