package node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/podiumhq/podium/lpnet"
)

// webhook serves a discovery list that a test can change between requests.
type webhook struct {
	mu    sync.Mutex
	addrs []string
}

func (h *webhook) set(addrs ...string) {
	h.mu.Lock()
	h.addrs = addrs
	h.mu.Unlock()
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var list []map[string]string
	for _, a := range h.addrs {
		list = append(list, map[string]string{"address": a})
	}
	_ = json.NewEncoder(w).Encode(list)
}

// startBroadcaster serves a Broadcaster on loopback that discovers through
// a webhook the test controls.
func startBroadcaster(t *testing.T, maxSeg int) (string, *webhook) {
	t.Helper()
	base, hook, _ := startBroadcasterB(t, maxSeg, ladder(t, "P240p30fps16x9", "P144p30fps16x9"))
	return base, hook
}

func startBroadcasterB(t *testing.T, maxSeg int, profiles []*lpnet.VideoProfile) (string, *webhook, *Broadcaster) {
	t.Helper()
	hook := &webhook{}
	hs := httptest.NewServer(hook)
	t.Cleanup(hs.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &Broadcaster{
		Client:     newClient(),
		Webhook:    hs.URL,
		Profiles:   profiles,
		MaxSegSize: maxSeg,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), hook, b
}

func TestBroadcaster_Push(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	base, hook := startBroadcaster(t, 4<<20)
	good := startOrchestrator(t, &Orchestrator{})
	capped := startOrchestrator(t, &Orchestrator{Fault: Fault{Kind: FaultCapped}})
	broken := startOrchestrator(t, &Orchestrator{Fault: Fault{Kind: FaultError}})
	pusher := lpnet.NewPusher()
	seg := lpnet.Segment{ManifestID: "stream", Seq: 4, Data: segA, Duration: 2 * time.Second}

	t.Run("OKMultipart", func(t *testing.T) {
		hook.set(capped, good) // the capped one is skipped
		res, err := pusher.Push(timeout(t), base, seg)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			name string
			w, h int
		}{{"P240p30fps16x9", 426, 240}, {"P144p30fps16x9", 256, 144}}
		if len(res.Parts) != len(want) {
			t.Fatalf("%d parts, want %d", len(res.Parts), len(want))
		}
		if res.Upload <= 0 || res.Transcode <= 0 || res.Download <= 0 {
			t.Errorf("phase timings not measured: %v %v %v", res.Upload, res.Transcode, res.Download)
		}
		for i, p := range res.Parts {
			pr := probe(t, p.Data)
			if p.Name != want[i].name || p.ContentType != "video/mp2t" || pr.Width != want[i].w || pr.Height != want[i].h || pr.FPS != 30 {
				t.Errorf("part %d: %s %s %dx%d at %g fps, want %s %dx%d at 30", i, p.Name, p.ContentType, pr.Width, pr.Height, pr.FPS, want[i].name, want[i].w, want[i].h)
			}
			if pr.Duration < 1.9 || pr.Duration > 2.2 {
				t.Errorf("part %d: duration %.3f, want about 2 s", i, pr.Duration)
			}
		}
	})
	t.Run("OKPartHeaders", func(t *testing.T) {
		hook.set(good)
		req, _ := http.NewRequestWithContext(timeout(t), http.MethodPost, base+"/live/stream/7.ts", bytes.NewReader(segA))
		req.Header.Set("Accept", "multipart/mixed")
		req.Header.Set("Livepeer-Transcode-Configuration", `{"presets":["P144p30fps16x9"]}`)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, want := range []string{
			"Rendition-Name: P144p30fps16x9",
			`Content-Disposition: attachment; filename="P144p30fps16x9_7.ts"`,
			`Content-Type: video/mp2t; name="P144p30fps16x9_7.ts"`,
			"Content-Length: ",
		} {
			if !bytes.Contains(body, []byte(want)) {
				t.Errorf("answer lacks %q", want)
			}
		}
	})
	t.Run("OKWithoutMultipart", func(t *testing.T) {
		hook.set(good)
		resp, err := http.Post(base+"/live/stream/8.ts", "video/mp2t", bytes.NewReader(segA))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) != 0 {
			t.Fatalf("got %d with %d bytes, want 200 and no body", resp.StatusCode, len(body))
		}
	})

	for _, tt := range []struct {
		name    string
		orchs   []string
		method  string
		path    string
		body    []byte
		header  [2]string
		status  int
		message string
	}{
		{"ErrNoOrchestrator", []string{capped}, "PUT", "/live/s/1.ts", segA, [2]string{}, 503, "No sessions available"},
		{"ErrUnreachable", []string{"https://127.0.0.1:1"}, "PUT", "/live/s/1.ts", segA, [2]string{}, 503, "No sessions available"},
		{"ErrEmptyWebhook", nil, "PUT", "/live/s/1.ts", segA, [2]string{}, 503, "No sessions available"},
		{"ErrTranscode", []string{broken}, "PUT", "/live/s/1.ts", segA, [2]string{}, 500, "http push error processing segment"},
		{"ErrMethod", []string{good}, "GET", "/live/s/1.ts", nil, [2]string{}, 405, "http push request wrong method=GET"},
		{"ErrExtension", []string{good}, "PUT", "/live/s/1.m3u8", segA, [2]string{}, 400, "ignoring file extension: .m3u8"},
		{"ErrNoManifest", []string{good}, "PUT", "/live/1.ts", segA, [2]string{}, 400, "Bad URL"},
		{"ErrGarbageTS", []string{good}, "PUT", "/live/s/1.ts", bytes.Repeat([]byte{0x47, 1, 2, 3}, 1000), [2]string{}, 422, "Error getting codec info"},
		{"ErrOversized", []string{good}, "PUT", "/live/s/1.ts", make([]byte, 4<<20+1), [2]string{}, 500, "input bigger than max buffer size"},
		{"ErrUnknownProfile", []string{good}, "PUT", "/live/s/1.ts", segA, [2]string{"Livepeer-Transcode-Configuration", `{"presets":["P999p"]}`}, 400, `unknown profile "P999p"`},
		{"ErrBadConfig", []string{good}, "PUT", "/live/s/1.ts", segA, [2]string{"Livepeer-Transcode-Configuration", `{"presets":`}, 400, "failed to parse transcode config header"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hook.set(tt.orchs...)
			req, _ := http.NewRequestWithContext(timeout(t), tt.method, base+tt.path, bytes.NewReader(tt.body))
			req.Header.Set("Accept", "multipart/mixed")
			if tt.header[0] != "" {
				req.Header.Set(tt.header[0], tt.header[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.message) {
				t.Fatalf("got %d %q, want %d containing %q", resp.StatusCode, body, tt.status, tt.message)
			}
		})
	}
	t.Run("ErrPusherSeesStatus", func(t *testing.T) {
		hook.set(capped)
		_, err := pusher.Push(timeout(t), base, seg)
		var le *lpnet.Error
		if !errors.As(err, &le) || le.Status != 503 || le.Code != lpnet.CodeDiscovery {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestBroadcaster_Session checks that a stream keeps one session on its
// orchestrator, as go-livepeer's broadcaster does: a capacity of one stream
// takes all its segments and refuses a second stream.
func TestBroadcaster_Session(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	base, hook, b := startBroadcasterB(t, 4<<20, ladder(t, "P144p30fps16x9"))
	hook.set(startOrchestrator(t, &Orchestrator{Capacity: 1}))
	pusher := lpnet.NewPusher()
	push := func(manifest string, seq int64) error {
		_, err := pusher.Push(timeout(t), base, lpnet.Segment{ManifestID: manifest, Seq: seq, Data: segA, Duration: 2 * time.Second})
		return err
	}
	t.Run("OKSameStream", func(t *testing.T) {
		for seq := int64(0); seq < 3; seq++ {
			if err := push("first", seq); err != nil {
				t.Fatalf("segment %d: %v", seq, err)
			}
		}
	})
	t.Run("ErrSecondStreamCapped", func(t *testing.T) {
		var le *lpnet.Error
		if err := push("second", 0); !errors.As(err, &le) || le.Status != 503 {
			t.Fatalf("err = %v, want 503 (orchestrator at capacity)", err)
		}
	})
	t.Run("OKFreshSessionWhenRefused", func(t *testing.T) {
		hook.set(startOrchestrator(t, &Orchestrator{}))
		if err := push("third", 0); err != nil {
			t.Fatal(err)
		}
		s, ok := b.session("third")
		if !ok {
			t.Fatal("no session kept for the stream")
		}
		bad := proto.Clone(s.info).(*lpnet.OrchestratorInfo)
		bad.AuthToken.Token = []byte("forged")
		b.remember("third", session{addr: s.addr, info: bad})
		if err := push("third", 1); err != nil {
			t.Fatalf("refused session not replaced: %v", err)
		}
		if now, _ := b.session("third"); now.info.GetAuthToken().GetSessionId() == s.info.GetAuthToken().GetSessionId() {
			t.Fatal("still on the refused session")
		}
	})
}
