package probe

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/podiumhq/podium/lpnet"
)

// Shape of the audio-to-text input clip.
const (
	aiAudioRate    = 16000 // Hz, what speech models resample to anyway
	aiAudioSeconds = 2
)

// testClip is a mono 16-bit PCM WAV of aiAudioSeconds no orchestrator has
// seen: a few tones gliding in pitch under a little noise. It is not
// speech: podium has no recorded voice to send, so audio-to-text answers
// are checked for their shape only (audioToTextInput).
func testClip(seed int64) []byte {
	r := rand.New(rand.NewPCG(uint64(seed), 0xa2))
	n := aiAudioRate * aiAudioSeconds
	var f0, f1 [3]float64
	for k := range f0 {
		f0[k], f1[k] = 150+r.Float64()*600, 150+r.Float64()*600
	}
	data := make([]byte, 2*n)
	var phase [3]float64
	for i := range n {
		t := float64(i) / float64(n)
		v := 0.0
		for k := range phase {
			phase[k] += 2 * math.Pi * (f0[k] + (f1[k]-f0[k])*t) / aiAudioRate
			v += math.Sin(phase[k]) / 4
		}
		v += (r.Float64() - 0.5) / 20
		binary.LittleEndian.PutUint16(data[2*i:], uint16(int16(v*math.MaxInt16)))
	}
	h := make([]byte, 44)
	copy(h, "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+len(data)))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)            // fmt chunk size
	binary.LittleEndian.PutUint16(h[20:], 1)             // PCM
	binary.LittleEndian.PutUint16(h[22:], 1)             // mono
	binary.LittleEndian.PutUint32(h[24:], aiAudioRate)   // sample rate
	binary.LittleEndian.PutUint32(h[28:], aiAudioRate*2) // byte rate
	binary.LittleEndian.PutUint16(h[32:], 2)             // block align
	binary.LittleEndian.PutUint16(h[34:], 16)            // bits per sample
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(len(data)))
	return append(h, data...)
}

// audioToTextInput sends testClip with timestamps asked for. The answer
// must be ai-worker's TextResponse: a text string and a list of chunks,
// each a text and a timestamp of at most two numbers (or nulls) that lie
// within the clip. What the text says is not checked: the clip holds no
// speech, so an honest model may hear nothing.
func audioToTextInput(seed int64) (*lpnet.AIRequest, aiCheck, error) {
	req := &lpnet.AIRequest{Pipeline: lpnet.PipelineAudioToText, Params: map[string]any{"return_timestamps": "true"}, File: testClip(seed)}
	check := func(_ context.Context, body []byte, _ fetchFunc) error {
		var r struct {
			Text   *string `json:"text"`
			Chunks *[]struct {
				Text      *string    `json:"text"`
				Timestamp []*float64 `json:"timestamp"`
			} `json:"chunks"`
		}
		if err := json.Unmarshal(body, &r); err != nil || r.Text == nil || r.Chunks == nil {
			return Errorc(CodeAIBadOutput, fmt.Errorf("answer is not a TextResponse with text and chunks: %.200s", body))
		}
		for i, c := range *r.Chunks {
			if c.Text == nil || len(c.Timestamp) > 2 {
				return Errorc(CodeAIBadOutput, fmt.Errorf("chunk %d is not a text with a [start, end] timestamp: %.200s", i, body))
			}
			for _, ts := range c.Timestamp {
				if ts != nil && (*ts < 0 || *ts > aiAudioSeconds+1 || math.IsNaN(*ts)) {
					return Errorc(CodeAIBadOutput, fmt.Errorf("chunk %d has timestamp %g s in a %d s clip", i, *ts, aiAudioSeconds))
				}
			}
		}
		return nil
	}
	return req, check, nil
}
