package load

import (
	"strings"
	"testing"
)

func TestWriteTable_OK(t *testing.T) {
	rs, err := ParseResults(strings.NewReader(`# figure system value load
bulk anchor 60 5.0
bulk sqlite 40 5.5
bulk postgres 20 6.0
agg7d anchor 9.18 4.0
agg7d sqlite 0.0187 4.2
agg7d postgres 0.014 4.1
ingest anchor 1000 3.0
ingest anchor 3000 3.5
ingest sqlite 1500 3.2
ingest sqlite 2500 3.3
ingest sqlite 9999 3.4
`))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteTable(&b, rs, 2016000, 20000)
	out := b.String()
	for _, want := range []string{
		"| aggregated_stats p50, 7 days, all regions | 9.18 s | 18.7 ms (491×) | 14.0 ms (656×) | 4.0–4.2 |",
		// medians: the anchor's two runs give their mean, 2,000; podium's three 2,500
		"| signed ingest, 16 concurrent posters, one record per POST, rec/s (20,000 posts) | 2,000 | 2,500 (1.25×) | — | 3.0–3.5 |",
		"| bulk load of 2,016,000 records | 60.0 s (COPY, 33,600 rec/s) | 40.0 s (`podium import`, 50,400 rec/s) (1.50×) | 20.0 s (`podium import`, 100,800 rec/s) (3.00×) | 5.0–6.0 |",
		"- ingest, sqlite: 1,500 (3.2), 2,500 (3.3), 9,999 (3.4)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks\n%s\nin\n%s", want, out)
		}
	}
	if strings.Contains(out, "24 h") {
		t.Errorf("a figure without results has a row:\n%s", out)
	}
}

func TestParseResults_Err(t *testing.T) {
	for _, bad := range []string{"agg7d anchor 1", "agg7d anchor x 1", "agg7d anchor 0 1", "agg7d anchor 1 load"} {
		if _, err := ParseResults(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: got %v, want an error naming line 1", bad, err)
		}
	}
}
