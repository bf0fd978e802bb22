package ui

import (
	"net/url"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestParseView(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	regions := podium.DefaultRegions()
	for _, tt := range []struct {
		name, query string
		want        view
	}{
		{"OK/Default", "", view{Window: "24h", Since: now.Add(-24 * time.Hour), Until: now, Sort: "total", Desc: true}},
		{"OK/RegionLowercase", "region=fra&window=7d", view{Region: "FRA", Window: "7d", Since: now.Add(-168 * time.Hour), Until: now, Sort: "total", Desc: true}},
		{"OK/GlobalByName", "region=global", view{Window: "24h", Since: now.Add(-24 * time.Hour), Until: now, Sort: "total", Desc: true}},
		{"OK/NameSortsAscending", "sort=name", view{Window: "24h", Since: now.Add(-24 * time.Hour), Until: now, Sort: "name"}},
		{"OK/Custom", "window=custom&since=2026-11-20&until=2026-11-21T06:30", view{Window: "custom",
			Since: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 21, 6, 30, 0, 0, time.UTC), Sort: "total", Desc: true}},
		{"OK/CustomOpenEnded", "window=custom&since=2026-11-20T00:00:00Z&q=%20alpha%20", view{Window: "custom",
			Since: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Until: now, Sort: "total", Desc: true, Q: "alpha"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			got, err := parseView(q, now, regions)
			if err != nil {
				t.Fatal(err)
			}
			if !got.equal(tt.want) {
				t.Errorf("parseView(%s) = %+v, want %+v", tt.query, got, tt.want)
			}
		})
	}
}

// TestView_URL checks that every view survives its own URL: a shared link
// shows what its sender saw.
func TestView_URL(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	regions := podium.DefaultRegions()
	for _, query := range []string{
		"",
		"region=SIN&window=7d&sort=latency&order=asc&q=0xab",
		"window=custom&since=2026-11-20T00:00:00Z&until=2026-11-21T06:30:15Z&sort=name&order=desc",
		"region=MDW&sort=tests",
	} {
		q, _ := url.ParseQuery(query)
		v, err := parseView(q, now, regions)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(v.URL())
		again, err := parseView(u.Query(), now, regions)
		if err != nil {
			t.Fatalf("%s → %s: %v", query, v.URL(), err)
		}
		if !again.equal(v) {
			t.Errorf("%s → %s → %+v, want %+v", query, v.URL(), again, v)
		}
		if u.Query().Encode() != q.Encode() {
			t.Errorf("%s is written back as %s", query, u.RawQuery)
		}
	}
}

func TestView_SortURL(t *testing.T) {
	v := view{Window: "24h", Sort: "total", Desc: true}
	for _, tt := range []struct{ col, want string }{
		{"total", "/?order=asc"},      // the sorted column flips
		{"success", "/?sort=success"}, // another starts descending
		{"name", "/?sort=name"},       // names start ascending
	} {
		if got := v.SortURL(tt.col); got != tt.want {
			t.Errorf("SortURL(%s) = %s, want %s", tt.col, got, tt.want)
		}
	}
}

// equal compares views but not the regions they offer.
func (v view) equal(w view) bool {
	return v.Region == w.Region && v.Window == w.Window && v.Since.Equal(w.Since) && v.Until.Equal(w.Until) &&
		v.Sort == w.Sort && v.Desc == w.Desc && v.Q == w.Q
}
