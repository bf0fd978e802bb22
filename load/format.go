package load

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Write prints the report as a table: one row per endpoint, then totals.
func (r *Report) Write(w io.Writer, stored int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\trequests\treq/s\terrors\tp50\tp99\t")
	secs := r.Elapsed.Seconds()
	for _, e := range r.Endpoints {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%d\t%s\t%s\t\n", e.Name, e.Requests, float64(e.Requests)/secs, e.Errors, ms(e.P50), ms(e.P99))
	}
	fmt.Fprintf(tw, "total\t%d\t%.0f\t%d\t\t\t\n", r.Requests(), float64(r.Requests())/secs, r.Errors)
	tw.Flush()
	fmt.Fprintf(w, "elapsed %s; records acknowledged %d, stored %d\n", r.Elapsed.Round(time.Millisecond), len(r.Acked), stored)
	for _, e := range r.FirstErrors {
		fmt.Fprintln(w, "error:", e)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
