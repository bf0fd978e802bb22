package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

func TestParseAIFault(t *testing.T) {
	for _, s := range []string{"", "slow=1s", "error", "wrong-size", "unscaled", "unrelated", "blank", "cold=2s"} {
		t.Run("OK"+s, func(t *testing.T) {
			f, err := ParseAIFault(s)
			if err != nil {
				t.Fatal(err)
			}
			if g, err := ParseAIFault(f.String()); err != nil || g != f {
				t.Errorf("round trip %q: %v %v", f, g, err)
			}
		})
	}
	for _, s := range []string{"slow", "slow=-1s", "cold=x", "blank=1", "paint"} {
		t.Run("Err"+s, func(t *testing.T) {
			if _, err := ParseAIFault(s); err == nil {
				t.Errorf("%q accepted", s)
			}
		})
	}
}

// aiImages posts req to uri's AI route and decodes the images answered.
func aiImages(t *testing.T, c *lpnet.Client, info *lpnet.OrchestratorInfo, req *lpnet.AIRequest, byURL bool) ([]image.Config, time.Duration, error) {
	t.Helper()
	res, err := c.AI(timeout(t), info, req, byURL)
	if err != nil {
		return nil, 0, err
	}
	var ir lpnet.AIImageResponse
	if err := json.Unmarshal(res.Body, &ir); err != nil {
		t.Fatalf("answer %.200s: %v", res.Body, err)
	}
	var out []image.Config
	for _, m := range ir.Images {
		data, _, isData, err := lpnet.ParseDataURL(m.URL)
		if err != nil {
			t.Fatal(err)
		}
		if !isData {
			if data, err = c.Download(timeout(t), m.URL); err != nil {
				t.Fatal(err)
			}
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("image %d: %v", len(out), err)
		}
		out = append(out, cfg)
	}
	return out, res.RoundTrip, nil
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	b, err := encodePNG(render("input", 1, w, h))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOrchestrator_AI(t *testing.T) {
	up := func(t *testing.T) *lpnet.AIRequest {
		return &lpnet.AIRequest{Pipeline: lpnet.PipelineUpscale, Model: UpscaleModel, Params: map[string]any{"prompt": "sharp"}, File: testPNG(t, 40, 30)}
	}
	i2i := func(t *testing.T) *lpnet.AIRequest {
		return &lpnet.AIRequest{Pipeline: lpnet.PipelineImageToImage, Model: ImageToImageModel,
			Params: map[string]any{"prompt": "in watercolour", "num_images_per_prompt": 2}, File: testPNG(t, 64, 48)}
	}
	t2i := &lpnet.AIRequest{Pipeline: lpnet.PipelineTextToImage, Model: TextToImageModel,
		Params: map[string]any{"prompt": "a lighthouse", "width": 96, "height": 64, "num_images_per_prompt": 2, "seed": 5}}
	for _, tc := range []struct {
		name   string
		fault  string
		req    func(t *testing.T) *lpnet.AIRequest
		want   [2]int // width, height of every image
		n      int
		status int
	}{
		{"OKUpscale", "", up, [2]int{160, 120}, 1, 0},
		{"OKTextToImage", "", func(*testing.T) *lpnet.AIRequest { return t2i }, [2]int{96, 64}, 2, 0},
		{"OKUnscaled", "unscaled", up, [2]int{40, 30}, 1, 0},
		{"OKWrongSize", "wrong-size", up, [2]int{120, 90}, 1, 0},
		{"OKBlank", "blank", up, [2]int{160, 120}, 1, 0},
		{"OKTextToImageWrongSize", "wrong-size", func(*testing.T) *lpnet.AIRequest { return t2i }, [2]int{72, 48}, 2, 0},
		{"OKImageToImage", "", i2i, [2]int{64, 48}, 2, 0},
		{"OKImageToImageWrongSize", "wrong-size", i2i, [2]int{48, 36}, 2, 0},
		{"OKImageToImageBlank", "blank", i2i, [2]int{64, 48}, 2, 0},
		{"ErrImageToImageNoPrompt", "", func(t *testing.T) *lpnet.AIRequest { r := i2i(t); r.Params = map[string]any{}; return r }, [2]int{}, 0, 500},
		{"ErrFault", "error", up, [2]int{}, 0, 500},
		{"ErrUnknownModel", "", func(t *testing.T) *lpnet.AIRequest { r := up(t); r.Model = "other/model"; return r }, [2]int{}, 0, 503},
		{"ErrTooLarge", "", func(t *testing.T) *lpnet.AIRequest { r := up(t); r.File = testPNG(t, 600, 10); return r }, [2]int{}, 0, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseAIFault(tc.fault)
			if err != nil {
				t.Fatal(err)
			}
			uri := startOrchestrator(t, &Orchestrator{AI: &AIWorker{Fault: f}})
			c := newClient()
			info, err := c.GetOrchestrator(timeout(t), uri)
			if err != nil {
				t.Fatal(err)
			}
			for _, byURL := range []bool{false, true} {
				imgs, _, err := aiImages(t, c, info, tc.req(t), byURL)
				if tc.status != 0 {
					var le *lpnet.Error
					if !errors.As(err, &le) || le.Status != tc.status {
						t.Fatalf("err %v, want status %d", err, tc.status)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(imgs) != tc.n {
					t.Fatalf("%d images, want %d", len(imgs), tc.n)
				}
				for _, cfg := range imgs {
					if cfg.Width != tc.want[0] || cfg.Height != tc.want[1] {
						t.Errorf("byURL %v: image %dx%d, want %dx%d", byURL, cfg.Width, cfg.Height, tc.want[0], tc.want[1])
					}
				}
			}
		})
	}
}

func TestOrchestrator_AICold(t *testing.T) {
	ai := &AIWorker{Fault: AIFault{Kind: AIFaultCold, Delay: 2 * time.Second}}
	uri := startOrchestrator(t, &Orchestrator{AI: ai})
	c := newClient()
	warm := func() bool {
		info, err := c.GetOrchestrator(timeout(t), uri)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lpnet.AIModels(info.GetCapabilities()) {
			if m.Pipeline == lpnet.PipelineUpscale {
				return m.Warm
			}
		}
		t.Fatal("upscale not advertised")
		return false
	}
	if warm() {
		t.Fatal("a cold model is advertised warm")
	}
	info, err := c.GetOrchestrator(timeout(t), uri)
	if err != nil {
		t.Fatal(err)
	}
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineUpscale, Model: UpscaleModel, Params: map[string]any{"prompt": "x"}, File: testPNG(t, 16, 16)}
	_, first, err := aiImages(t, c, info, req, false)
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := aiImages(t, c, info, req, false)
	if err != nil {
		t.Fatal(err)
	}
	if first < 2*time.Second || second >= 2*time.Second {
		t.Errorf("cold request took %v, warm one %v; want the first over 2s, the second under", first, second)
	}
	if !warm() {
		t.Error("a loaded model is advertised cold")
	}
}

// TestOrchestrator_AICapacity checks that AI requests leave the node's
// transcoding sessions alone, as in go-livepeer, where an AI request's
// session never transcodes: after an AI request, a node of capacity one
// still takes a stream.
func TestOrchestrator_AICapacity(t *testing.T) {
	loadSegments(t)
	uri := startOrchestrator(t, &Orchestrator{Capacity: 1, AI: &AIWorker{}})
	c := newClient()
	info, err := c.GetOrchestrator(timeout(t), uri)
	if err != nil {
		t.Fatal(err)
	}
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineUpscale, Model: UpscaleModel, Params: map[string]any{"prompt": "x"}, File: testPNG(t, 16, 16)}
	if _, _, err := aiImages(t, c, info, req, false); err != nil {
		t.Fatal(err)
	}
	if _, err := transcode(t, uri, 0, segA, ladder(t, "P144p30fps16x9")); err != nil {
		t.Fatalf("transcode after an AI request: %v", err)
	}
}

