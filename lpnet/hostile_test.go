package lpnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
)

// TestClient_MaliciousOrchestrator: an orchestrator answering with huge,
// endless, trickling or absurd answers gets a recorded failure, in bounded
// time and memory, and leaves no goroutine behind.
func TestClient_MaliciousOrchestrator(t *testing.T) {
	ladder, _ := LookupProfiles(DefaultLadder)
	seg := Segment{ManifestID: "m", Seq: 1, Data: []byte("segment"), Duration: 2 * time.Second, Profiles: ladder}
	stop := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 32<<10)
		for {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := w.Write([]byte{0}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(20 * time.Millisecond):
			case <-r.Context().Done():
				return
			case <-stop:
				return
			}
		}
	})
	mux.HandleFunc("/silent/segment", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	mux.HandleFunc("/huge/segment", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte{0x0a}, 2<<20))
	})
	var base string
	mux.HandleFunc("/many/segment", func(w http.ResponseWriter, r *http.Request) {
		var segs []*TranscodedSegmentData
		for i := range 5000 {
			segs = append(segs, &TranscodedSegmentData{Url: fmt.Sprintf("%s/endless?%d", base, i)})
		}
		b, _ := proto.Marshal(&TranscodeResult{Seq: 1, Result: &TranscodeResult_Data{Data: &TranscodeData{Segments: segs}}})
		w.Write(b)
	})
	mux.HandleFunc("/garbage/segment", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\xff\xff\xff\xff not a protobuf"))
	})
	srv := httptest.NewServer(mux)
	base = srv.URL
	defer srv.Close()
	defer close(stop)
	baseline := runtime.NumGoroutine()

	c := NewClient(NewSigner(KeyFromSeed(1)))
	c.MaxRenditionSize = 1 << 20
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context) error
		code string
	}{
		{"ErrEndlessRendition", func(ctx context.Context) error { _, err := c.Download(ctx, srv.URL+"/endless"); return err }, CodeDownload},
		{"ErrTricklingRendition", func(ctx context.Context) error { _, err := c.Download(ctx, srv.URL+"/trickle"); return err }, CodeTimeout},
		{"ErrSilentOrchestrator", func(ctx context.Context) error {
			_, err := c.Transcode(ctx, &OrchestratorInfo{Transcoder: srv.URL + "/silent"}, seg)
			return err
		}, CodeTimeout},
		{"ErrHugeTranscodeResult", func(ctx context.Context) error {
			_, err := c.Transcode(ctx, &OrchestratorInfo{Transcoder: srv.URL + "/huge"}, seg)
			return err
		}, CodeTranscode},
		{"ErrTooManyRenditions", func(ctx context.Context) error {
			_, err := c.Transcode(ctx, &OrchestratorInfo{Transcoder: srv.URL + "/many"}, seg)
			return err
		}, CodeTranscode},
		{"ErrGarbageTranscodeResult", func(ctx context.Context) error {
			_, err := c.Transcode(ctx, &OrchestratorInfo{Transcoder: srv.URL + "/garbage"}, seg)
			return err
		}, CodeTranscode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := tc.run(ctx)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s; the client must give up at its deadline", d)
			}
			if err == nil || ErrorCode(err) != tc.code {
				t.Fatalf("got %v (code %q), want a %s failure", err, ErrorCode(err), tc.code)
			}
		})
	}
	c.HTTP.CloseIdleConnections()
	srv.CloseClientConnections()
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > baseline+2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
	}
}

// TestReadMultipart_ErrEndlessParts: a broadcaster sending small parts
// without end is cut off after MaxParts.
func TestReadMultipart_ErrEndlessParts(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		for {
			if _, err := io.WriteString(pw, "--b\r\nContent-Type: video/mp2t\r\n\r\nx\r\n"); err != nil {
				return
			}
		}
	}()
	defer pr.Close()
	_, err := ReadMultipart(pr, "multipart/mixed; boundary=b", 1<<10)
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("got %v, want too many parts", err)
	}
}

// FuzzTranscodeResult feeds arbitrary bytes as an orchestrator's answer to
// a segment: the client never panics, and what it takes has no more
// renditions than profiles, each with its profile.
func FuzzTranscodeResult(f *testing.F) {
	ladder, _ := LookupProfiles(DefaultLadder)
	ok, _ := proto.Marshal(&TranscodeResult{Seq: 4, Result: &TranscodeResult_Data{Data: &TranscodeData{
		Segments: []*TranscodedSegmentData{{Url: "https://o/1.ts", Pixels: 100}, {Url: "https://o/2.ts"}}, Sig: []byte{1, 2}}}})
	refused, _ := proto.Marshal(&TranscodeResult{Result: &TranscodeResult_Error{Error: "OrchestratorBusy"}})
	f.Add(ok)
	f.Add(refused)
	f.Add([]byte{})
	f.Add([]byte("\x0a\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := parseTranscodeResult(body, ladder)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.Op != "transcode" {
				t.Fatalf("%v: want a transcode *Error with a code", err)
			}
			return
		}
		if len(res.Renditions) > len(ladder) {
			t.Fatalf("%d renditions for %d profiles", len(res.Renditions), len(ladder))
		}
		for i, r := range res.Renditions {
			if r.Profile != ladder[i] {
				t.Fatalf("rendition %d has profile %v", i, r.Profile)
			}
		}
	})
}
