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
	batches  prometheus.Histogram
	query    *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		ingest: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "podium_ingest_records_total",
			Help: "Posted stats records by result: ok, duplicate, invalid, unauthorized, error.",
		}, []string{"result"}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "podium_ingest_batch_records",
			Help:    "Records written per store transaction by the group-commit batcher.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		query: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "podium_query_duration_seconds",
			Help:    "Time to answer a read API request, by endpoint.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"endpoint"}),
	}
	for _, r := range []string{resultOK, resultDuplicate, resultInvalid, resultUnauthorized, resultError} {
		m.ingest.WithLabelValues(r) // export zeros, so rates work from the start
	}
	m.registry.MustRegister(m.ingest, m.batches, m.query,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
