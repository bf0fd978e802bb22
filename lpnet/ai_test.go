package lpnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"math/big"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/podiumhq/podium/lpnet/pm"
)

func TestAICapabilities(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		models := []AIModel{
			{Pipeline: PipelineUpscale, Model: "stabilityai/stable-diffusion-x4-upscaler", Warm: true, Capacity: 1},
			{Pipeline: PipelineTextToImage, Model: "b", Capacity: 2},
			{Pipeline: PipelineTextToImage, Model: "a", Warm: true, Capacity: 1},
		}
		c, err := AICapabilities(models)
		if err != nil {
			t.Fatal(err)
		}
		if !hasBit(c.Bitstring, CapUpscale) || !hasBit(c.Bitstring, CapTextToImage) || hasBit(c.Bitstring, CapLLM) || !hasBit(c.Bitstring, capH264) {
			t.Errorf("bitstring %x", c.Bitstring)
		}
		if c.Capacities[CapTextToImage] != 3 {
			t.Errorf("text-to-image capacity %d, want 3", c.Capacities[CapTextToImage])
		}
		want := []AIModel{models[2], models[1], models[0]}
		if got := AIModels(c); !reflect.DeepEqual(got, want) {
			t.Errorf("AIModels = %+v, want %+v", got, want)
		}
		job, _ := AIJobCapabilities(PipelineUpscale, "x")
		if !CompatibleWith(job, c) {
			t.Error("an upscale job is not compatible with an upscaler")
		}
		// A go-livepeer gateway asks for its DefaultCapabilities and the
		// pipeline's (server/ai_session.go getSessions).
		gw := &Capabilities{Bitstring: bitstring([]uint{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26, CapUpscale})}
		if !CompatibleWith(gw, c) {
			t.Error("a go-livepeer gateway's upscale job is not compatible with an upscaler")
		}
		if job, _ := AIJobCapabilities(PipelineLLM, "x"); CompatibleWith(job, c) {
			t.Error("an llm job is compatible with an orchestrator without llm")
		}
	})
	t.Run("ErrPipeline", func(t *testing.T) {
		if _, err := AICapabilities([]AIModel{{Pipeline: "paint", Model: "m"}}); err == nil {
			t.Error("unknown pipeline accepted")
		}
		if _, err := AICapabilities([]AIModel{{Pipeline: PipelineUpscale}}); err == nil {
			t.Error("empty model accepted")
		}
	})
	t.Run("OKWire", func(t *testing.T) {
		// Constraints travel in OrchestratorInfo: encode and decode.
		c, _ := AICapabilities([]AIModel{{Pipeline: PipelineUpscale, Model: "m", Warm: true, Capacity: 1}})
		b, err := proto.Marshal(&OrchestratorInfo{Capabilities: c})
		if err != nil {
			t.Fatal(err)
		}
		var oi OrchestratorInfo
		if err := proto.Unmarshal(b, &oi); err != nil {
			t.Fatal(err)
		}
		if got := AIModels(oi.Capabilities); len(got) != 1 || !got[0].Warm || got[0].Model != "m" {
			t.Errorf("decoded %+v", got)
		}
	})
}

func TestAIRequest_Encode(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  AIRequest
	}{
		{"OKJSON", AIRequest{Pipeline: PipelineTextToImage, Model: "m", Params: map[string]any{"prompt": "a cat", "width": 64, "height": 32}}},
		{"OKMultipart", AIRequest{Pipeline: PipelineUpscale, Model: "m", Params: map[string]any{"prompt": "x", "seed": 7}, File: []byte("png")}},
		{"OKLLM", AIRequest{Pipeline: PipelineLLM, Model: "m", Params: map[string]any{"max_tokens": 5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, typ, err := tc.req.Encode()
			if err != nil {
				t.Fatal(err)
			}
			r, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			r.Header.Set("Content-Type", typ)
			got, err := DecodeAIRequest(tc.req.Pipeline, r, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if got.Model != tc.req.Model || !bytes.Equal(got.File, tc.req.File) {
				t.Errorf("decoded %+v", got)
			}
			for k, v := range tc.req.Params {
				if n, ok := v.(int); ok {
					if m, err := got.Int(k, -1); err != nil || m != n {
						t.Errorf("%s = %v (%v), want %d", k, m, err, n)
					}
				} else if got.String(k) != v {
					t.Errorf("%s = %q, want %q", k, got.String(k), v)
				}
			}
		})
	}
	t.Run("ErrModel", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(`{"prompt":"x"}`))
		if _, err := DecodeAIRequest(PipelineTextToImage, r, 1<<20); err == nil {
			t.Error("request without model_id accepted")
		}
	})
}

