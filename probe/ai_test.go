package probe_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

func aiTester(timeout time.Duration, byURL bool) *probe.AITester {
	return &probe.AITester{Client: lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(901))), Region: "FRA",
		Timeout: timeout, ByURL: byURL, Rand: rand.New(rand.NewPCG(22, 1))}
}

// startAINode serves a reference orchestrator with an AI worker in an AI
// fault mode until the test ends.
func startAINode(t *testing.T, fault string) podium.Orchestrator {
	t.Helper()
	f, err := node.ParseAIFault(fault)
	if err != nil {
		t.Fatal(err)
	}
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(77))
	uri := startNode(t, &node.Orchestrator{Signer: signer, AI: &node.AIWorker{Fault: f, Seed: 3, FFmpeg: &node.FFmpeg{Threads: 1}}})
	return podium.Orchestrator{Address: strings.ToLower(signer.Address().Hex()), ServiceURI: uri}
}

// byPipeline indexes a test's records.
func byPipeline(t *testing.T, stats []probe.AIStats) map[string]probe.AIStats {
	t.Helper()
	m := map[string]probe.AIStats{}
	for _, s := range stats {
		m[s.Pipeline] = s
	}
	return m
}

func errCode(s probe.AIStats) string {
	if len(s.Errors) == 0 {
		return ""
	}
	return s.Errors[0].ErrorCode
}

// TestAITester_NodeFaults tests the reference node's four pipelines in
// each AI fault mode: the honest node passes them all, inline and by URL;
// every fault fails with its own code where a check can see it (a blank
// or unrelated video is not seen: videos are checked for size and frames
// only, and a text-to-image or image-to-image picture can be any
// picture).
func TestAITester_NodeFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault             string
		upscale, t2i, i2v string // error code of each pipeline, "" for a pass
		i2i               string
		status            int
		timeout           time.Duration
		bothTransports    bool
	}{
		{"none", "", "", "", "", 0, 0, true},
		{"unscaled", probe.CodeAIWrongSize, "", "", "", 0, 0, false},
		{"unrelated", probe.CodeAIMismatch, "", "", "", 0, 0, false},
		{"blank", probe.CodeAIBlank, probe.CodeAIBlank, "", probe.CodeAIBlank, 0, 0, false},
		{"wrong-size", probe.CodeAIWrongSize, probe.CodeAIWrongSize, probe.CodeAIWrongSize, probe.CodeAIWrongSize, 0, 0, false},
		{"error", probe.CodeAIJobFailed, probe.CodeAIJobFailed, probe.CodeAIJobFailed, probe.CodeAIJobFailed, 500, 0, false},
		{"slow=3s", probe.CodeTimeout, probe.CodeTimeout, probe.CodeTimeout, probe.CodeTimeout, 0, time.Second, false},
	} {
		name := "Err" + tc.fault
		if tc.upscale == "" && tc.t2i == "" && tc.i2v == "" && tc.i2i == "" {
			name = "OK"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := startAINode(t, tc.fault)
			for _, byURL := range []bool{false, true} {
				if byURL && !tc.bothTransports {
					continue
				}
				timeout := tc.timeout
				if timeout == 0 {
					timeout = 30 * time.Second
				}
				stats, err := aiTester(timeout, byURL).Test(context.Background(), o)
				if err != nil {
					t.Fatal(err)
				}
				m := byPipeline(t, stats)
				if len(stats) != 4 {
					t.Fatalf("%d records, want upscale, text-to-image, image-to-image and image-to-video: %+v", len(stats), stats)
				}
				for p, want := range map[string]string{lpnet.PipelineUpscale: tc.upscale, lpnet.PipelineTextToImage: tc.t2i,
					lpnet.PipelineImageToImage: tc.i2i, lpnet.PipelineImageToVideo: tc.i2v} {
					s := m[p]
					t.Logf("%s byURL %v: %.3fs %v", p, byURL, s.RoundTripTime, s.Errors)
					if got := errCode(s); got != want {
						t.Errorf("byURL %v: %s: code %q (%v), want %q", byURL, p, got, s.Errors, want)
					}
					if want == "" && (s.SuccessRate != 1 || s.RoundTripTime <= 0 || !s.ModelIsWarm) {
						t.Errorf("%s: %+v, want a warm success with a round trip", p, s)
					}
					if want != "" && s.SuccessRate != 0 {
						t.Errorf("%s: success %v for a fault", p, s.SuccessRate)
					}
					if s.HTTPStatus != tc.status {
						t.Errorf("%s: status %d, want %d", p, s.HTTPStatus, tc.status)
					}
					if s.Orchestrator != o.Address || s.Region != "FRA" || s.InputParameters == "" || s.Model == "" {
						t.Errorf("%s: record %+v", p, s)
					}
					if len(s.ResponsePayload) > probe.MaxResponsePayload {
						t.Errorf("%s: response payload of %d bytes", p, len(s.ResponsePayload))
					}
				}
			}
		})
	}
}

