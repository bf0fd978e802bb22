package lpnet

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// AIProtoHeader is the Authorization value with which a go-livepeer
// gateway (ai_worker.go protoVerAIWorker) says it fetches images from the
// URLs an orchestrator answers; without it, text-to-image, image-to-image
// and upscale images come back inline as data URLs.
const AIProtoHeader = "Livepeer-AI-Worker-1.0"

// AIRequest is one request to an AI pipeline, in the fields of ai-worker's
// gateway API (runner/gateway.openapi.yaml): JSON for text-to-image, llm
// and text-to-speech, multipart/form-data with the media as a file for the
// others.
type AIRequest struct {
	Pipeline string
	Model    string
	// Params are the other fields by their wire names (prompt, width,
	// height, seed, num_images_per_prompt, max_tokens …). A decoded
	// multipart request holds strings; a decoded JSON one, JSON values.
	Params map[string]any
	// File is the uploaded image or audio of a multipart pipeline.
	File []byte
}

// jsonPipelines take a JSON body; the others are multipart.
var jsonPipelines = map[string]bool{PipelineTextToImage: true, PipelineLLM: true, PipelineTextToSpeech: true}

// modelField is the name of the model id field: "model" for llm, as its
// OpenAI-shaped request has it, "model_id" elsewhere.
func modelField(pipeline string) string {
	if pipeline == PipelineLLM {
		return "model"
	}
	return "model_id"
}

// fileField is the multipart field of a pipeline's upload.
func fileField(pipeline string) string {
	if pipeline == PipelineAudioToText {
		return "audio"
	}
	return "image"
}

// Encode returns the request's body and its Content-Type.
func (r *AIRequest) Encode() ([]byte, string, error) {
	if _, ok := pipelineCaps[r.Pipeline]; !ok {
		return nil, "", fmt.Errorf("unknown AI pipeline %q; known: %v", r.Pipeline, Pipelines())
	}
	if jsonPipelines[r.Pipeline] {
		m := maps.Clone(r.Params)
		if m == nil {
			m = map[string]any{}
		}
		m[modelField(r.Pipeline)] = r.Model
		b, err := json.Marshal(m)
		return b, "application/json", err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField(modelField(r.Pipeline), r.Model); err != nil {
		return nil, "", err
	}
	for _, k := range slices.Sorted(maps.Keys(r.Params)) {
		if err := mw.WriteField(k, fmt.Sprint(r.Params[k])); err != nil {
			return nil, "", err
		}
	}
	name := "image.png"
	if r.Pipeline == PipelineAudioToText {
		name = "audio.wav"
	}
	fw, err := mw.CreateFormFile(fileField(r.Pipeline), name)
	if err != nil {
		return nil, "", err
	}
	if _, err := fw.Write(r.File); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// DecodeAIRequest reads an AI request for pipeline from r's body, at most
// limit bytes. The model id is required, and a multipart pipeline's file.
func DecodeAIRequest(pipeline string, r *http.Request, limit int) (*AIRequest, error) {
	req := &AIRequest{Pipeline: pipeline, Params: map[string]any{}}
	body := io.LimitReader(r.Body, int64(limit)+1)
	if jsonPipelines[pipeline] {
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		if len(b) > limit {
			return nil, errTooLarge
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&req.Params); err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
	} else {
		mt, ps, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			return nil, errors.New("request Content-Type isn't multipart/form-data")
		}
		mr := multipart.NewReader(body, ps["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("multipart body: %w", err)
			}
			v, err := io.ReadAll(part)
			if err != nil {
				return nil, fmt.Errorf("multipart body: %w", err)
			}
			if part.FormName() == fileField(pipeline) {
				req.File = v
			} else {
				req.Params[part.FormName()] = string(v)
			}
		}
		if req.File == nil {
			return nil, fmt.Errorf("%s is required", fileField(pipeline))
		}
	}
	model, _ := req.Params[modelField(pipeline)].(string)
	delete(req.Params, modelField(pipeline))
	if model == "" {
		return nil, fmt.Errorf("%s is required", modelField(pipeline))
	}
	req.Model = model
	return req, nil
}

// Int returns the integer parameter name, def when it is absent.
func (r *AIRequest) Int(name string, def int) (int, error) {
	v, ok := r.Params[name]
	if !ok {
		return def, nil
	}
	var s string
	switch v := v.(type) {
	case int:
		return v, nil
	case int64:
		return int(v), nil
	case float64:
		if v != float64(int(v)) {
			return 0, fmt.Errorf("%s: %v is not an integer", name, v)
		}
		return int(v), nil
	case json.Number:
		s = v.String()
	case string:
		s = v
	default:
		return 0, fmt.Errorf("%s: %v is not an integer", name, v)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an integer", name, s)
	}
	return n, nil
}

// String returns the text parameter name, "" when absent.
func (r *AIRequest) String(name string) string {
	switch v := r.Params[name].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// AIMedia is one generated image or video as ai-worker's Media describes
// it: where to get it (a URL, or a data URL), its seed and the NSFW flag.
type AIMedia struct {
	URL  string `json:"url"`
	Seed int64  `json:"seed"`
	NSFW bool   `json:"nsfw"`
}

// AIImageResponse is ai-worker's ImageResponse (text-to-image,
// image-to-image, upscale) and VideoResponse (image-to-video).
type AIImageResponse struct {
	Images []AIMedia `json:"images"`
}

// AIHTTPError is ai-worker's HTTPError body.
type AIHTTPError struct {
	Detail struct {
		Msg string `json:"msg"`
	} `json:"detail"`
}

// DataURL returns data as a data URL of type typ, base64-encoded, as
// ai-worker inlines images.
func DataURL(typ string, data []byte) string {
	return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// ParseDataURL decodes a base64 data URL; ok is false when u is not one.
func ParseDataURL(u string) (data []byte, typ string, ok bool, err error) {
	rest, found := strings.CutPrefix(u, "data:")
	if !found {
		return nil, "", false, nil
	}
	meta, payload, found := strings.Cut(rest, ",")
	if !found || !strings.HasSuffix(meta, ";base64") {
		return nil, "", true, errors.New("data URL is not base64")
	}
	data, err = base64.StdEncoding.DecodeString(payload)
	return data, strings.TrimSuffix(meta, ";base64"), true, err
}