// fakeAI answers every request with one 8×8 PNG, or fails as told.
type fakeAI struct {
	busy bool
	fail string
}

func (f *fakeAI) AIModels() []AIModel {
	return []AIModel{{Pipeline: PipelineUpscale, Model: "up", Warm: true, Capacity: 1}}
}

func (f *fakeAI) ReserveAI(pipeline, model string) (func(), error) {
	if f.busy || pipeline != PipelineUpscale || model != "up" {
		return nil, ErrAICapacity
	}
	return func() {}, nil
}

func (f *fakeAI) ProcessAI(_ context.Context, req *AIRequest) (*AIResult, error) {
	if f.fail != "" {
		return nil, errors.New(f.fail)
	}
	return &AIResult{Media: []AIOutput{{URL: "https://example.invalid/x.png", Type: "image/png", Data: pngOf(8, 8), Seed: 3}}}, nil
}

func pngOf(w, h int) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

func TestClient_AI(t *testing.T) {
	ai := &fakeAI{}
	s, _ := startServer(t, time.Now, func(s *Server) { s.AI = ai; s.Price = nil; s.MaxSegSize = 1 << 20 })
	c := NewClient(NewSigner(KeyFromSeed(1)))
	info, err := c.GetOrchestrator(testContext(t), s.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	if got := AIModels(info.GetCapabilities()); len(got) != 1 || got[0].Model != "up" {
		t.Fatalf("advertised %+v", got)
	}
	up := &AIRequest{Pipeline: PipelineUpscale, Model: "up", Params: map[string]any{"prompt": "x"}, File: pngOf(2, 2)}

	t.Run("OK", func(t *testing.T) {
		for _, byURL := range []bool{false, true} {
			res, err := c.AI(testContext(t), info, up, byURL)
			if err != nil {
				t.Fatal(err)
			}
			var ir AIImageResponse
			if err := json.Unmarshal(res.Body, &ir); err != nil || len(ir.Images) != 1 {
				t.Fatalf("answer %s: %v", res.Body, err)
			}
			data, _, isData, err := ParseDataURL(ir.Images[0].URL)
			if isData == byURL || err != nil || (!byURL && !bytes.Equal(data, pngOf(8, 8))) {
				t.Errorf("byURL %v: url %.40q (%v)", byURL, ir.Images[0].URL, err)
			}
		}
	})
	for _, tc := range []struct {
		name   string
		edit   func(*OrchestratorInfo, *AIRequest)
		setup  func()
		status int
		code   string
	}{
		{"ErrToken", func(i *OrchestratorInfo, _ *AIRequest) { i.AuthToken.Token = []byte("forged") }, nil, 403, CodeUpload},
		{"ErrPipeline", func(_ *OrchestratorInfo, r *AIRequest) { r.Pipeline = PipelineImageToImage }, nil, 403, CodeUpload},
		{"ErrModel", func(_ *OrchestratorInfo, r *AIRequest) { r.Model = "other" }, nil, 503, CodeBusy},
		{"ErrImage", func(_ *OrchestratorInfo, r *AIRequest) { r.File = []byte("not an image") }, nil, 400, CodeUpload},
		{"ErrBusy", nil, func() { ai.busy = true }, 503, CodeBusy},
		{"ErrJob", nil, func() { ai.fail = "runner crashed" }, 500, CodeTranscode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ai.busy, ai.fail = false, ""
			if tc.setup != nil {
				tc.setup()
			}
			i := cloneInfo(info)
			r := *up
			if tc.edit != nil {
				tc.edit(i, &r)
			}
			_, err := c.AI(testContext(t), i, &r, false)
			var le *Error
			if !errors.As(err, &le) || le.Status != tc.status || le.Code != tc.code {
				t.Errorf("err %v, want status %d code %s", err, tc.status, tc.code)
			}
		})
	}
}

