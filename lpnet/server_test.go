package lpnet

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/podiumhq/podium"
)

// echoBackend "transcodes" a segment into one copy per profile, prefixed
// with the profile name, and serves the copies itself. The real transcoder
// lives in node/; this one keeps the protocol tests about the protocol.
type echoBackend struct {
	mu     sync.Mutex
	capped bool
	fail   string
	files  map[string][]byte
	base   string
}

func (b *echoBackend) CheckCapacity(string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.capped {
		return ErrOrchestratorCapped
	}
	return nil
}

func (b *echoBackend) Transcode(_ context.Context, job *Job) ([]Output, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != "" {
		return nil, fmt.Errorf("%s", b.fail)
	}
	var outs []Output
	for _, p := range job.Profiles {
		name := fmt.Sprintf("/stream/%s/%s/%d.ts", job.SessionID, p.Name, job.Seq)
		data := append([]byte(p.Name+":"), job.Data...)
		b.files[name] = data
		outs = append(outs, Output{URL: b.base + name, Pixels: int64(p.Width * p.Height), Hash: crypto.Keccak256(data)})
	}
	return outs, nil
}

func (b *echoBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	data, ok := b.files[r.URL.Path]
	b.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data)
}

// startServer runs a Server with an echoBackend on loopback.
func startServer(t *testing.T, now func() time.Time, opts ...func(*Server)) (*Server, *echoBackend) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &echoBackend{files: map[string][]byte{}, base: "https://" + ln.Addr().String()}
	s := &Server{Signer: NewSigner(KeyFromSeed(100)), Backend: b, Files: b, Now: now, MaxSegSize: 1 << 16,
		Price: &PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1}, ServiceURI: "https://" + ln.Addr().String()}
	for _, o := range opts {
		o(s)
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
	return s, b
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestClient_GetOrchestrator(t *testing.T) {
	s, b := startServer(t, time.Now)
	c := NewClient(NewSigner(KeyFromSeed(1)))

	t.Run("OK", func(t *testing.T) {
		info, err := c.GetOrchestrator(testContext(t), s.ServiceURI)
		if err != nil {
			t.Fatal(err)
		}
		if info.Transcoder != s.ServiceURI || !bytes.Equal(info.Address, s.Signer.Address().Bytes()) {
			t.Fatalf("info = %v", info)
		}
		if info.PriceInfo.GetPricePerUnit() != 1200 || info.AuthToken.GetSessionId() == "" || len(info.AuthToken.GetToken()) != 32 {
			t.Fatalf("price or token missing: %v", info)
		}
		// H264, MPEGTS, MP4, fractional fps, direct storage, the four H.264
		// profiles, GOP and auth token: bits 0-4 and 7-12.
		if bs := info.Capabilities.GetBitstring(); len(bs) != 1 || bs[0] != 0x1f9f {
			t.Fatalf("capabilities = %v, want [0x1f9f]", bs)
		}
		if v := info.Capabilities.GetVersion(); v != podium.Version() {
			t.Fatalf("capabilities version %q, want podium's %q", v, podium.Version())
		}
		if info.TicketParams != nil {
			t.Fatal("an unpaid server sent ticket parameters")
		}
	})
	t.Run("ErrBadSignature", func(t *testing.T) {
		bad := NewClient(NewSigner(KeyFromSeed(1)))
		other := NewSigner(KeyFromSeed(2))
		bad.Signer = &Signer{key: other.key, addr: NewSigner(KeyFromSeed(1)).Address()} // signs as 2, claims 1
		_, err := bad.GetOrchestrator(testContext(t), s.ServiceURI)
		if err == nil || !strings.Contains(err.Error(), "orchestrator req sig check failed") || ErrorCode(err) != CodeDiscovery {
			t.Fatalf("err = %v (code %q)", err, ErrorCode(err))
		}
	})
	t.Run("OKUnsignedWhenAllowed", func(t *testing.T) {
		open, _ := startServer(t, time.Now, func(s *Server) { s.AllowUnsigned = true })
		bad := NewClient(&Signer{key: KeyFromSeed(2), addr: NewSigner(KeyFromSeed(1)).Address()})
		info, err := bad.GetOrchestrator(testContext(t), open.ServiceURI)
		if err != nil {
			t.Fatal(err)
		}
		ladder, _ := LookupProfiles([]string{"P144p30fps16x9"})
		if _, err := bad.Transcode(testContext(t), info, Segment{ManifestID: "m", Data: []byte("x"), Profiles: ladder}); err != nil {
			t.Fatalf("unsigned segment refused: %v", err)
		}
	})
	t.Run("ErrCapped", func(t *testing.T) {
		b.mu.Lock()
		b.capped = true
		b.mu.Unlock()
		defer func() { b.mu.Lock(); b.capped = false; b.mu.Unlock() }()
		_, err := c.GetOrchestrator(testContext(t), s.ServiceURI)
		if err == nil || !strings.Contains(err.Error(), "Invalid orchestrator request: OrchestratorCapped") || ErrorCode(err) != CodeCapped {
			t.Fatalf("err = %v (code %q)", err, ErrorCode(err))
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers TLS
		defer ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, err := c.GetOrchestrator(ctx, "https://"+ln.Addr().String())
		if ErrorCode(err) != CodeTimeout {
			t.Fatalf("err = %v (code %q), want Timeout", err, ErrorCode(err))
		}
	})
}

func TestClient_Transcode(t *testing.T) {
	s, b := startServer(t, time.Now)
	c := NewClient(NewSigner(KeyFromSeed(1)))
	ladder, _ := LookupProfiles(DefaultLadder)
	seg := Segment{ManifestID: "m", Seq: 3, Data: []byte("segment bytes"), Duration: 2 * time.Second, Profiles: ladder}

	t.Run("OK", func(t *testing.T) {
		info, err := c.GetOrchestrator(testContext(t), s.ServiceURI)
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Transcode(testContext(t), info, seg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Seq != 3 || len(res.Renditions) != 3 || res.Info.GetAuthToken().GetSessionId() != info.AuthToken.SessionId {
			t.Fatalf("result = %+v", res)
		}
		for i, r := range res.Renditions {
			if r.Err != nil || string(r.Data) != ladder[i].Name+":segment bytes" || r.Profile != ladder[i] {
				t.Fatalf("rendition %d = %q, %v", i, r.Data, r.Err)
			}
		}
		if !res.SignedBy(s.Signer.Address()) {
			t.Fatal("orchestrator signature over the renditions does not verify")
		}
		res.Renditions[1].Data = append(res.Renditions[1].Data, 0)
		if res.SignedBy(s.Signer.Address()) {
			t.Fatal("signature verifies over an altered rendition")
		}
		if res.Upload <= 0 || res.Transcode <= 0 || res.Download <= 0 {
			t.Fatalf("phase timings not measured: %+v", res)
		}
	})
	t.Run("ErrTranscode", func(t *testing.T) {
		info, _ := c.GetOrchestrator(testContext(t), s.ServiceURI)
		b.mu.Lock()
		b.fail = "OrchestratorBusy"
		b.mu.Unlock()
		defer func() { b.mu.Lock(); b.fail = ""; b.mu.Unlock() }()
		_, err := c.Transcode(testContext(t), info, seg)
		if ErrorCode(err) != CodeBusy {
			t.Fatalf("err = %v (code %q)", err, ErrorCode(err))
		}
	})
}

// TestServer_Segment sends hand-made bad requests to POST /segment and
// checks each gets go-livepeer's status and text.
func TestServer_Segment(t *testing.T) {
	clock := time.Now()
	s, _ := startServer(t, func() time.Time { return clock })
	signer := NewSigner(KeyFromSeed(1))
	c := NewClient(signer)
	info, err := c.GetOrchestrator(testContext(t), s.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	ladder, _ := LookupProfiles(DefaultLadder)
	body := []byte("segment")
	good, _ := NewSegData(signer, "m", 1, body, 2*time.Second, ladder, info.AuthToken)
	enc := func(m proto.Message) string { h, _ := EncodeHeader(m); return h }
	mutate := func(f func(sd *SegData)) string {
		sd := proto.Clone(good).(*SegData)
		f(sd)
		return enc(sd)
	}
	resign := func(f func(sd *SegData)) string {
		sd := proto.Clone(good).(*SegData)
		f(sd)
		ps, _ := SegProfiles(sd)
		sd.Sig, _ = signer.Sign(Flatten(sd.ManifestId, sd.Seq, sd.Hash, ps))
		return enc(sd)
	}
	expired := authToken(s.Secret, info.AuthToken.SessionId, clock.Add(-time.Second).Unix())

	for _, tt := range []struct {
		name    string
		seg     string
		payment string
		body    []byte
		status  int
		text    string
	}{
		{"OK", enc(good), "", body, 200, ""},
		{"ErrPaymentNotBase64", enc(good), "***", body, 402, "base64 decode error"},
		{"ErrPaymentNotProtobuf", enc(good), base64.StdEncoding.EncodeToString([]byte{0x0a, 0x09}), body, 402, "protobuf unmarshal error"},
		{"ErrSegNotBase64", "***", "", body, 403, "ErrorSegEncoding"},
		{"ErrSegNotProtobuf", base64.StdEncoding.EncodeToString([]byte{0x12, 0x7f, 0x01}), "", body, 403, "cannot parse invalid wire-format data"},
		{"ErrWrongSignature", mutate(func(sd *SegData) { sd.Seq = 2 }), "", body, 403, "ErrSegSig"},
		{"ErrUnsigned", mutate(func(sd *SegData) { sd.Sig = nil }), "", body, 403, "ErrSegSig"},
		{"ErrUnknownProfile", resign(func(sd *SegData) { sd.FullProfiles[0].Format = 5 }), "", body, 403, "unrecognized profile output format"},
		{"ErrCapabilities", mutate(func(sd *SegData) { sd.Capabilities = &Capabilities{Bitstring: []uint64{1<<capH264 | 1<<capHEVCEncode}} }), "", body, 403, "incompatible capabilities"},
		{"OKLegacyBroadcaster", mutate(func(sd *SegData) { sd.Capabilities = nil }), "", body, 200, ""},
		{"ErrDuration", resign(func(sd *SegData) { sd.Duration = -5 }), "", body, 403, "invalid duration"},
		{"ErrMissingToken", mutate(func(sd *SegData) { sd.AuthToken = nil }), enc(&Payment{Sender: signer.Address().Bytes()}), body, 403, "missing auth token"},
		{"ErrInvalidToken", mutate(func(sd *SegData) {
			sd.AuthToken = &AuthToken{Token: []byte{1}, SessionId: info.AuthToken.SessionId, Expiration: info.AuthToken.Expiration}
		}), "", body, 403, "invalid auth token"},
		{"ErrExpiredToken", mutate(func(sd *SegData) { sd.AuthToken = expired }), "", body, 403, "expired auth token"},
		{"ErrHashMismatch", enc(good), "", []byte("other bytes"), 403, "Forbidden"},
		{"ErrOversized", resign(func(sd *SegData) { sd.Hash = crypto.Keccak256(make([]byte, 1<<16+1)) }), "", make([]byte, 1<<16+1), 500, "Internal Server Error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(testContext(t), http.MethodPost, s.ServiceURI+"/segment", bytes.NewReader(tt.body))
			req.Header.Set(SegmentHeader, tt.seg)
			if tt.payment != "" {
				req.Header.Set(PaymentHeader, tt.payment)
			}
			resp, err := c.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(got), tt.text) {
				t.Fatalf("got %d %q, want %d containing %q", resp.StatusCode, got, tt.status, tt.text)
			}
			if tt.status == 200 {
				var tr TranscodeResult
				if err := proto.Unmarshal(got, &tr); err != nil || len(tr.GetData().GetSegments()) != 3 {
					t.Fatalf("bad TranscodeResult %v: %v", &tr, err)
				}
			}
		})
	}
}
