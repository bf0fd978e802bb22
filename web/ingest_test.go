package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

func TestServer_PostStats(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		t.Run("OK", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			streamTester, err := os.ReadFile("testdata/stream-tester.json")
			if err != nil {
				t.Fatal(err)
			}
			// The stream-tester sample as sent, with its timestamp moved near now.
			streamTester = []byte(strings.Replace(string(streamTester), "1723741735", fmt.Sprint(testNow.Unix()-10), 1))
			withoutTimestampHeader := validStats()
			withoutTimestampHeader.TestID = "t-2"
			upper := validStats()
			upper.TestID, upper.Region, upper.Orchestrator = "t-3", "fra", strings.ToUpper(orchB[:2])+strings.ToUpper(orchB[2:])
			for _, tt := range []struct {
				name   string
				body   []byte
				header func([]byte) http.Header
			}{
				{"stream-tester sample, Authorization only", streamTester, func(b []byte) http.Header {
					return http.Header{"Authorization": {web.Sign(testSecret, b)}}
				}},
				{"both headers", mustJSON(t, validStats()), func(b []byte) http.Header { return signed(b, testNow) }},
				{"signature 4 min old", mustJSON(t, withoutTimestampHeader), func(b []byte) http.Header { return signed(b, testNow.Add(-4*time.Minute)) }},
				{"region and address case", mustJSON(t, upper), func(b []byte) http.Header { return signed(b, testNow) }},
			} {
				t.Run(tt.name, func(t *testing.T) {
					status, body := ts.post(t, tt.body, tt.header(tt.body))
					if status != http.StatusOK || body["status"] != web.StatusStored {
						t.Fatalf("got %d %v", status, body)
					}
				})
			}
			if n := count(t, ts.store); n != 4 {
				t.Fatalf("stored %d records, want 4", n)
			}
			raw, err := ts.client.RawStats(context.Background(), podium.StatsQuery{Orchestrator: orchB, Since: 1, Until: testNow.Unix()})
			if err != nil {
				t.Fatal(err)
			}
			if len(raw["FRA"]) != 1 || raw["FRA"][0].Orchestrator != orchB {
				t.Fatalf("normalized record not found: %+v", raw)
			}
		})

		t.Run("OKDuplicate", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			ctx := context.Background()
			for i, want := range []string{web.StatusStored, web.StatusDuplicate, web.StatusDuplicate} {
				res, err := ts.client.PostStats(ctx, validStats())
				if err != nil {
					t.Fatal(err)
				}
				if res.Status != want || res.TestID != "t-1" {
					t.Fatalf("post %d: got %+v, want %s", i, res, want)
				}
			}
			// Without a test_id, a record is keyed by its content: the same
			// record twice is a duplicate, a different one is new.
			noID := validStats()
			noID.TestID = ""
			for i, want := range []string{web.StatusStored, web.StatusDuplicate} {
				if res, err := ts.client.PostStats(ctx, noID); err != nil || res.Status != want {
					t.Fatalf("post %d without test_id: got %+v, %v; want %s", i, res, err, want)
				}
			}
			noID.RoundTripTime += 0.001
			if res, err := ts.client.PostStats(ctx, noID); err != nil || res.Status != web.StatusStored {
				t.Fatalf("changed record: got %+v, %v", res, err)
			}
			if n := count(t, ts.store); n != 3 {
				t.Fatalf("stored %d records, want 3", n)
			}
		})

		t.Run("OKConcurrent", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			const posters, each = 8, 40
			var wg sync.WaitGroup
			var mu sync.Mutex
			results := map[string]int{}
			for range posters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						s := validStats()
						s.TestID = fmt.Sprintf("c-%d", i) // every poster posts the same tests
						res, err := ts.client.PostStats(context.Background(), s)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						results[res.Status]++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if results[web.StatusStored] != each || results[web.StatusDuplicate] != (posters-1)*each {
				t.Fatalf("results %v", results)
			}
			if n := count(t, ts.store); n != each {
				t.Fatalf("stored %d, want %d", n, each)
			}
		})

		t.Run("ErrRefused", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			good := mustJSON(t, validStats())
			withField := func(f func(*podium.Stats)) []byte {
				s := validStats()
				f(&s)
				return mustJSON(t, s)
			}
			raw := func(s string) []byte { return []byte(s) }
			authOnly := func(b []byte) http.Header { return http.Header{"Authorization": {web.Sign(testSecret, b)}} }
			both := func(b []byte) http.Header { return signed(b, testNow) }
			for _, tt := range []struct {
				name   string
				body   []byte
				header func([]byte) http.Header
				status int
				field  string
				text   string
			}{
				{"no Authorization", good, func([]byte) http.Header { return nil }, 403, "", "authenticated"},
				{"wrong secret", good, func(b []byte) http.Header {
					return http.Header{"Authorization": {web.Sign([]byte("other"), b)}}
				}, 403, "", "authenticated"},
				{"upper-case hex", good, func(b []byte) http.Header {
					return http.Header{"Authorization": {strings.ToUpper(web.Sign(testSecret, b))}}
				}, 403, "", "authenticated"},
				{"signature of another body", good, func(b []byte) http.Header {
					return http.Header{"Authorization": {web.Sign(testSecret, append(b, ' '))}}
				}, 403, "", "authenticated"},
				{"timestamp header malformed", good, func(b []byte) http.Header {
					h := authOnly(b)
					h.Set(web.SignatureHeader, "t=abc,v1=00")
					return h
				}, 403, web.SignatureHeader, "malformed"},
				{"timestamp header wrong mac", good, func(b []byte) http.Header {
					h := authOnly(b)
					h.Set(web.SignatureHeader, web.SignTimestamped([]byte("other"), b, testNow, "n1"))
					return h
				}, 403, web.SignatureHeader, "does not match"},
				{"timestamp header stale", good, func(b []byte) http.Header { return signed(b, testNow.Add(-6*time.Minute)) }, 403, web.SignatureHeader, "stale"},
				{"timestamp header future", good, func(b []byte) http.Header { return signed(b, testNow.Add(6*time.Minute)) }, 403, web.SignatureHeader, "stale"},
				{"oversized", append(good, make([]byte, web.DefaultMaxBodyBytes)...), authOnly, 413, "", "larger"},
				{"empty body", raw(""), authOnly, 400, "", "empty"},
				{"malformed JSON", raw(`{"region":`), authOnly, 400, "", "malformed"},
				{"not an object", raw(`[]`), authOnly, 400, "", "object"},
				{"two records", append(append([]byte{}, good...), good...), authOnly, 400, "", "after the record"},
				{"timestamp as string", raw(`{"region":"FRA","timestamp":"1723741940"}`), authOnly, 400, "timestamp", "integer"},
				{"success_rate as string", raw(`{"success_rate":"1"}`), authOnly, 400, "success_rate", "number"},
				{"errors as object", raw(`{"errors":{}}`), authOnly, 400, "errors", "array"},
				{"region missing", withField(func(s *podium.Stats) { s.Region = "" }), authOnly, 400, "region", "required"},
				{"region unknown", withField(func(s *podium.Stats) { s.Region = "XYZ" }), authOnly, 400, "region", "unknown region"},
				{"AI test in a transcoding-only region", withField(func(s *podium.Stats) {
					s.Region, s.Pipeline, s.Model = "SIN", "text-to-image", "ByteDance/SDXL-Lightning"
				}), authOnly, 400, "region", "not ai tests"},
				{"orchestrator not an address", withField(func(s *podium.Stats) { s.Orchestrator = "0x123" }), authOnly, 400, "orchestrator", "address"},
				{"timestamp zero", withField(func(s *podium.Stats) { s.Timestamp = 0 }), authOnly, 400, "timestamp", "positive"},
				{"timestamp in the future", withField(func(s *podium.Stats) { s.Timestamp = testNow.Unix() + 301 }), authOnly, 400, "timestamp", "future"},
				{"segments_sent negative", withField(func(s *podium.Stats) { s.SegmentsSent = -1 }), authOnly, 400, "segments_sent", ""},
				{"segments_received negative", withField(func(s *podium.Stats) { s.SegmentsReceived = -1 }), authOnly, 400, "segments_received", ""},
				{"success_rate above 1", withField(func(s *podium.Stats) { s.SuccessRate = 1.01 }), authOnly, 400, "success_rate", ""},
				{"success_rate negative", withField(func(s *podium.Stats) { s.SuccessRate = -0.1 }), authOnly, 400, "success_rate", ""},
				{"seg_duration negative", withField(func(s *podium.Stats) { s.SegDuration = -2 }), authOnly, 400, "seg_duration", ""},
				{"upload_time too long", withField(func(s *podium.Stats) { s.UploadTime = 4000 }), authOnly, 400, "upload_time", ""},
				{"download_time negative", withField(func(s *podium.Stats) { s.DownloadTime = -1 }), authOnly, 400, "download_time", ""},
				{"transcode_time negative", withField(func(s *podium.Stats) { s.TranscodeTime = -1 }), authOnly, 400, "transcode_time", ""},
				{"round_trip_time negative", withField(func(s *podium.Stats) { s.RoundTripTime = -1 }), authOnly, 400, "round_trip_time", ""},
				{"verified_renditions negative", withField(func(s *podium.Stats) { s.VerifiedRenditions = -1 }), authOnly, 400, "verified_renditions", ""},
				{"verification_failures negative", withField(func(s *podium.Stats) { s.VerificationFailures = -1 }), authOnly, 400, "verification_failures", ""},
				{"error without code", withField(func(s *podium.Stats) { s.Errors = []podium.StatsError{{Count: 1}} }), authOnly, 400, "errors", "error_code"},
				{"test_id with spaces", withField(func(s *podium.Stats) { s.TestID = "a b" }), authOnly, 400, "test_id", ""},
				{"too large number", raw(`{"region":"FRA","seg_duration":1e999}`), authOnly, 400, "seg_duration", "range"},
				{"timestamp as fraction", raw(`{"region":"FRA","timestamp":1723741940.5}`), authOnly, 400, "timestamp", "integer"},
				{"auth checked before decoding", raw(`not json`), func([]byte) http.Header { return nil }, 403, "", "authenticated"},
				{"cost tickets negative", withField(func(s *podium.Stats) { s.Cost = &podium.StatsCost{Tickets: -1, FaceValue: "1", ExpectedValue: "0"} }), authOnly, 400, "cost.tickets", "between 0 and"},
				{"cost tickets absurd", withField(func(s *podium.Stats) {
					s.Cost = &podium.StatsCost{Tickets: 1 << 40, FaceValue: "1", ExpectedValue: "0"}
				}), authOnly, 400, "cost.tickets", "between 0 and"},
				{"cost face value negative", withField(func(s *podium.Stats) { s.Cost = &podium.StatsCost{Tickets: 1, FaceValue: "-5", ExpectedValue: "0"} }), authOnly, 400, "cost.face_value_wei", "whole number of wei"},
				{"cost face value absurd", withField(func(s *podium.Stats) {
					s.Cost = &podium.StatsCost{Tickets: 1, FaceValue: strings.Repeat("9", 1000), ExpectedValue: "0"}
				}), authOnly, 400, "cost.face_value_wei", "at most 78"},
				{"cost expected value negative", withField(func(s *podium.Stats) { s.Cost = &podium.StatsCost{Tickets: 1, FaceValue: "5", ExpectedValue: "-1/2"} }), authOnly, 400, "cost.expected_value_wei", "exact amount of wei"},
				{"cost expected value a float", withField(func(s *podium.Stats) { s.Cost = &podium.StatsCost{Tickets: 1, FaceValue: "5", ExpectedValue: "0.5"} }), authOnly, 400, "cost.expected_value_wei", "exact amount of wei"},
				{"cost expected value over face value", withField(func(s *podium.Stats) { s.Cost = &podium.StatsCost{Tickets: 1, FaceValue: "5", ExpectedValue: "6"} }), authOnly, 400, "cost.expected_value_wei", "exceeds the face value"},
				{"cost face value as number", raw(`{"region":"FRA","cost":{"tickets":1,"face_value_wei":1e18}}`), authOnly, 400, "cost.face_value_wei", "a string"},
				{"cost as number", raw(`{"region":"FRA","cost":5}`), authOnly, 400, "cost", "an object"},
				{"signed both, invalid field", withField(func(s *podium.Stats) { s.Region = "XYZ" }), both, 400, "region", "unknown"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					status, body := ts.post(t, tt.body, tt.header(tt.body))
					if status != tt.status {
						t.Fatalf("status %d, want %d: %v", status, tt.status, body)
					}
					msg, _ := body["error"].(string)
					if !strings.Contains(msg, tt.text) {
						t.Errorf("error %q does not say %q", msg, tt.text)
					}
					if got, _ := body["field"].(string); got != tt.field {
						t.Errorf("field %q, want %q (%v)", got, tt.field, body)
					}
				})
			}
			if n := count(t, ts.store); n != 0 {
				t.Fatalf("refused posts stored %d records", n)
			}
		})

		t.Run("ErrReplayed", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			body := mustJSON(t, validStats())
			h := signed(body, testNow.Add(-time.Minute))
			if status, res := ts.post(t, body, h); status != 200 {
				t.Fatalf("first post: %d %v", status, res)
			}
			status, res := ts.post(t, body, h)
			if status != 403 || !strings.Contains(res["error"].(string), "replayed") {
				t.Fatalf("replay: %d %v", status, res)
			}
			// A fresh signature of the same record is a retry, not a replay.
			if status, res := ts.post(t, body, signed(body, testNow)); status != 200 || res["status"] != web.StatusDuplicate {
				t.Fatalf("retry: %d %v", status, res)
			}
		})

		t.Run("ErrStoreDown", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{})
			ts.store.Close()
			status, body := ts.post(t, mustJSON(t, validStats()), signed(mustJSON(t, validStats()), testNow))
			if status != http.StatusServiceUnavailable || body["hint"] == nil {
				t.Fatalf("got %d %v", status, body)
			}
			if status, body := ts.get(t, "/healthz"); status != http.StatusServiceUnavailable {
				t.Fatalf("healthz: %d %v", status, body)
			}
		})

		t.Run("ErrTimestampRequired", func(t *testing.T) {
			ts := newTestServer(t, open, web.Config{RequireTimestamp: true})
			body := mustJSON(t, validStats())
			status, res := ts.post(t, body, http.Header{"Authorization": {web.Sign(testSecret, body)}})
			if status != 403 || res["field"] != web.SignatureHeader {
				t.Fatalf("got %d %v", status, res)
			}
			if status, res := ts.post(t, body, signed(body, testNow)); status != 200 {
				t.Fatalf("signed: %d %v", status, res)
			}
		})
	})
}

func TestNewServer_ErrNoSecret(t *testing.T) {
	_, err := web.NewServer(openSQLite(t), web.Config{})
	if podium.ErrorCode(err) != podium.EINVALID || podium.ErrorHint(err) == "" {
		t.Fatalf("got %v", err)
	}
}
