package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// Models the reference node serves by default, named as go-livepeer
// orchestrators name them.
const (
	UpscaleModel      = "stabilityai/stable-diffusion-x4-upscaler"
	TextToImageModel  = "ByteDance/SDXL-Lightning"
	ImageToVideoModel = "stabilityai/stable-video-diffusion-img2vid-xt-1-1"
	ImageToImageModel = "timbrooks/instruct-pix2pix"
)

// VideoFrames is how many frames image-to-video makes, as go-livepeer
// counts for stable-video-diffusion-img2vid-xt.
const VideoFrames = 25

// UpscaleFactor is what the upscale pipeline scales by: go-livepeer's
// upscale model is Stable Diffusion's ×4 upscaler, and its request has no
// factor field.
const UpscaleFactor = 4

// Limits on a request's size, so that a test cannot make the node render
// huge pictures.
const (
	MaxAIImageSide  = 2048 // text-to-image width and height
	MaxVideoSide    = 1024 // image-to-video width and height
	MaxUpscaleInput = 512  // upscale input width and height
	MaxAIImages     = 4    // num_images_per_prompt
)

// DefaultAIModels are the pipelines the node serves when none are set:
// upscale and image-to-video (ffmpeg), text-to-image and image-to-image
// (pure Go), one request at a time each.
func DefaultAIModels() []lpnet.AIModel {
	return []lpnet.AIModel{
		{Pipeline: lpnet.PipelineImageToImage, Model: ImageToImageModel, Warm: true, Capacity: 1},
		{Pipeline: lpnet.PipelineImageToVideo, Model: ImageToVideoModel, Warm: true, Capacity: 1},
		{Pipeline: lpnet.PipelineTextToImage, Model: TextToImageModel, Warm: true, Capacity: 1},
		{Pipeline: lpnet.PipelineUpscale, Model: UpscaleModel, Warm: true, Capacity: 1},
	}
}

// AIWorker is the node's AI worker (an lpnet.AIBackend): upscale scales
// the input ×4 with ffmpeg, text-to-image renders a picture fixed by the
// prompt and seed at the asked size, image-to-image restyles the input at
// its size (blur and posterize), image-to-video zooms slowly into the
// input for 25 frames (ffmpeg, MP4). Outputs are served from the
// orchestrator's store, like renditions. Set it as Orchestrator.AI.
type AIWorker struct {
	// Models are served; DefaultAIModels when empty. Only upscale,
	// text-to-image, image-to-image and image-to-video have an
	// implementation.
	Models []lpnet.AIModel
	Fault  AIFault
	// Seed fixes the seed of requests that give none, and what the
	// unrelated fault draws.
	Seed   int64
	FFmpeg *FFmpeg
	Logger *slog.Logger

	once  sync.Once
	store *store
	base  string
	n     atomic.Int64
	mu    sync.Mutex
	warm  map[string]bool // pipeline/model → loaded
	busy  map[string]int  // pipeline/model → requests running
}

func (a *AIWorker) init() {
	a.once.Do(func() {
		if len(a.Models) == 0 {
			a.Models = DefaultAIModels()
		}
		if a.FFmpeg == nil {
			a.FFmpeg = &FFmpeg{}
		}
		if a.Logger == nil {
			a.Logger = slog.New(slog.DiscardHandler)
		}
		a.warm = make(map[string]bool)
		for _, m := range a.Models {
			a.warm[m.Pipeline+"/"+m.Model] = m.Warm && a.Fault.Kind != AIFaultCold
		}
		a.busy = make(map[string]int)
	})
}

// AIModels implements lpnet.AIBackend: the models, warm once loaded.
func (a *AIWorker) AIModels() []lpnet.AIModel {
	a.init()
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]lpnet.AIModel, len(a.Models))
	for i, m := range a.Models {
		m.Warm = a.warm[m.Pipeline+"/"+m.Model]
		out[i] = m
	}
	return out
}

// ReserveAI implements lpnet.AIBackend: a model takes Capacity requests at
// once (any number when 0); one it does not serve has none.
func (a *AIWorker) ReserveAI(pipeline, model string) (func(), error) {
	a.init()
	key := pipeline + "/" + model
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, m := range a.Models {
		if m.Pipeline != pipeline || m.Model != model {
			continue
		}
		if m.Capacity > 0 && a.busy[key] >= m.Capacity {
			return nil, lpnet.ErrAICapacity
		}
		a.busy[key]++
		var once sync.Once
		return func() {
			once.Do(func() {
				a.mu.Lock()
				a.busy[key]--
				a.mu.Unlock()
			})
		}, nil
	}
	return nil, lpnet.ErrAICapacity
}

