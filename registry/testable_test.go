package registry_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/registry"
)

// fixed is a registry with a fixed answer.
type fixed struct {
	orchs []podium.Orchestrator
	err   error
}

func (f fixed) Orchestrators(context.Context) ([]podium.Orchestrator, error) { return f.orchs, f.err }

func TestTestable_Orchestrators(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := podium.Orchestrator{Address: "0xa", ServiceURI: "https://a:8935", Active: true}
		b := podium.Orchestrator{Address: "0xb", ServiceURI: "https://b:8935", Active: false}
		c := podium.Orchestrator{Address: "0xc", Active: true}
		got, err := registry.Testable{Registry: fixed{orchs: []podium.Orchestrator{a, b, c}}}.Orchestrators(context.Background())
		if err != nil || !reflect.DeepEqual(got, []podium.Orchestrator{a}) {
			t.Fatalf("got %+v, %v; want only the active one with a URI", got, err)
		}
	})
	t.Run("ErrRegistry", func(t *testing.T) {
		want := errors.New("rpc down")
		if _, err := (registry.Testable{Registry: fixed{err: want}}).Orchestrators(context.Background()); !errors.Is(err, want) {
			t.Fatalf("got %v, want the registry's error", err)
		}
	})
}
