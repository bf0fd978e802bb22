package probe

import (
	"strings"
	"testing"

	"github.com/podiumhq/podium/lpnet"
)

// TestAITester_Wants: the pipelines filter, and model ids an orchestrator
// could use to bloat or break records.
func TestAITester_Wants(t *testing.T) {
	all, some := &AITester{}, &AITester{Pipelines: []string{lpnet.PipelineUpscale}}
	for _, tc := range []struct {
		name      string
		m         lpnet.AIModel
		all, some bool
	}{
		{"OK", lpnet.AIModel{Pipeline: lpnet.PipelineUpscale, Model: "stabilityai/stable-diffusion-x4-upscaler"}, true, true},
		{"OKOtherPipeline", lpnet.AIModel{Pipeline: lpnet.PipelineLLM, Model: "meta-llama/Meta-Llama-3.1-8B-Instruct"}, true, false},
		{"ErrLongID", lpnet.AIModel{Pipeline: lpnet.PipelineUpscale, Model: strings.Repeat("m", MaxModelID+1)}, false, false},
		{"ErrControl", lpnet.AIModel{Pipeline: lpnet.PipelineUpscale, Model: "org/model\n"}, false, false},
	} {
		if got := all.wants(tc.m); got != tc.all {
			t.Errorf("%s: wants %v without a filter, want %v", tc.name, got, tc.all)
		}
		if got := some.wants(tc.m); got != tc.some {
			t.Errorf("%s: wants %v with the upscale filter, want %v", tc.name, got, tc.some)
		}
	}
	if got := inputParameters(&lpnet.AIRequest{Model: "m", Params: map[string]any{"prompt": strings.Repeat("é", MaxInputParameters)}}); len(got) > MaxInputParameters {
		t.Errorf("input parameters of %d bytes, want at most %d", len(got), MaxInputParameters)
	}
}
