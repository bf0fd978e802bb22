package web

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

func TestDecodeStats(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		data, err := os.ReadFile("testdata/stream-tester.json")
		if err != nil {
			t.Fatal(err)
		}
		s, err := DecodeStats(data)
		if err != nil {
			t.Fatal(err)
		}
		if s.Region != "MDW" || s.Timestamp != 1723741735 || s.SegmentsReceived != 30 || s.RoundTripTime != 1.9470436519285717 {
			t.Fatalf("decoded %+v", s)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct{ name, body, field string }{
			{"empty", ``, ""},
			{"spaces", "  \n", ""},
			{"truncated", `{"region":"FRA"`, ""},
			{"syntax", `{"region":FRA}`, ""},
			{"array", `[1,2]`, ""},
			{"two records", `{} {}`, ""},
			{"region number", `{"region":1}`, "region"},
			{"timestamp string", `{"timestamp":"1723741735"}`, "timestamp"},
			{"timestamp fraction", `{"timestamp":1723741735.5}`, "timestamp"},
			{"segments_sent bool", `{"segments_sent":true}`, "segments_sent"},
			{"success_rate string", `{"success_rate":"1"}`, "success_rate"},
			{"errors object", `{"errors":{}}`, "errors"},
			{"errors count string", `{"errors":[{"error_code":"x","count":"1"}]}`, "errors"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := DecodeStats([]byte(tt.body))
				if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) != tt.field {
					t.Fatalf("got %v (field %q), want invalid field %q", err, podium.ErrorField(err), tt.field)
				}
			})
		}
	})
}

// FuzzDecodeStats checks that decoding and validating never panics and that
// an accepted record, encoded again, is accepted again unchanged.
func FuzzDecodeStats(f *testing.F) {
	for _, name := range []string{"testdata/stream-tester.json", "testdata/podium.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"region":"fra","orchestrator":"0x0FC80AFB7876F579F1FB1C4D1C37CF1339038658","timestamp":1,"success_rate":1e-300}`))
	f.Add([]byte(`{"errors":[{"error_code":"","count":-1}]}`))
	regions := podium.NewRegionSet(podium.DefaultRegions())
	now := time.Unix(1723741735, 0)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeStats(data)
		if err != nil {
			if podium.ErrorCode(err) != podium.EINVALID {
				t.Fatalf("decode error with code %q: %v", podium.ErrorCode(err), err)
			}
			return
		}
		if err := s.Normalize(regions, now); err != nil {
			if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorField(err) == "" {
				t.Fatalf("validation error without a field: %v", err)
			}
			return
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := DecodeStats(again)
		if err != nil {
			t.Fatalf("re-decode %s: %v", again, err)
		}
		if err := s2.Normalize(regions, now); err != nil {
			t.Fatalf("re-validate %s: %v", again, err)
		}
		if !reflect.DeepEqual(normalizeEmpty(s), normalizeEmpty(s2)) {
			t.Fatalf("round trip changed the record:\n%+v\n%+v", s, s2)
		}
	})
}

// normalizeEmpty treats a nil and an empty errors list alike.
func normalizeEmpty(s podium.Stats) podium.Stats {
	if len(s.Errors) == 0 {
		s.Errors = nil
	}
	return s
}