func TestAITester_Cold(t *testing.T) {
	t.Parallel()
	// The load delay is well over what a warm request takes on a busy
	// machine, so that the two cannot be confused.
	o := startAINode(t, "cold=2s")
	for i, wantWarm := range []bool{false, true} {
		stats, err := aiTester(30*time.Second, false).Test(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		s := byPipeline(t, stats)[lpnet.PipelineUpscale]
		if s.SuccessRate != 1 || s.ModelIsWarm != wantWarm {
			t.Errorf("test %d: success %v warm %v, want success, warm %v", i, s.SuccessRate, s.ModelIsWarm, wantWarm)
		}
		if cold := s.RoundTripTime >= 2; cold == wantWarm {
			t.Errorf("test %d: round trip %.3fs with warm %v", i, s.RoundTripTime, wantWarm)
		}
	}
}

func TestAITester_Err(t *testing.T) {
	t.Parallel()
	t.Run("ErrUnreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		_, err = aiTester(5*time.Second, false).Test(context.Background(), podium.Orchestrator{Address: "0x00000000000000000000000000000000000000a1", ServiceURI: "https://" + addr})
		if probe.Classify(err) != probe.CodeUnreachable {
			t.Errorf("err %v (%s), want Unreachable", err, probe.Classify(err))
		}
	})
	t.Run("ErrIdentityMismatch", func(t *testing.T) {
		o := startAINode(t, "")
		o.Address = "0x00000000000000000000000000000000000000a1"
		_, err := aiTester(5*time.Second, false).Test(context.Background(), o)
		if probe.Classify(err) != probe.CodeIdentityMismatch {
			t.Errorf("err %v, want IdentityMismatch", err)
		}
	})
}

// cheatAI is an orchestrator's AI worker that answers every upscale with
// what cheat makes of the input, without running a model.
type cheatAI struct {
	cheat func(in image.Image) []lpnet.AIOutput
}

func (c *cheatAI) AIModels() []lpnet.AIModel {
	return []lpnet.AIModel{{Pipeline: lpnet.PipelineUpscale, Model: node.UpscaleModel, Warm: true}}
}

func (c *cheatAI) ReserveAI(string, string) (func(), error) { return func() {}, nil }

func (c *cheatAI) ProcessAI(_ context.Context, req *lpnet.AIRequest) (*lpnet.AIResult, error) {
	in, err := png.Decode(bytes.NewReader(req.File))
	if err != nil {
		return nil, err
	}
	return &lpnet.AIResult{Media: c.cheat(in)}, nil
}

// scaled returns in scaled by f with nearest neighbours, flipped left to
// right when mirror.
func scaled(in image.Image, f int, mirror bool) image.Image {
	b := in.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*f, b.Dy()*f))
	for y := 0; y < b.Dy()*f; y++ {
		for x := 0; x < b.Dx()*f; x++ {
			sx := x / f
			if mirror {
				sx = b.Dx() - 1 - sx
			}
			out.Set(x, y, in.At(b.Min.X+sx, b.Min.Y+y/f))
		}
	}
	return out
}

func pngOut(t *testing.T, img image.Image) lpnet.AIOutput {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return lpnet.AIOutput{Type: "image/png", Data: b.Bytes()}
}

// TestAITester_Cheats tests orchestrators that answer an upscale with
// something cheaper than the work: only a true ×4 of the input passes.
func TestAITester_Cheats(t *testing.T) {
	t.Parallel()
	var last image.Image
	for _, tc := range []struct {
		name  string
		cheat func(t *testing.T, in image.Image) []lpnet.AIOutput
		code  string
	}{
		{"OKNearestNeighbour", func(t *testing.T, in image.Image) []lpnet.AIOutput {
			return []lpnet.AIOutput{pngOut(t, scaled(in, 4, false))}
		}, ""},
		{"ErrMirrored", func(t *testing.T, in image.Image) []lpnet.AIOutput {
			return []lpnet.AIOutput{pngOut(t, scaled(in, 4, true))}
		}, probe.CodeAIMismatch},
		{"ErrCachedAnswer", func(t *testing.T, in image.Image) []lpnet.AIOutput {
			// The answer to the previous request, another input.
			prev := last
			last = in
			if prev == nil {
				prev = in
			}
			return []lpnet.AIOutput{pngOut(t, scaled(prev, 4, false))}
		}, probe.CodeAIMismatch},
		{"ErrTwoImages", func(t *testing.T, in image.Image) []lpnet.AIOutput {
			o := pngOut(t, scaled(in, 4, false))
			return []lpnet.AIOutput{o, o}
		}, probe.CodeAIBadOutput},
		{"ErrNotAnImage", func(*testing.T, image.Image) []lpnet.AIOutput {
			return []lpnet.AIOutput{{Type: "image/png", Data: []byte("\x89PNG not really")}}
		}, probe.CodeAIBadOutput},
		{"ErrNone", func(*testing.T, image.Image) []lpnet.AIOutput { return nil }, probe.CodeAIBadOutput},
		{"ErrPictureBomb", func(*testing.T, image.Image) []lpnet.AIOutput {
			return []lpnet.AIOutput{{Type: "image/png", Data: pngHeader(60000, 60000)}}
		}, probe.CodeAIWrongSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer := lpnet.NewSigner(lpnet.KeyFromSeed(78))
			uri := startServer(t, &lpnet.Server{Signer: signer, Backend: &node.Orchestrator{},
				AI: &cheatAI{cheat: func(in image.Image) []lpnet.AIOutput { return tc.cheat(t, in) }}})
			o := podium.Orchestrator{Address: strings.ToLower(signer.Address().Hex()), ServiceURI: uri}
			tester := aiTester(10*time.Second, false)
			for i := range 2 {
				stats, err := tester.Test(context.Background(), o)
				if err != nil {
					t.Fatal(err)
				}
				if len(stats) != 1 {
					t.Fatalf("%d records", len(stats))
				}
				if tc.name == "ErrCachedAnswer" && i == 0 {
					continue // the first answer is honest
				}
				if got := errCode(stats[0]); got != tc.code {
					t.Errorf("code %q (%v), want %q", got, stats[0].Errors, tc.code)
				}
			}
		})
	}
}