func TestOrchestrator_AIImageToVideo(t *testing.T) {
	for _, tc := range []struct {
		name, fault string
		want        string // ffprobe's width,height,frames
	}{
		{"OK", "", "128,72,25"},
		{"OKWrongSize", "wrong-size", "96,54,25"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := ParseAIFault(tc.fault)
			uri := startOrchestrator(t, &Orchestrator{AI: &AIWorker{Fault: f}})
			c := newClient()
			info, err := c.GetOrchestrator(timeout(t), uri)
			if err != nil {
				t.Fatal(err)
			}
			req := &lpnet.AIRequest{Pipeline: lpnet.PipelineImageToVideo, Model: ImageToVideoModel,
				Params: map[string]any{"width": 128, "height": 72, "fps": 6}, File: testPNG(t, 64, 64)}
			res, err := c.AI(timeout(t), info, req, false)
			if err != nil {
				t.Fatal(err)
			}
			var vr lpnet.AIImageResponse
			if err := json.Unmarshal(res.Body, &vr); err != nil || len(vr.Images) != 1 || !strings.HasSuffix(vr.Images[0].URL, ".mp4") {
				t.Fatalf("answer %.300s (%v), want one video by URL", res.Body, err)
			}
			data, err := c.Download(timeout(t), vr.Images[0].URL)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
				"-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", "pipe:0")
			cmd.Stdin = bytes.NewReader(data)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("ffprobe: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != tc.want {
				t.Errorf("video %s, want %s", got, tc.want)
			}
		})
	}
}

// TestRestyle checks image-to-image keeps the scene: the same size, close
// to the input pixel by pixel, yet not the input.
func TestRestyle(t *testing.T) {
	in := render("input", 1, 80, 60)
	out := restyle(in, 6)
	if out.Bounds() != in.Bounds() {
		t.Fatalf("restyled to %v, want %v", out.Bounds(), in.Bounds())
	}
	var diff, changed int
	for i := range in.Pix {
		d := int(in.Pix[i]) - int(out.Pix[i])
		diff += max(d, -d)
		if d != 0 {
			changed++
		}
	}
	if mean := float64(diff) / float64(len(in.Pix)); mean > 30 || changed < len(in.Pix)/4 {
		t.Errorf("mean difference %.1f, %d of %d values changed; want a close but altered picture", mean, changed, len(in.Pix))
	}
}
