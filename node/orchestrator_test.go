package node

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// startOrchestrator serves o on loopback for the test's lifetime.
func startOrchestrator(t *testing.T, o *Orchestrator) string {
	t.Helper()
	ln, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	if o.Signer == nil {
		o.Signer = lpnet.NewSigner(lpnet.KeyFromSeed(42))
	}
	o.ServiceURI = "https://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return o.ServiceURI
}

func netListen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func timeout(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newClient() *lpnet.Client { return lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(1))) }

func ladder(t *testing.T, names ...string) []*lpnet.VideoProfile {
	t.Helper()
	ps, err := lpnet.LookupProfiles(names)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// transcode runs one segment through GetOrchestrator and /segment.
func transcode(t *testing.T, uri string, seq int64, data []byte, profiles []*lpnet.VideoProfile) (*lpnet.Result, error) {
	t.Helper()
	c := newClient()
	info, err := c.GetOrchestrator(timeout(t), uri)
	if err != nil {
		return nil, err
	}
	return c.Transcode(timeout(t), info, lpnet.Segment{ManifestID: "test", Seq: seq, Data: data, Duration: 2 * time.Second, Profiles: profiles})
}

func TestOrchestrator_Transcode(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	uri := startOrchestrator(t, &Orchestrator{Price: &lpnet.PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1}})
	profiles := ladder(t, lpnet.DefaultLadder...)
	res, err := transcode(t, uri, 0, segHD, profiles)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Renditions) != 3 {
		t.Fatalf("%d renditions, want 3", len(res.Renditions))
	}
	src := probe(t, segHD)
	want := []struct{ w, h int }{{1280, 720}, {640, 360}, {426, 240}}
	for i, r := range res.Renditions {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Profile.Name, r.Err)
		}
		p := probe(t, r.Data)
		if p.Width != want[i].w || p.Height != want[i].h || p.FPS != 30 || !p.Audio {
			t.Errorf("%s: %dx%d at %g fps (audio %v), want %dx%d at 30 fps with audio", r.Profile.Name, p.Width, p.Height, p.FPS, p.Audio, want[i].w, want[i].h)
		}
		if p.Duration < 1.9 || p.Duration > 2.2 {
			t.Errorf("%s: duration %.3f s, want about 2 s", r.Profile.Name, p.Duration)
		}
		if d := p.Start - src.Start; d < -0.04 || d > 0.04 {
			t.Errorf("%s: starts at %.3f s, its source at %.3f s; timestamps not kept", r.Profile.Name, p.Start, src.Start)
		}
		if r.Pixels != int64(want[i].w*want[i].h*60) {
			t.Errorf("%s: pixels %d, want %d (60 frames)", r.Profile.Name, r.Pixels, want[i].w*want[i].h*60)
		}
	}
	if !res.SignedBy(lpnet.NewSigner(lpnet.KeyFromSeed(42)).Address()) {
		t.Error("the orchestrator's signature over its renditions does not verify")
	}
	if res.Info.GetPriceInfo().GetPricePerUnit() != 1200 {
		t.Errorf("price not reported: %v", res.Info.GetPriceInfo())
	}
}

func TestOrchestrator_TranscodeAspect(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	// A portrait profile on a landscape input keeps the profile's larger
	// dimension on the input's larger side.
	uri := startOrchestrator(t, &Orchestrator{})
	res, err := transcode(t, uri, 0, segA, []*lpnet.VideoProfile{{Name: "portrait", Width: 144, Height: 256, Bitrate: 400000, Fps: 15}})
	if err != nil {
		t.Fatal(err)
	}
	p := probe(t, res.Renditions[0].Data)
	if p.Width != 256 || p.Height != 144 || p.FPS != 15 {
		t.Fatalf("got %dx%d at %g fps, want 256x144 at 15", p.Width, p.Height, p.FPS)
	}
}

