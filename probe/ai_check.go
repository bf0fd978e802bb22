package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // orchestrators may answer JPEG
	_ "image/png"

	"github.com/podiumhq/podium/lpnet"
)

// Thresholds of the AI output checks.
const (
	// MinUpscalePSNR is how close, in dB of luma PSNR, an upscale shrunk
	// back to the input's size must be to the input. An honest ×4 upscale
	// comes back above 30 dB; a picture of something else, a blank or a
	// cached answer to another input falls well under 15.
	MinUpscalePSNR = 22.0
	// MinPictureStddev is the least luma standard deviation of a generated
	// picture: under it the picture is flat, a blank.
	MinPictureStddev = 2.0
	// UpscaleFactor is the factor of go-livepeer's upscale pipeline (its
	// model is Stable Diffusion's ×4 upscaler; the request has no factor).
	UpscaleFactor = 4
)

// Sizes of the inputs the AI tests send.
const (
	aiUpscaleW, aiUpscaleH = 128, 96
	aiImageW, aiImageH     = 512, 512
)

// fetchFunc downloads an output the orchestrator answered by URL.
type fetchFunc func(ctx context.Context, url string) ([]byte, error)

// aiCheck judges a 200 answer; its error carries the failure's code.
type aiCheck func(ctx context.Context, body []byte, fetch fetchFunc) error

// aiInput makes a fresh request from seed (its model is set by the
// caller) and the check of its answer.
type aiInput func(seed int64) (*lpnet.AIRequest, aiCheck, error)

// aiInputs are the pipelines the prober tests: every pipeline lpnet knows.
var aiInputs = map[string]aiInput{
	lpnet.PipelineAudioToText:  audioToTextInput,
	lpnet.PipelineUpscale:      upscaleInput,
	lpnet.PipelineTextToImage:  textToImageInput,
	lpnet.PipelineImageToImage: imageToImageInput,
	lpnet.PipelineImageToVideo: imageToVideoInput,
	lpnet.PipelineImageToText:  imageToTextInput,
	lpnet.PipelineLLM:          llmInput,
	lpnet.PipelineTextToSpeech: textToSpeechInput,
}

func upscaleInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	in := testPicture(seed, aiUpscaleW, aiUpscaleH)
	file, err := pngBytes(in)
	if err != nil {
		return nil, nil, err
	}
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineUpscale, Params: map[string]any{"prompt": "a sharp detailed picture", "seed": seed % 1_000_000}, File: file}
	_, _, want := luma(in)
	check := func(ctx context.Context, body []byte, fetch fetchFunc) error {
		imgs, err := answeredImages(ctx, body, fetch, 1, aiUpscaleW*UpscaleFactor, aiUpscaleH*UpscaleFactor)
		if err != nil {
			return err
		}
		return checkUpscale(imgs[0], want)
	}
	return req, check, nil
}

// checkUpscale passes out when it is the input at ×UpscaleFactor: the
// exact size, not flat, and, shrunk back by block averages, within
// MinUpscalePSNR of the input's luma.
func checkUpscale(out image.Image, in []float64) error {
	w, h, y := luma(out)
	if w != aiUpscaleW*UpscaleFactor || h != aiUpscaleH*UpscaleFactor {
		return Errorc(CodeAIWrongSize, fmt.Errorf("upscale of %dx%d is %dx%d, want %dx%d", aiUpscaleW, aiUpscaleH, w, h, aiUpscaleW*UpscaleFactor, aiUpscaleH*UpscaleFactor))
	}
	if sd := stddev(y); sd < MinPictureStddev {
		return Errorc(CodeAIBlank, fmt.Errorf("upscale is flat (luma deviation %.2f)", sd))
	}
	if p := psnr(in, shrink(w, h, y, UpscaleFactor)); p < MinUpscalePSNR {
		return Errorc(CodeAIMismatch, fmt.Errorf("upscale shrunk back is %.1f dB from the input, want %.0f dB or more", p, MinUpscalePSNR))
	}
	return nil
}

func textToImageInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineTextToImage, Params: map[string]any{
		"prompt": fmt.Sprintf("a lighthouse on a cliff at dawn, study %d", seed%10_000), "width": aiImageW, "height": aiImageH,
		"num_images_per_prompt": 1, "seed": seed % 1_000_000}}
	return req, picturesCheck(1, aiImageW, aiImageH), nil
}

func imageToImageInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	file, err := pngBytes(testPicture(seed, aiImageW, aiImageH))
	if err != nil {
		return nil, nil, err
	}
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineImageToImage, Params: map[string]any{"prompt": "the same scene in watercolour", "seed": seed % 1_000_000}, File: file}
	// ai-worker's image-to-image keeps the input's size.
	return req, picturesCheck(1, aiImageW, aiImageH), nil
}

// picturesCheck passes n pictures of w×h that are not flat.
func picturesCheck(n, w, h int) aiCheck {
	return func(ctx context.Context, body []byte, fetch fetchFunc) error {
		imgs, err := answeredImages(ctx, body, fetch, n, w, h)
		if err != nil {
			return err
		}
		for i, img := range imgs {
			gw, gh, y := luma(img)
			if gw != w || gh != h {
				return Errorc(CodeAIWrongSize, fmt.Errorf("image %d is %dx%d, want %dx%d", i, gw, gh, w, h))
			}
			if sd := stddev(y); sd < MinPictureStddev {
				return Errorc(CodeAIBlank, fmt.Errorf("image %d is flat (luma deviation %.2f)", i, sd))
			}
		}
		return nil
	}
}

func imageToVideoInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	file, err := pngBytes(testPicture(seed, 256, 256))
	if err != nil {
		return nil, nil, err
	}
	const w, h = 256, 144
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineImageToVideo, Params: map[string]any{"width": w, "height": h, "fps": 6, "seed": seed % 1_000_000}, File: file}
	check := func(ctx context.Context, body []byte, fetch fetchFunc) error {
		ms, err := answeredMedia(ctx, body, fetch, 1)
		if err != nil {
			return err
		}
		// go-livepeer's image-to-video answers an MP4.
		gw, gh, frames, err := mp4Video(ms[0])
		if err != nil {
			return Errorc(CodeAIBadOutput, fmt.Errorf("video of %d bytes: %w", len(ms[0]), err))
		}
		if gw != w || gh != h {
			return Errorc(CodeAIWrongSize, fmt.Errorf("video is %dx%d, want %dx%d", gw, gh, w, h))
		}
		if frames < 2 {
			return Errorc(CodeAIBadOutput, fmt.Errorf("video has %d frames", frames))
		}
		return nil
	}
	return req, check, nil
}

func imageToTextInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	file, err := pngBytes(testPicture(seed, aiImageW, aiImageH))
	if err != nil {
		return nil, nil, err
	}
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineImageToText, Params: map[string]any{"prompt": "describe the picture"}, File: file}
	check := func(_ context.Context, body []byte, _ fetchFunc) error {
		var r struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(body, &r); err != nil || r.Text == "" {
			return Errorc(CodeAIBadOutput, fmt.Errorf("answer is not an ImageToTextResponse with text: %.200s", body))
		}
		return nil
	}
	return req, check, nil
}

func llmInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineLLM, Params: map[string]any{
		"messages":   []map[string]string{{"role": "user", "content": fmt.Sprintf("Name a colour. (%d)", seed%10_000)}},
		"max_tokens": 32, "stream": false}}
	check := func(_ context.Context, body []byte, _ fetchFunc) error {
		var r struct {
			Choices []struct {
				Message struct {
					Content string `json:"content"`
				} `json:"message"`
			} `json:"choices"`
		}
		if err := json.Unmarshal(body, &r); err != nil || len(r.Choices) == 0 || r.Choices[0].Message.Content == "" {
			return Errorc(CodeAIBadOutput, fmt.Errorf("answer is not an LLMResponse with content: %.200s", body))
		}
		return nil
	}
	return req, check, nil
}

func textToSpeechInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineTextToSpeech, Params: map[string]any{"text": fmt.Sprintf("Test number %d.", seed%10_000)}}
	check := func(ctx context.Context, body []byte, fetch fetchFunc) error {
		var r struct {
			Audio struct {
				URL string `json:"url"`
			} `json:"audio"`
		}
		if err := json.Unmarshal(body, &r); err != nil || r.Audio.URL == "" {
			return Errorc(CodeAIBadOutput, fmt.Errorf("answer is not an AudioResponse: %.200s", body))
		}
		b, err := mediaBytes(ctx, r.Audio.URL, fetch)
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return Errorc(CodeAIBadOutput, errors.New("audio is empty"))
		}
		return nil
	}
	return req, check, nil
}

// answeredImages decodes the n pictures of an ImageResponse, each of
// which must be w×h. The size is read from the header first, so that a
// small file claiming a huge picture is refused before it is decoded.
func answeredImages(ctx context.Context, body []byte, fetch fetchFunc, n, w, h int) ([]image.Image, error) {
	ms, err := answeredMedia(ctx, body, fetch, n)
	if err != nil {
		return nil, err
	}
	var out []image.Image
	for i, b := range ms {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return nil, Errorc(CodeAIBadOutput, fmt.Errorf("image %d does not decode: %w", i, err))
		}
		if cfg.Width != w || cfg.Height != h {
			return nil, Errorc(CodeAIWrongSize, fmt.Errorf("image %d is %dx%d, want %dx%d", i, cfg.Width, cfg.Height, w, h))
		}
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, Errorc(CodeAIBadOutput, fmt.Errorf("image %d does not decode: %w", i, err))
		}
		out = append(out, img)
	}
	return out, nil
}

// answeredMedia reads the n media of an ImageResponse or VideoResponse,
// inline or by URL.
func answeredMedia(ctx context.Context, body []byte, fetch fetchFunc, n int) ([][]byte, error) {
	var r lpnet.AIImageResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, Errorc(CodeAIBadOutput, fmt.Errorf("answer is not an ImageResponse: %w", err))
	}
	if len(r.Images) != n {
		return nil, Errorc(CodeAIBadOutput, fmt.Errorf("%d images answered, want %d", len(r.Images), n))
	}
	var out [][]byte
	for _, m := range r.Images {
		b, err := mediaBytes(ctx, m.URL, fetch)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// mediaBytes is the content of a data URL, or what fetch gets from a URL.
func mediaBytes(ctx context.Context, u string, fetch fetchFunc) ([]byte, error) {
	b, _, ok, err := lpnet.ParseDataURL(u)
	if err != nil {
		return nil, Errorc(CodeAIBadOutput, fmt.Errorf("data URL: %w", err))
	}
	if ok {
		return b, nil
	}
	return fetch(ctx, u)
}