// ProcessAI implements lpnet.AIBackend: load the model if cold, run the
// pipeline, apply the fault, and store the outputs.
func (a *AIWorker) ProcessAI(ctx context.Context, req *lpnet.AIRequest) (*lpnet.AIResult, error) {
	a.init()
	log := a.Logger.With("pipeline", req.Pipeline, "model", req.Model, "fault", a.Fault.String())
	if err := a.load(ctx, req.Pipeline+"/"+req.Model); err != nil {
		return nil, err
	}
	start := time.Now()
	var imgs [][]byte
	var seed int64
	var err error
	typ, ext := "image/png", ".png"
	switch req.Pipeline {
	case lpnet.PipelineUpscale:
		imgs, seed, err = a.upscale(ctx, req)
	case lpnet.PipelineTextToImage:
		imgs, seed, err = a.textToImage(req)
	case lpnet.PipelineImageToImage:
		imgs, seed, err = a.imageToImage(req)
	case lpnet.PipelineImageToVideo:
		imgs, seed, err = a.imageToVideo(ctx, req)
		typ, ext = "video/mp4", ".mp4"
	default:
		err = fmt.Errorf("pipeline %s is not implemented by this node", req.Pipeline)
	}
	if err != nil {
		log.Info("AI request failed", "err", err)
		return nil, err
	}
	switch a.Fault.Kind {
	case AIFaultSlow:
		select {
		case <-time.After(a.Fault.Delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case AIFaultError:
		return nil, fmt.Errorf("AI runner failed (fault: %s)", a.Fault)
	}
	res := &lpnet.AIResult{}
	id := a.n.Add(1)
	for i, b := range imgs {
		path := fmt.Sprintf("/ai/%d/%d%s", id, i, ext)
		if a.store != nil { // nil outside Orchestrator.Serve: inline only
			a.store.put(path, b, typ)
		}
		res.Media = append(res.Media, lpnet.AIOutput{URL: a.base + path, Type: typ, Data: b, Seed: seed + int64(i)})
	}
	log.Info("AI request done", "images", len(imgs), "took", time.Since(start).Round(time.Millisecond))
	return res, nil
}

// load makes a cold model warm: with the cold fault its first request
// waits the fault's delay, as loading weights onto a GPU does.
func (a *AIWorker) load(ctx context.Context, key string) error {
	a.mu.Lock()
	warm := a.warm[key]
	a.mu.Unlock()
	if warm {
		return nil
	}
	if a.Fault.Kind == AIFaultCold {
		select {
		case <-time.After(a.Fault.Delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	a.mu.Lock()
	a.warm[key] = true
	a.mu.Unlock()
	return nil
}

// upscale scales the input ×UpscaleFactor, or by what the fault says.
func (a *AIWorker) upscale(ctx context.Context, req *lpnet.AIRequest) ([][]byte, int64, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(req.File))
	if err != nil {
		return nil, 0, fmt.Errorf("upscale: input image: %w", err)
	}
	if cfg.Width > MaxUpscaleInput || cfg.Height > MaxUpscaleInput || cfg.Width < 1 || cfg.Height < 1 {
		return nil, 0, fmt.Errorf("upscale: input image %dx%d: at most %dx%d", cfg.Width, cfg.Height, MaxUpscaleInput, MaxUpscaleInput)
	}
	seed, err := a.seed(req)
	if err != nil {
		return nil, 0, err
	}
	w, h := cfg.Width*UpscaleFactor, cfg.Height*UpscaleFactor
	var out []byte
	switch a.Fault.Kind {
	case AIFaultUnscaled:
		out = req.File
	case AIFaultUnrelated:
		out, err = encodePNG(render("unrelated", a.Seed, w, h))
	case AIFaultBlank:
		out, err = encodePNG(flat(w, h))
	case AIFaultWrongSize:
		out, err = a.FFmpeg.scaleImage(ctx, req.File, UpscaleFactor*0.75)
	default:
		out, err = a.FFmpeg.scaleImage(ctx, req.File, UpscaleFactor)
	}
	if err != nil {
		return nil, 0, err
	}
	return [][]byte{out}, seed, nil
}

// askedSize is the width and height a request asks for, ai-worker's
// default 1024×576 where it asks for none.
func askedSize(req *lpnet.AIRequest) (w, h int, err error) {
	if w, err = req.Int("width", 1024); err != nil {
		return 0, 0, err
	}
	if h, err = req.Int("height", 576); err != nil {
		return 0, 0, err
	}
	return w, h, nil
}

// textToImage renders num_images_per_prompt pictures of the prompt at
// the asked size (ai-worker's default 1024×576).
func (a *AIWorker) textToImage(req *lpnet.AIRequest) ([][]byte, int64, error) {
	w, h, err := askedSize(req)
	if err != nil {
		return nil, 0, err
	}
	n, err := req.Int("num_images_per_prompt", 1)
	if err != nil {
		return nil, 0, err
	}
	if w < 1 || h < 1 || w > MaxAIImageSide || h > MaxAIImageSide {
		return nil, 0, fmt.Errorf("text-to-image: size %dx%d: each side from 1 to %d", w, h, MaxAIImageSide)
	}
	if n < 1 || n > MaxAIImages {
		return nil, 0, fmt.Errorf("text-to-image: num_images_per_prompt %d: from 1 to %d", n, MaxAIImages)
	}
	prompt := req.String("prompt")
	if prompt == "" {
		return nil, 0, errors.New("text-to-image: prompt is required")
	}
	seed, err := a.seed(req)
	if err != nil {
		return nil, 0, err
	}
	if a.Fault.Kind == AIFaultWrongSize {
		w, h = w*3/4, h*3/4
	}
	var out [][]byte
	for i := range n {
		var img image.Image = render(prompt, seed+int64(i), w, h)
		switch a.Fault.Kind {
		case AIFaultUnrelated:
			img = render("unrelated", a.Seed+int64(i), w, h)
		case AIFaultBlank:
			img = flat(w, h)
		}
		b, err := encodePNG(img)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	return out, seed, nil
}

// imageToVideo makes VideoFrames frames at width×height (ai-worker's
// default 1024×576) and fps (default 6) from the input.
func (a *AIWorker) imageToVideo(ctx context.Context, req *lpnet.AIRequest) ([][]byte, int64, error) {
	if _, _, err := image.DecodeConfig(bytes.NewReader(req.File)); err != nil {
		return nil, 0, fmt.Errorf("image-to-video: input image: %w", err)
	}
	w, h, err := askedSize(req)
	if err != nil {
		return nil, 0, err
	}
	fps, err := req.Int("fps", 6)
	if err != nil {
		return nil, 0, err
	}
	if w < 2 || h < 2 || w > MaxVideoSide || h > MaxVideoSide || w%2 != 0 || h%2 != 0 {
		return nil, 0, fmt.Errorf("image-to-video: size %dx%d: even sides from 2 to %d", w, h, MaxVideoSide)
	}
	if fps < 1 || fps > 30 {
		return nil, 0, fmt.Errorf("image-to-video: fps %d: from 1 to 30", fps)
	}
	seed, err := a.seed(req)
	if err != nil {
		return nil, 0, err
	}
	in := req.File
	switch a.Fault.Kind {
	case AIFaultWrongSize:
		w, h = w*3/4&^1, h*3/4&^1
	case AIFaultBlank:
		if in, err = encodePNG(flat(w, h)); err != nil {
			return nil, 0, err
		}
	case AIFaultUnrelated:
		if in, err = encodePNG(render("unrelated", a.Seed, w, h)); err != nil {
			return nil, 0, err
		}
	}
	v, err := a.FFmpeg.videoOf(ctx, in, w, h, fps, VideoFrames)
	if err != nil {
		return nil, 0, err
	}
	return [][]byte{v}, seed, nil
}

// seed is the request's seed, or one fixed by the node's seed and prompt.
func (a *AIWorker) seed(req *lpnet.AIRequest) (int64, error) {
	if _, ok := req.Params["seed"]; ok {
		s, err := req.Int("seed", 0)
		return int64(s), err
	}
	return seedOf(a.Seed, req.String("prompt")), nil
}
