package lpnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // input images may be JPEG
	_ "image/png"
	"log/slog"
	"math/big"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// ErrAICapacity is the answer to an AI request for a model with no free
// slot; go-livepeer answers it with 503 and this text.
var ErrAICapacity = errors.New("insufficient capacity")

// AIBackend is the AI worker behind a Server.
type AIBackend interface {
	// AIModels lists the pipelines and models served, warm or cold now.
	AIModels() []AIModel
	// ReserveAI takes a slot of model for one request, or returns
	// ErrAICapacity (also for a model it does not serve). release frees it.
	ReserveAI(pipeline, model string) (release func(), err error)
	// ProcessAI runs a request; an error is answered 500 with its text.
	ProcessAI(ctx context.Context, req *AIRequest) (*AIResult, error)
}

// AIResult is what an AIBackend made. Image and video pipelines set Media;
// the others set Body, sent as the JSON answer (ai-worker's TextResponse,
// LLMResponse …).
type AIResult struct {
	Media []AIOutput
	Body  any
}

// AIOutput is one image or video, already served by the backend at URL.
type AIOutput struct {
	URL  string
	Type string // MIME type
	Data []byte
	Seed int64
	NSFW bool
}

// serveAI answers POST /{pipeline} as go-livepeer's handleAIRequest does:
// an undecodable request is 400; then the Livepeer-Payment header (402)
// and the Livepeer-Segment credentials of the GetOrchestrator session
// (403); an input image that does not decode is 400; no free slot for the
// model is 503; a refused payment or insufficient balance is 400; a
// failed job is 500; else 200 with the pipeline's JSON answer.
func (s *Server) serveAI(pipeline string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.init()
		log := s.Logger.With("remote", r.RemoteAddr, "pipeline", pipeline)
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed; POST a request", http.StatusMethodNotAllowed)
			return
		}
		req, err := DecodeAIRequest(pipeline, r, s.MaxSegSize)
		if err != nil {
			refuse(w, log, err, http.StatusBadRequest)
			return
		}
		log = log.With("model", req.Model)
		payment, err := DecodePayment(r.Header.Get(PaymentHeader))
		if err != nil {
			refuse(w, log, err, http.StatusPaymentRequired)
			return
		}
		job, _, err := s.verifySegment(r.Header.Get(SegmentHeader), payment, s.capabilities(), true)
		if err != nil {
			refuse(w, log, err, http.StatusForbidden)
			return
		}
		pixels, err := aiPixels(req)
		if err != nil {
			refuse(w, log, err, http.StatusBadRequest)
			return
		}
		release, err := s.AI.ReserveAI(pipeline, req.Model)
		if err != nil {
			refuse(w, log, err, http.StatusServiceUnavailable)
			return
		}
		defer release()
		// go-livepeer keeps one payment session per capability and model.
		c, _ := PipelineCapability(pipeline)
		session := strconv.Itoa(int(c)) + "_" + req.Model
		var price *big.Rat
		if s.Payee != nil {
			price, err = s.chargePrice(payment)
			if err == nil {
				err = s.Payee.processPayment(payment, session)
			}
			if err != nil {
				refuse(w, log, err, http.StatusBadRequest)
				return
			}
			if price.Sign() > 0 && !s.Payee.sufficient(job.Sender, session) {
				refuse(w, log, ErrInsufficientBalance, http.StatusBadRequest)
				return
			}
		}
		res, err := s.AI.ProcessAI(r.Context(), req)
		if err != nil {
			refuse(w, log, err, http.StatusInternalServerError)
			return
		}
		if s.Payee != nil {
			s.Payee.debit(job.Sender, session, price, pixels)
		}
		body, err := aiAnswer(pipeline, res, r.Header.Get("Authorization") == AIProtoHeader)
		if err != nil {
			refuse(w, log, err, http.StatusInternalServerError)
			return
		}
		log.Info("AI request served", "session", job.SessionID, "pixels", pixels)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	}
}

// refuse answers status with err's text, as go-livepeer's respondWithError.
func refuse(w http.ResponseWriter, log *slog.Logger, err error, status int) {
	log.Info("AI request refused", "status", status, "reason", err)
	http.Error(w, err.Error(), status)
}

// aiAnswer encodes res as the pipeline's JSON answer. Images of
// text-to-image, image-to-image and upscale go inline as data URLs unless
// the sender fetches URLs (byURL), as go-livepeer answers older gateways;
// videos always go by URL.
func aiAnswer(pipeline string, res *AIResult, byURL bool) ([]byte, error) {
	switch pipeline {
	case PipelineTextToImage, PipelineImageToImage, PipelineUpscale, PipelineImageToVideo:
		out := AIImageResponse{Images: []AIMedia{}}
		for _, m := range res.Media {
			u := m.URL
			if !byURL && pipeline != PipelineImageToVideo {
				u = DataURL(m.Type, m.Data)
			}
			out.Images = append(out.Images, AIMedia{URL: u, Seed: m.Seed, NSFW: m.NSFW})
		}
		return json.Marshal(out)
	}
	if res.Body == nil {
		return nil, fmt.Errorf("pipeline %s made no answer", pipeline)
	}
	return json.Marshal(res.Body)
}

// aiPixels is what a request is charged for, as go-livepeer counts it:
// output pixels of images and videos (its defaults where the size is not
// asked: 512×512 images, 1024×576 videos of 25 frames), input pixels of an
// upscale or image-to-text, max_tokens of an llm request (required), 1000
// per character of text to speak. Audio-to-text is charged per
// millisecond of audio in go-livepeer; podium does not measure audio
// here and charges it nothing.
func aiPixels(req *AIRequest) (int64, error) {
	// Each factor is capped at 2^20, so that the product of three cannot
	// overflow into a negative charge, which would credit the sender.
	get := func(name string, def int) int64 {
		n, err := req.Int(name, def)
		if err != nil || n < 0 {
			return int64(def)
		}
		return int64(min(n, 1<<20))
	}
	input := func() (int64, error) {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(req.File))
		if err != nil {
			return 0, err
		}
		return int64(cfg.Width) * int64(cfg.Height), nil
	}
	switch req.Pipeline {
	case PipelineTextToImage:
		return get("height", 512) * get("width", 512) * get("num_images_per_prompt", 1), nil
	case PipelineImageToImage:
		n, err := input()
		return n * get("num_images_per_prompt", 1), err
	case PipelineUpscale, PipelineImageToText:
		return input()
	case PipelineImageToVideo:
		return get("height", 576) * get("width", 1024) * 25, nil
	case PipelineLLM:
		if _, ok := req.Params["max_tokens"]; !ok {
			return 0, errors.New("MaxTokens not specified")
		}
		return get("max_tokens", 0), nil
	case PipelineTextToSpeech:
		return 1000 * int64(utf8.RuneCountInString(req.String("text"))), nil
	}
	return 0, nil
}

// capabilities are what the server advertises: the transcoder's, plus the
// AI backend's pipelines and models when it has one.
func (s *Server) capabilities() *Capabilities {
	if s.AI == nil {
		return TranscoderCapabilities()
	}
	c, err := AICapabilities(s.AI.AIModels())
	if err != nil {
		s.Logger.Error("AI capabilities", "err", err)
		return TranscoderCapabilities()
	}
	return c
}
