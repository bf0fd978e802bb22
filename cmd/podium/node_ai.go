package main

import (
	"log/slog"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/node"
)

// nodeAI is the AI worker of `podium node orchestrator`: none unless --ai
// or --ai-fault is given, else upscale, text-to-image, image-to-image and image-to-video
// (node.AIWorker) misbehaving as --ai-fault says. No worker is not an
// error: the node then transcodes only.
func nodeAI(enabled bool, fault string, seed int64, threads int, log *slog.Logger) (*node.AIWorker, error) {
	if !enabled && fault == "" {
		return nil, nil
	}
	f, err := node.ParseAIFault(fault)
	if err != nil {
		return nil, podium.FieldError("--ai-fault", "%v", err)
	}
	return &node.AIWorker{Fault: f, Seed: seed, FFmpeg: &node.FFmpeg{Threads: threads}, Logger: log}, nil
}