// startServer serves s on a fresh loopback port until the test ends.
func startServer(t *testing.T, s *lpnet.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "https://" + ln.Addr().String()
}

// fakeGateway is a go-livepeer gateway cut down to its AI routes: each
// request goes, with credentials and payment, to the one orchestrator its
// webhook lists, and the orchestrator's answer comes back; failures come
// back as ai-worker's HTTPError.
func fakeGateway(t *testing.T, webhook string) string {
	t.Helper()
	c := lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(902)))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"detail": map[string]string{"msg": msg}})
		}
		req, err := lpnet.DecodeAIRequest(strings.TrimPrefix(r.URL.Path, "/"), r, 1<<24)
		if err != nil {
			fail(400, err.Error())
			return
		}
		resp, err := http.Get(webhook)
		if err != nil {
			fail(500, err.Error())
			return
		}
		var list []struct{ Address string }
		err = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if err != nil || len(list) != 1 {
			fail(503, "no orchestrators available")
			return
		}
		info, err := c.GetOrchestrator(r.Context(), list[0].Address)
		if err != nil {
			fail(503, err.Error())
			return
		}
		res, err := c.AI(r.Context(), info, req, false)
		var le *lpnet.Error
		switch {
		case errors.As(err, &le) && le.Status != 0:
			fail(le.Status, le.Err.Error())
		case err != nil:
			fail(500, err.Error())
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(res.Body)
		}
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAITester_Gateway(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, fault, code string
	}{
		{"OK", "", ""},
		{"ErrUnscaled", "unscaled", probe.CodeAIWrongSize},
		{"ErrJob", "error", probe.CodeAIJobFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := startAINode(t, tc.fault)
			wh := probe.NewWebhook()
			whSrv := httptest.NewServer(wh)
			t.Cleanup(whSrv.Close)
			tester := aiTester(30*time.Second, false)
			tester.Gateway, tester.Webhook = fakeGateway(t, whSrv.URL), wh
			stats, err := tester.Test(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			s := byPipeline(t, stats)[lpnet.PipelineUpscale]
			if got := errCode(s); got != tc.code {
				t.Errorf("code %q (%v), want %q", got, s.Errors, tc.code)
			}
			if tc.code == "" && s.SuccessRate != 1 {
				t.Errorf("record %+v", s)
			}
		})
	}
}

// pngHeader is a PNG that claims a w×h RGBA picture and holds no pixels: a
// decoder that trusted it would allocate w×h×4 bytes.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	chunk("IHDR", append(ihdr, 8, 6, 0, 0, 0))
	chunk("IEND", nil)
	return b.Bytes()
}

// TestAITester_Gap checks the pause between the requests of one test,
// with math/rand's own source (no Rand).
func TestAITester_Gap(t *testing.T) {
	t.Parallel()
	o := startAINode(t, "")
	tester := aiTester(30*time.Second, false)
	tester.Rand, tester.Gap = nil, 400*time.Millisecond
	start := time.Now()
	stats, err := tester.Test(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 4 || time.Since(start) < 1200*time.Millisecond {
		t.Errorf("%d records in %v, want 4 with three gaps of 400ms", len(stats), time.Since(start))
	}
	for _, s := range stats {
		if s.SuccessRate != 1 {
			t.Errorf("%s: %v", s.Pipeline, s.Errors)
		}
	}
}

// TestAIStats_JSON checks that a record carries the anchor's AI fields
// (leaderboard-serverless models/stats.go) under their names.
func TestAIStats_JSON(t *testing.T) {
	b, err := json.Marshal(probe.AIStats{Pipeline: "upscale", Model: "m", ModelIsWarm: true, Errors: []podium.StatsError{}})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"region", "orchestrator", "timestamp", "success_rate", "round_trip_time", "errors",
		"pipeline", "model", "model_is_warm", "input_parameters", "response_payload"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
}
