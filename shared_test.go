package podium_test

import (
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
)

func TestSharedEndpoints(t *testing.T) {
	orchs := []podium.Orchestrator{
		{Address: "0xA1", ServiceURI: "https://node.example.com:8935"},
		{Address: "0xa2", ServiceURI: "https://NODE.example.com:8935/"},
		{Address: "0xb1", ServiceURI: "https://10.0.0.5:8935"},
		{Address: "0xb2", ServiceURI: "https://10.0.0.5:9935"},
		{Address: "0xc1", ServiceURI: "https://alone.example.com:8935"},
		{Address: "0xd1", ServiceURI: ""},
		{Address: "0xd2", ServiceURI: ""},
	}
	got := podium.SharedEndpoints(orchs)
	want := []podium.SharedEndpoint{
		{Kind: "host", Host: "10.0.0.5", Addresses: []string{"0xb1", "0xb2"}},
		{Kind: "service URI", Host: "node.example.com", Addresses: []string{"0xa1", "0xa2"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SharedEndpoints = %+v, want %+v", got, want)
	}
	if w := podium.SharedWith(got, "0xB2"); len(w) != 1 || w[0].Host != "10.0.0.5" {
		t.Errorf("SharedWith 0xb2 = %+v", w)
	}
	if w := podium.SharedWith(got, "0xc1"); len(w) != 0 {
		t.Errorf("SharedWith 0xc1 = %+v", w)
	}
}
