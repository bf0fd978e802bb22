package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"testing"

	"github.com/podiumhq/podium/lpnet"
)

// TestAIRequestFields checks each pipeline's request carries ai-worker's
// gateway fields (runner/gateway.openapi.yaml) under their names, in the
// body kind go-livepeer reads.
func TestAIRequestFields(t *testing.T) {
	for _, tc := range []struct {
		pipeline string
		fields   []string // besides the model id
		file     string   // the upload's field; "" for a JSON body
	}{
		{lpnet.PipelineTextToImage, []string{"prompt", "width", "height"}, ""},
		{lpnet.PipelineImageToImage, []string{"prompt"}, "image"},
		{lpnet.PipelineImageToVideo, []string{"width", "height", "fps"}, "image"},
		{lpnet.PipelineUpscale, []string{"prompt"}, "image"},
		{lpnet.PipelineAudioToText, []string{"return_timestamps"}, "audio"},
		{lpnet.PipelineLLM, []string{"messages", "max_tokens", "stream"}, ""},
		{lpnet.PipelineTextToSpeech, []string{"text"}, ""},
		{lpnet.PipelineImageToText, []string{"prompt"}, "image"},
	} {
		t.Run(tc.pipeline, func(t *testing.T) {
			req, _, err := aiInputs[tc.pipeline](9)
			if err != nil {
				t.Fatal(err)
			}
			req.Model = "org/model"
			body, typ, err := req.Encode()
			if err != nil {
				t.Fatal(err)
			}
			model := "model_id"
			if tc.pipeline == lpnet.PipelineLLM {
				model = "model"
			}
			got := map[string]bool{}
			if tc.file == "" {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil || typ != "application/json" {
					t.Fatalf("%s body %.100s: %v", typ, body, err)
				}
				for k := range m {
					got[k] = true
				}
			} else {
				_, params, _ := mime.ParseMediaType(typ)
				mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
				for {
					p, err := mr.NextPart()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					got[p.FormName()] = true
				}
			}
			for _, f := range append(tc.fields, model, tc.file) {
				if f != "" && !got[f] {
					t.Errorf("no field %s in %v", f, got)
				}
			}
		})
	}
}

// TestTextAnswerChecks checks the answers of the pipelines that answer
// text or audio.
func TestTextAnswerChecks(t *testing.T) {
	audio := lpnet.DataURL("audio/wav", testClip(1))
	fetch := func(_ context.Context, u string) ([]byte, error) {
		if u == "https://o/empty.wav" {
			return nil, nil
		}
		return testClip(2), nil
	}
	for _, tc := range []struct {
		pipeline, body, code string
	}{
		{lpnet.PipelineLLM, `{"choices":[{"index":0,"message":{"role":"assistant","content":"Teal."}}]}`, ""},
		{lpnet.PipelineLLM, `{"choices":[]}`, CodeAIBadOutput},
		{lpnet.PipelineLLM, `{"choices":[{"index":0,"message":{"role":"assistant","content":""}}]}`, CodeAIBadOutput},
		{lpnet.PipelineLLM, `data: {"choices":[]}`, CodeAIBadOutput},
		{lpnet.PipelineImageToText, `{"text":"a red disc on a gradient"}`, ""},
		{lpnet.PipelineImageToText, `{"text":""}`, CodeAIBadOutput},
		{lpnet.PipelineTextToSpeech, `{"audio":{"url":"` + audio + `"}}`, ""},
		{lpnet.PipelineTextToSpeech, `{"audio":{"url":"https://o/a.wav"}}`, ""},
		{lpnet.PipelineTextToSpeech, `{"audio":{"url":"https://o/empty.wav"}}`, CodeAIBadOutput},
		{lpnet.PipelineTextToSpeech, `{"audio":{}}`, CodeAIBadOutput},
	} {
		t.Run(tc.pipeline, func(t *testing.T) {
			_, check, err := aiInputs[tc.pipeline](3)
			if err != nil {
				t.Fatal(err)
			}
			err = check(context.Background(), []byte(tc.body), fetch)
			if got := Classify(err); got != tc.code {
				t.Errorf("%s: err %v (%q), want %q", tc.body, err, got, tc.code)
			}
		})
	}
}
