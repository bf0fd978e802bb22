package podium

import (
	"regexp"
	"unicode/utf8"
)

// Limits on the fields of an AI test (Stats.IsAI).
const (
	MaxPipelineLen = 64
	MaxModelLen    = 256
	// MaxAIPayload bounds input_parameters and response_payload, each: a
	// longer one is stored truncated to at most this many bytes, on a UTF-8
	// character boundary (BoundAI). A real response can be far larger (an
	// image as base64); the leaderboard keeps it for people to read, and no
	// score depends on it.
	MaxAIPayload = 16 << 10
)

// pipelineRE and modelRE are the names a pipeline or a model may have:
// go-livepeer's pipeline names ("text-to-image") and Hugging Face model IDs
// ("ByteDance/SDXL-Lightning").
var (
	pipelineRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	modelRE    = regexp.MustCompile(`^[A-Za-z0-9._:/@+-]+$`)
)

// BoundAI truncates InputParameters and ResponsePayload to MaxAIPayload
// bytes each, on a UTF-8 boundary, and returns the JSON names of the
// fields it truncated (nil when none). Normalize calls it; a caller that
// must tell the sender what was cut calls it first.
func (s *Stats) BoundAI() []string {
	var cut []string
	for _, f := range []struct {
		name string
		v    *string
	}{
		{"input_parameters", &s.InputParameters},
		{"response_payload", &s.ResponsePayload},
	} {
		if len(*f.v) > MaxAIPayload {
			*f.v = truncateUTF8(*f.v, MaxAIPayload)
			cut = append(cut, f.name)
		}
	}
	return cut
}

// truncateUTF8 returns the longest prefix of s of at most n bytes that does
// not end inside a UTF-8 encoded character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	// Step back over continuation bytes to the start of the character
	// holding byte n; that character is cut whole.
	for i > 0 && i > n-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// normalizeAI checks the fields only an AI record has. The caller has
// checked the fields every record has.
func (s *Stats) normalizeAI() error {
	if len(s.Pipeline) > MaxPipelineLen || !pipelineRE.MatchString(s.Pipeline) {
		return FieldError("pipeline", "must be 1 to %d characters of letters, digits and . _ -", MaxPipelineLen)
	}
	if len(s.Model) > MaxModelLen || !modelRE.MatchString(s.Model) {
		return FieldError("model", "must be 1 to %d characters of letters, digits and . _ : / @ + -", MaxModelLen)
	}
	s.BoundAI()
	return nil
}
