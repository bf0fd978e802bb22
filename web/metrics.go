package web

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Ingest results counted by podium_ingest_records_total.
const (
	resultOK           = "ok"
	resultDuplicate    = "duplicate"
	resultInvalid      = "invalid"
	resultUnauthorized = "unauthorized"
	resultError        = "error"
)

// metrics are the server's Prometheus series, on a registry of its own so
// that several servers (tests) never share counters.
type metrics struct {
	registry *prometheus.Registry
	ingest   *prometheus.CounterVec
	query    *prometheus.HistogramVec
}

// groupCommitter is a store that counts its group commits (both stores do).
type groupCommitter interface {
	GroupCommits() (groups, records uint64)
}

func newMetrics(store any) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		ingest: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "podium_ingest_records_total",
			Help: "Posted stats records by result: ok, duplicate, invalid, unauthorized, error.",
		}, []string{"result"}),
		query: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "podium_query_duration_seconds",
			Help:    "Time to answer a read API request, by endpoint.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"endpoint"}),
	}
	for _, r := range []string{resultOK, resultDuplicate, resultInvalid, resultUnauthorized, resultError} {
		m.ingest.WithLabelValues(r) // export zeros, so rates work from the start
	}
	m.registry.MustRegister(m.ingest, m.query,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if gc, ok := store.(groupCommitter); ok {
		m.registry.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "podium_ingest_group_commits_total",
				Help: "Store transactions written by the ingest group commit.",
			}, func() float64 { groups, _ := gc.GroupCommits(); return float64(groups) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "podium_ingest_group_commit_records_total",
				Help: "Records handed to those transactions (new and duplicate).",
			}, func() float64 { _, records := gc.GroupCommits(); return float64(records) }))
	}
	return m
}
