package lpnet

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// AI capability numbers of go-livepeer (core/capabilities.go). Each AI
// pipeline is one capability; its models are constraints on it.
const (
	CapTextToImage  = 27
	CapImageToImage = 28
	CapImageToVideo = 29
	CapUpscale      = 30
	CapAudioToText  = 31
	CapLLM          = 33
	CapImageToText  = 34
	CapTextToSpeech = 36
)

// AI pipeline names: go-livepeer's route names (server/ai_http.go), also
// the pipeline field of an AI stats record.
const (
	PipelineTextToImage  = "text-to-image"
	PipelineImageToImage = "image-to-image"
	PipelineImageToVideo = "image-to-video"
	PipelineUpscale      = "upscale"
	PipelineAudioToText  = "audio-to-text"
	PipelineLLM          = "llm"
	PipelineImageToText  = "image-to-text"
	PipelineTextToSpeech = "text-to-speech"
)

// pipelineCaps maps each pipeline to its capability.
var pipelineCaps = map[string]uint32{
	PipelineTextToImage:  CapTextToImage,
	PipelineImageToImage: CapImageToImage,
	PipelineImageToVideo: CapImageToVideo,
	PipelineUpscale:      CapUpscale,
	PipelineAudioToText:  CapAudioToText,
	PipelineLLM:          CapLLM,
	PipelineImageToText:  CapImageToText,
	PipelineTextToSpeech: CapTextToSpeech,
}

// Pipelines returns the AI pipelines podium knows, sorted.
func Pipelines() []string { return slices.Sorted(maps.Keys(pipelineCaps)) }

// PipelineCapability returns the capability number of pipeline.
func PipelineCapability(pipeline string) (uint32, bool) {
	c, ok := pipelineCaps[pipeline]
	return c, ok
}

// CapabilityPipeline returns the pipeline of capability c.
func CapabilityPipeline(c uint32) (string, bool) {
	for p, n := range pipelineCaps {
		if n == c {
			return p, true
		}
	}
	return "", false
}

// AIModel is one model an orchestrator serves for one pipeline. Warm means
// loaded and ready; a cold model is loaded on its first request, which
// takes longer.
type AIModel struct {
	Pipeline string
	Model    string
	Warm     bool
	// Capacity is how many requests it takes at once.
	Capacity int
}

// gatewayDefaultCaps are the capabilities of go-livepeer's
// DefaultCapabilities that the transcoder does not offer (S3 and GCS
// storage, MPEG-7 signatures, segment slicing). A go-livepeer gateway asks
// for every default capability with each AI job, so an orchestrator that
// lacks one never gets AI work from it.
var gatewayDefaultCaps = []uint{5, 6, 14, 26}

// AICapabilities returns the transcoder's capabilities plus one capability
// per pipeline of models, with each model as a constraint of its
// capability, as a go-livepeer orchestrator with AI workers advertises
// them. A capability's capacity is the sum of its models'. The rest of
// go-livepeer's default capabilities are advertised too (see
// gatewayDefaultCaps), as every go-livepeer orchestrator does, so that
// go-livepeer gateways send AI jobs; they have no capacity.
func AICapabilities(models []AIModel) (*Capabilities, error) {
	caps := TranscoderCapabilities()
	bits := append(slices.Clone(transcoderCaps), gatewayDefaultCaps...)
	for _, m := range models {
		c, ok := pipelineCaps[m.Pipeline]
		if !ok {
			return nil, fmt.Errorf("unknown AI pipeline %q; known: %v", m.Pipeline, Pipelines())
		}
		if m.Model == "" {
			return nil, fmt.Errorf("pipeline %s: model id is empty", m.Pipeline)
		}
		if caps.Constraints == nil {
			caps.Constraints = &Capabilities_Constraints{PerCapability: map[uint32]*Capabilities_CapabilityConstraints{}}
		}
		cc := caps.Constraints.PerCapability[c]
		if cc == nil {
			cc = &Capabilities_CapabilityConstraints{Models: map[string]*Capabilities_CapabilityConstraints_ModelConstraint{}}
			caps.Constraints.PerCapability[c] = cc
			bits = append(bits, uint(c))
		}
		cc.Models[m.Model] = &Capabilities_CapabilityConstraints_ModelConstraint{Warm: m.Warm, Capacity: uint32(m.Capacity)}
		caps.Capacities[c] += uint32(m.Capacity)
	}
	caps.Bitstring = bitstring(bits)
	return caps, nil
}

// AIModels reads the pipelines and models that capabilities advertise:
// every model constraint of a capability whose bit is set and that podium
// knows as a pipeline, sorted by pipeline then model.
func AIModels(c *Capabilities) []AIModel {
	var out []AIModel
	for n, cc := range c.GetConstraints().GetPerCapability() {
		p, ok := CapabilityPipeline(n)
		if !ok || !hasBit(c.GetBitstring(), n) {
			continue
		}
		for id, mc := range cc.GetModels() {
			out = append(out, AIModel{Pipeline: p, Model: id, Warm: mc.GetWarm(), Capacity: int(mc.GetCapacity())})
		}
	}
	slices.SortFunc(out, func(a, b AIModel) int {
		return cmp.Or(cmp.Compare(a.Pipeline, b.Pipeline), cmp.Compare(a.Model, b.Model))
	})
	return out
}

// AIJobCapabilities is what a sender needs for one model of one pipeline,
// as a go-livepeer gateway asks for it: the auth token, the pipeline's
// capability, and the model as its constraint.
func AIJobCapabilities(pipeline, model string) (*Capabilities, error) {
	c, ok := pipelineCaps[pipeline]
	if !ok {
		return nil, fmt.Errorf("unknown AI pipeline %q; known: %v", pipeline, Pipelines())
	}
	return &Capabilities{
		Bitstring:  bitstring([]uint{capAuthToken, uint(c)}),
		Capacities: map[uint32]uint32{capAuthToken: 1, c: 1},
		Constraints: &Capabilities_Constraints{PerCapability: map[uint32]*Capabilities_CapabilityConstraints{
			c: {Models: map[string]*Capabilities_CapabilityConstraints_ModelConstraint{model: {}}}},
		},
	}, nil
}

// hasBit reports whether bit n is set in a bitstring.
func hasBit(words []uint64, n uint32) bool {
	return int(n/64) < len(words) && words[n/64]&(1<<(n%64)) != 0
}
