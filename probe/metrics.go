package probe

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the prober's Prometheus metrics. A nil *Metrics records
// nothing, so tests and one-shot runs need not build one.
type Metrics struct {
	tests        *prometheus.CounterVec
	aiTests      *prometheus.CounterVec
	successRate  *prometheus.GaugeVec
	roundTrip    *prometheus.GaugeVec
	cycles       prometheus.Counter
	testerFault  prometheus.Counter
	withheld     prometheus.Counter
	canaryFailed prometheus.Counter
	posts        *prometheus.CounterVec
	spooledTotal prometheus.Counter
	spoolLen     prometheus.Gauge
}

// NewMetrics registers the prober's metrics with reg.
func NewMetrics(reg prometheus.Registerer, region string) *Metrics {
	labels := prometheus.Labels{"region": region}
	m := &Metrics{
		tests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "podium_probe_tests_total", Help: "Tests run, by outcome (ok, failed, withheld).", ConstLabels: labels,
		}, []string{"outcome"}),
		aiTests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "podium_probe_ai_tests_total", Help: "AI tests run, one per pipeline and model, by pipeline and outcome (ok, failed, withheld).", ConstLabels: labels,
		}, []string{"pipeline", "outcome"}),
		successRate: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "podium_probe_success_rate", Help: "Success rate of the last test of each orchestrator.", ConstLabels: labels,
		}, []string{"orchestrator"}),
		roundTrip: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "podium_probe_round_trip_seconds", Help: "Mean round trip of the last test of each orchestrator.", ConstLabels: labels,
		}, []string{"orchestrator"}),
		cycles: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "podium_probe_cycles_total", Help: "Test cycles completed.", ConstLabels: labels,
		}),
		testerFault: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "podium_probe_tester_fault_total", Help: "Cycles in which the prober itself was at fault.", ConstLabels: labels,
		}),
		withheld: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "podium_probe_withheld_total", Help: "Test results not posted because the prober was at fault.", ConstLabels: labels,
		}),
		canaryFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "podium_probe_canary_failures_total", Help: "Canary checks that failed.", ConstLabels: labels,
		}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "podium_probe_posts_total", Help: "Posts to the leaderboard, by outcome (ok, error, rejected).", ConstLabels: labels,
		}, []string{"outcome"}),
		spooledTotal: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "podium_probe_spooled_total", Help: "Records written to the spool.", ConstLabels: labels,
		}),
		spoolLen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "podium_probe_spool_records", Help: "Records waiting in the spool.", ConstLabels: labels,
		}),
	}
	reg.MustRegister(m.tests, m.aiTests, m.successRate, m.roundTrip, m.cycles, m.testerFault, m.withheld,
		m.canaryFailed, m.posts, m.spooledTotal, m.spoolLen)
	return m
}

func (m *Metrics) test(r Result, posted bool) {
	if m == nil {
		return
	}
	if r.Stats.IsAI() {
		// Counted apart: the gauges are of each orchestrator's transcoding.
		outcome := "failed"
		switch {
		case !posted:
			outcome = "withheld"
			m.withheld.Inc()
		case Clean(r):
			outcome = "ok"
		}
		m.aiTests.WithLabelValues(r.Stats.Pipeline, outcome).Inc()
		return
	}
	switch {
	case !posted:
		m.tests.WithLabelValues("withheld").Inc()
		m.withheld.Inc()
		return
	case Clean(r):
		m.tests.WithLabelValues("ok").Inc()
	default:
		m.tests.WithLabelValues("failed").Inc()
	}
	m.successRate.WithLabelValues(r.Stats.Orchestrator).Set(r.Stats.SuccessRate)
	m.roundTrip.WithLabelValues(r.Stats.Orchestrator).Set(r.Stats.RoundTripTime)
}

func (m *Metrics) cycle(fault bool) {
	if m == nil {
		return
	}
	m.cycles.Inc()
	if fault {
		m.testerFault.Inc()
	}
}

func (m *Metrics) canary() {
	if m != nil {
		m.canaryFailed.Inc()
	}
}

func (m *Metrics) posted(outcome string) {
	if m != nil {
		m.posts.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) spooled() {
	if m != nil {
		m.spooledTotal.Inc()
	}
}

func (m *Metrics) setSpool(s *Spool) {
	if m == nil {
		return
	}
	if n, err := s.Len(); err == nil {
		m.spoolLen.Set(float64(n))
	}
}
