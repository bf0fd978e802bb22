package ui

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// Windows a view can take besides a custom one.
var windows = []struct {
	Name  string
	Label string
	D     time.Duration
}{
	{"24h", "24 h", 24 * time.Hour},
	{"7d", "7 d", 7 * 24 * time.Hour},
}

// Sortable leaderboard columns; the first is the default.
var sortColumns = []string{"total", "success", "latency", "tests", "name"}

// view is the state of a page, all of it in the query string so every view
// is a shareable URL: region ("" is Global), window (24h, 7d or custom with
// since and until), sort column and order, and the search text.
type view struct {
	Region string
	Window string
	Since  time.Time
	Until  time.Time
	Sort   string
	Desc   bool
	Q      string

	// AI is the job-type selector: false shows transcoding scores, true
	// the AI scores of Pipeline and Model (job_type=ai). A pipeline and
	// model come together, as /api/aggregated_stats takes them; AI mode
	// without them shows the first pipeline and model the store knows.
	AI       bool
	Pipeline string
	Model    string

	regions []podium.Region
}

// parseView reads a view from query parameters; the error names the bad one.
func parseView(q url.Values, now time.Time, regions []podium.Region) (view, error) {
	v := view{Window: "24h", Sort: "total", Desc: true, regions: regions, Until: now.UTC().Truncate(time.Second)}
	if reg := strings.ToUpper(strings.TrimSpace(q.Get("region"))); reg != "" && reg != "GLOBAL" {
		if !podium.NewRegionSet(regions).Has(reg) {
			ids := make([]string, len(regions))
			for i, r := range regions {
				ids[i] = r.ID
			}
			return v, podium.FieldError("region", "unknown region %q", reg).WithHint("use one of " + strings.Join(ids, ", ") + ", or leave it out for Global")
		}
		v.Region = reg
	}
	switch w := q.Get("window"); w {
	case "", "24h", "7d":
		if w != "" {
			v.Window = w
		}
		for _, o := range windows {
			if o.Name == v.Window {
				v.Since = v.Until.Add(-o.D)
			}
		}
	case "custom":
		v.Window = w
		since, err := parseTime("since", q.Get("since"))
		if err != nil {
			return v, err
		}
		v.Since = since
		if q.Get("until") != "" {
			if v.Until, err = parseTime("until", q.Get("until")); err != nil {
				return v, err
			}
		}
		if !v.Since.Before(v.Until) {
			return v, podium.FieldError("since", "must be before until (%s)", formatTime(v.Until)).WithHint("choose a start earlier than the end")
		}
	default:
		return v, podium.FieldError("window", "unknown window %q", w).WithHint("use 24h, 7d or custom with since and until")
	}
	if s := q.Get("sort"); s != "" {
		if !contains(sortColumns, s) {
			return v, podium.FieldError("sort", "unknown column %q", s).WithHint("sort by " + strings.Join(sortColumns, ", "))
		}
		v.Sort = s
	}
	v.Desc = v.Sort != "name"
	switch o := q.Get("order"); o {
	case "":
	case "asc", "desc":
		v.Desc = o == "desc"
	default:
		return v, podium.FieldError("order", "must be asc or desc, not %q", o)
	}
	v.Q = strings.TrimSpace(q.Get("q"))
	if len(v.Q) > 100 {
		return v, podium.FieldError("q", "is longer than 100 characters")
	}
	return v, parseJob(&v, q)
}

// parseJob reads the job type and the AI pipeline and model, with the
// API's rules: pipeline and model come together, and give AI mode.
func parseJob(v *view, q url.Values) error {
	v.Pipeline, v.Model = strings.TrimSpace(q.Get("pipeline")), strings.TrimSpace(q.Get("model"))
	switch {
	case len(v.Pipeline) > 200 || len(v.Model) > 200:
		return podium.FieldError("pipeline", "pipeline or model is longer than 200 characters")
	case v.Pipeline != "" && v.Model == "":
		return podium.FieldError("model", "is required with pipeline %q", v.Pipeline).WithHint("pick a pipeline and model from the AI board")
	case v.Model != "" && v.Pipeline == "":
		return podium.FieldError("pipeline", "is required with model %q", v.Model).WithHint("pick a pipeline and model from the AI board")
	}
	switch jt := q.Get("job_type"); jt {
	case "", podium.JobTranscoding:
		v.AI = v.Pipeline != ""
		if jt != "" && v.AI {
			return podium.FieldError("job_type", "is transcoding but a pipeline and model are given").WithHint("use job_type=ai, or leave pipeline and model out")
		}
	case podium.JobAI:
		v.AI = true
	default:
		return podium.FieldError("job_type", "unknown job type %q", jt).WithHint("use transcoding or ai")
	}
	return nil
}

// parseTime accepts unix seconds (fractions allowed), RFC 3339, and the
// "2006-01-02T15:04" of a datetime-local input or a bare date, both as UTC.
func parseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, podium.FieldError(field, "is required for a custom window").WithHint("give a date such as 2020-12-14 or 2020-12-14T15:00")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 {
		return time.Unix(0, int64(f*1e9)).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, podium.FieldError(field, "%q is not a time", s).WithHint("use unix seconds, 2020-12-14 or 2020-12-14T15:00 (UTC)")
}