func cloneInfo(i *OrchestratorInfo) *OrchestratorInfo {
	return proto.Clone(i).(*OrchestratorInfo)
}

// startPaidAI is startPaid with the fake AI worker behind the server.
func startPaidAI(t *testing.T) *paidWorld {
	t.Helper()
	orch := NewSigner(KeyFromSeed(100))
	l := pm.NewLedger(orch.Address())
	r := &pm.Recipient{Addr: orch.Address(), Chain: l,
		Config: pm.RecipientConfig{EV: big.NewInt(8_000_000_000), RedeemGas: 350_000, TxCostMultiplier: 100},
		Rand:   bytes.NewReader(bytes.Repeat([]byte("seed"), 8*1000))}
	copy(r.Secret[:], "lpnet payment tests' secret.....")
	w := &paidWorld{ledger: l}
	w.server, _ = startServer(t, time.Now, func(s *Server) {
		s.Payee = &Payee{Recipient: r}
		s.AI = &fakeAI{}
		s.MaxSegSize = 1 << 20
	})
	signer := NewSigner(KeyFromSeed(1))
	l.Fund(signer.Address(), oneETH, oneETH)
	w.client = NewClient(signer)
	w.client.Payer = NewPayer(signer, l)
	return w
}

func TestClient_AIPaid(t *testing.T) {
	w := startPaidAI(t)
	info, err := w.client.GetOrchestrator(testContext(t), w.server.ServiceURI)
	if err != nil {
		t.Fatal(err)
	}
	up := &AIRequest{Pipeline: PipelineUpscale, Model: "up", Params: map[string]any{"prompt": "x"}, File: pngOf(20, 10)}

	t.Run("OK", func(t *testing.T) {
		res, err := w.client.AI(testContext(t), info, up, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.Cost.Tickets != 1 {
			t.Errorf("%d tickets, want 1", res.Cost.Tickets)
		}
		// go-livepeer's AI payment session is capability_model; 200 input
		// pixels at 1200 wei were debited.
		want := new(big.Rat).Sub(res.Cost.EV, big.NewRat(200*1200, 1))
		if got := w.server.Payee.Balances.Balance(w.client.Signer.Address(), "30_up"); got.Cmp(want) != 0 {
			t.Errorf("balance %s, want %s", got.FloatString(0), want.FloatString(0))
		}
	})
	t.Run("ErrUnpaid", func(t *testing.T) {
		// A funded sender that sends no tickets.
		c := NewClient(NewSigner(KeyFromSeed(1)))
		_, err := c.AI(testContext(t), info, up, false)
		var le *Error
		if !errors.As(err, &le) || le.Status != 400 || !strings.Contains(le.Error(), ErrInsufficientBalance.Error()) {
			t.Errorf("err %v, want 400 %s", err, ErrInsufficientBalance)
		}
	})
}

// FuzzDecodeAIRequest feeds hostile bodies to the server's decoder and
// pricing: they may fail, never panic.
func FuzzDecodeAIRequest(f *testing.F) {
	body, typ, _ := (&AIRequest{Pipeline: PipelineUpscale, Model: "m", Params: map[string]any{"seed": 1}, File: pngOf(2, 2)}).Encode()
	f.Add(PipelineUpscale, typ, body)
	f.Add(PipelineTextToImage, "application/json", []byte(`{"model_id":"m","width":"x","height":1e400}`))
	f.Add(PipelineLLM, "application/json", []byte(`null`))
	f.Fuzz(func(t *testing.T, pipeline, typ string, body []byte) {
		r, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", typ)
		req, err := DecodeAIRequest(pipeline, r, 1<<16)
		if err != nil {
			return
		}
		_, _ = aiPixels(req)
	})
}