func TestOrchestrator_Capacity(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	o := &Orchestrator{Capacity: 1, Now: clock, SessionIdle: time.Minute}
	uri := startOrchestrator(t, o)
	c := newClient()
	info, err := c.GetOrchestrator(timeout(t), uri)
	if err != nil {
		t.Fatal(err)
	}
	seg := lpnet.Segment{ManifestID: "m", Data: segA, Duration: 2 * time.Second, Profiles: ladder(t, "P144p30fps16x9")}
	if _, err := c.Transcode(timeout(t), info, seg); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrCappedGetOrchestrator", func(t *testing.T) {
		_, err := c.GetOrchestrator(timeout(t), uri)
		if lpnet.ErrorCode(err) != lpnet.CodeCapped || !strings.Contains(err.Error(), "OrchestratorCapped") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("OKSameSession", func(t *testing.T) {
		seg.Seq = 1
		if _, err := c.Transcode(timeout(t), info, seg); err != nil {
			t.Fatalf("the session holding the slot was refused: %v", err)
		}
	})
	t.Run("OKAfterIdle", func(t *testing.T) {
		now = now.Add(2 * time.Minute)
		if _, err := c.GetOrchestrator(timeout(t), uri); err != nil {
			t.Fatalf("slot not freed after the session went idle: %v", err)
		}
	})
}

func TestOrchestrator_BadInput(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	uri := startOrchestrator(t, &Orchestrator{})
	t.Run("ErrGarbageTS", func(t *testing.T) {
		_, err := transcode(t, uri, 0, bytes.Repeat([]byte("not a transport stream "), 500), ladder(t, "P144p30fps16x9"))
		if lpnet.ErrorCode(err) != lpnet.CodeTranscode {
			t.Fatalf("err = %v (code %q), want a Transcode error", err, lpnet.ErrorCode(err))
		}
	})
	t.Run("ErrBadResolution", func(t *testing.T) {
		_, err := transcode(t, uri, 0, segA, []*lpnet.VideoProfile{{Name: "zero"}})
		if lpnet.ErrorCode(err) != lpnet.CodeTranscode || !strings.Contains(err.Error(), "resolution 0x0") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrCodec", func(t *testing.T) {
		// The node does not offer VP9 encoding, so, as go-livepeer's, it
		// refuses the segment on its capabilities before transcoding.
		_, err := transcode(t, uri, 0, segA, []*lpnet.VideoProfile{{Name: "vp9", Width: 256, Height: 144, Encoder: lpnet.VideoProfile_VP9}})
		if !strings.Contains(err.Error(), "403: incompatible capabilities") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("OKStillServes", func(t *testing.T) {
		if _, err := transcode(t, uri, 1, segA, ladder(t, "P144p30fps16x9")); err != nil {
			t.Fatalf("node broken after bad input: %v", err)
		}
	})
}

func TestStore_Expiry(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	now := time.Unix(0, 0)
	o := &Orchestrator{RenditionTTL: time.Minute, Now: func() time.Time { return now }}
	uri := startOrchestrator(t, o)
	res, err := transcode(t, uri, 0, segA, ladder(t, "P144p30fps16x9"))
	if err != nil {
		t.Fatal(err)
	}
	c := newClient()
	req, _ := http.NewRequestWithContext(timeout(t), http.MethodPost, res.Renditions[0].URL, nil)
	if resp, err := c.HTTP.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST to a rendition: %v %v, want 405", resp, err)
	}
	if _, err := c.Download(timeout(t), uri+"/stream/nope/P144p30fps16x9/0.ts"); !strings.Contains(fmt.Sprint(err), "404") {
		t.Fatalf("unknown rendition: err = %v, want 404", err)
	}
	now = now.Add(2 * time.Minute)
	_, err = c.Download(timeout(t), res.Renditions[0].URL)
	if lpnet.ErrorCode(err) != lpnet.CodeDownload || !strings.Contains(err.Error(), "404") {
		t.Fatalf("expired rendition: err = %v, want a 404 Download error", err)
	}
}