// RegionName names the view's region, "Global" for none.
func (v view) RegionName() string {
	for _, r := range v.regions {
		if r.ID == v.Region {
			return r.Name
		}
	}
	return "Global"
}

// jobTitle is the title's suffix naming the AI board's pipeline and model.
func (v view) jobTitle() string {
	if !v.AI {
		return ""
	}
	if v.Pipeline == "" {
		return " · AI"
	}
	return " · AI · " + v.Pipeline + " · " + v.Model
}

// Regions lists the regions the picker offers.
func (v view) Regions() []podium.Region { return v.regions }

// Windows lists the fixed windows the picker offers.
func (v view) Windows() []struct {
	Name  string
	Label string
	D     time.Duration
} {
	return windows
}

// values encodes the view, leaving defaults out so URLs stay short.
func (v view) values() url.Values {
	q := url.Values{}
	if v.Region != "" {
		q.Set("region", v.Region)
	}
	if v.Window != "24h" {
		q.Set("window", v.Window)
	}
	if v.Window == "custom" {
		q.Set("since", v.Since.Format(time.RFC3339))
		q.Set("until", v.Until.Format(time.RFC3339))
	}
	if v.Sort != "total" {
		q.Set("sort", v.Sort)
	}
	if v.Desc != (v.Sort != "name") {
		q.Set("order", map[bool]string{true: "desc", false: "asc"}[v.Desc])
	}
	if v.Q != "" {
		q.Set("q", v.Q)
	}
	if v.AI {
		q.Set("job_type", podium.JobAI)
	}
	if v.Pipeline != "" {
		q.Set("pipeline", v.Pipeline)
		q.Set("model", v.Model)
	}
	return q
}

func (v view) url(path string) string {
	if s := v.values().Encode(); s != "" {
		return path + "?" + s
	}
	return path
}

// URL is the leaderboard URL of this view.
func (v view) URL() string { return v.url("/") }

// RegionURL is this view in region id ("" for Global).
func (v view) RegionURL(id string) string { v.Region = id; return v.url("/") }

// SortURL sorts by col, reversing the order when col is already the sort.
func (v view) SortURL(col string) string {
	if v.Sort == col {
		v.Desc = !v.Desc
	} else {
		v.Sort, v.Desc = col, col != "name"
	}
	return v.url("/")
}

// SortMark is the arrow shown on the sorted column's header.
func (v view) SortMark(col string) string {
	switch {
	case v.Sort != col:
		return ""
	case v.Desc:
		return "▼"
	default:
		return "▲"
	}
}

// AriaSort is the aria-sort value of col's header.
func (v view) AriaSort(col string) string {
	switch {
	case v.Sort != col:
		return "none"
	case v.Desc:
		return "descending"
	default:
		return "ascending"
	}
}

// OrchestratorURL is the page of addr over this view's window and region.
func (v view) OrchestratorURL(addr string) string {
	w := view{Region: v.Region, Window: v.Window, Since: v.Since, Until: v.Until, Sort: "total", Desc: true, AI: v.AI, Pipeline: v.Pipeline, Model: v.Model}
	return w.url("/orchestrators/" + addr)
}

// LeaderboardURL is the leaderboard over this view's window and region.
func (v view) LeaderboardURL() string {
	w := view{Region: v.Region, Window: v.Window, Since: v.Since, Until: v.Until, Sort: "total", Desc: true, AI: v.AI, Pipeline: v.Pipeline, Model: v.Model}
	return w.url("/")
}

// JobURL is this view's leaderboard for transcoding (ai false) or AI, the
// pipeline and model kept only in AI mode.
func (v view) JobURL(ai bool) string {
	v.AI = ai
	if !ai {
		v.Pipeline, v.Model = "", ""
	}
	return v.url("/")
}

// ModelURL is this view's AI leaderboard for pipeline and model.
func (v view) ModelURL(pipeline, model string) string {
	v.AI, v.Pipeline, v.Model = true, pipeline, model
	return v.url("/")
}

// PageRegionURL is this view of path in region id ("" for Global).
func (v view) PageRegionURL(path, id string) string { v.Region = id; return v.url(path) }

// PageWindowURL is this view of path over the fixed window name.
func (v view) PageWindowURL(path, name string) string { v.Window = name; return v.url(path) }

// InputTime formats t for a datetime-local input.
func (v view) InputTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04") }

// param is one hidden form field.
type param struct{ Name, Value string }

// Hidden lists the view's parameters except the named ones, so a form that
// changes those keeps the rest of the view.
func (v view) Hidden(except ...string) []param {
	var ps []param
	q := v.values()
	for _, k := range []string{"region", "window", "since", "until", "sort", "order", "q", "job_type", "pipeline", "model"} {
		if q.Has(k) && !contains(except, k) {
			ps = append(ps, param{k, q.Get(k)})
		}
	}
	return ps
}

// WithoutQ is this view without its search.
func (v view) WithoutQ() string { v.Q = ""; return v.url("/") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// View returns the view itself, for templates passing it to a partial.
func (v view) View() view { return v }
