package demo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestConfig_Validate(t *testing.T) {
	ok := Config{}.withDefaults()
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tt := range []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"ErrRoundShort", func(c *Config) { c.Round = 10 * time.Second }, "--round"},
		{"ErrRoundFraction", func(c *Config) { c.Round = 90*time.Second + time.Millisecond }, "--round"},
		{"ErrFewOrchestrators", func(c *Config) { c.Orchestrators = 5 }, "--orchestrators"},
		{"ErrManyOrchestrators", func(c *Config) { c.Orchestrators = 11 }, "--orchestrators"},
		{"ErrSegments", func(c *Config) { c.Segments = 16 }, "--segments"},
		{"ErrConcurrency", func(c *Config) { c.Concurrency = -1 }, "--concurrency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			var e *podium.Error
			if err == nil || !errors.As(err, &e) || e.Field != tt.field {
				t.Fatalf("Validate() = %v, want an error on %s", err, tt.field)
			}
		})
	}
}

func TestCast(t *testing.T) {
	for n := 6; n <= 10; n++ {
		c := Cast(n)
		if len(c) != n {
			t.Fatalf("Cast(%d) has %d characters", n, len(c))
		}
		names := map[string]bool{}
		for _, ch := range c[:6] {
			names[ch.Name] = true
		}
		for _, want := range []string{"fast", "inc", "cheater", "local", "slow", "flaky"} {
			if !names[want] {
				t.Fatalf("Cast(%d) lacks %s among its first six", n, want)
			}
		}
		for _, ch := range c {
			for _, r := range Regions {
				if _, ok := ch.Delay[r]; !ok {
					t.Fatalf("%s has no delay from %s", ch.Name, r)
				}
			}
		}
	}
}

type fixedRegistry []podium.Orchestrator

func (f fixedRegistry) Orchestrators(context.Context) ([]podium.Orchestrator, error) { return f, nil }

func TestRegionalRegistry_Orchestrators(t *testing.T) {
	r := regionalRegistry{
		Registry: fixedRegistry{{Address: "0xa", ServiceURI: "https://127.0.0.1:1000"}, {Address: "0xb", ServiceURI: "https://127.0.0.1:2000"}},
		routes:   map[string]string{"127.0.0.1:1000": "127.0.0.1:1111"},
	}
	got, err := r.Orchestrators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got[0].ServiceURI != "https://127.0.0.1:1111" || got[1].ServiceURI != "https://127.0.0.1:2000" {
		t.Fatalf("service URIs %q %q", got[0].ServiceURI, got[1].ServiceURI)
	}
}
