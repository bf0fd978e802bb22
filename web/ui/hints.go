package ui

import (
	"strings"

	"github.com/podiumhq/podium"
)

// hint explains a kind of failure to the operator and says what to check.
type hint struct {
	Title string
	Text  string
	Codes []string // the error codes seen that led to it
}

// hintRules map error codes, by case-insensitive substring, to a likely
// cause. The first rule that matches a code claims it.
var hintRules = []struct {
	match []string
	title string
	text  string
}{
	{[]string{"verificationfailed"}, "Renditions did not match the source",
		"The video that came back was not a faithful transcode of the test segment (stale, shifted, blank, frozen, resized or foreign content). Check the transcoder: its GPU driver and build, and that nothing caches or rewrites output. Verification failures make an orchestrator ineligible for rewards."},
	{[]string{"timeout", "deadline", "connect", "dial", "refused", "unreachable", "tls", "eof", "noorchestrator", "getorchestrator", "discovery", "network"}, "Service URI unreachable or too slow",
		"The prober could not reach the orchestrator, or it answered too late. Check that the service URI registered on chain is current and publicly reachable (TLS on its port, firewall, NAT), and that the node and its transcoders are running."},
	{[]string{"price", "ticket", "payment", "maxprice"}, "Price too high",
		"The broadcaster would not pay the price per pixel quoted. Check -pricePerUnit (and -pixelsPerUnit) against the price the testers accept."},
	{[]string{"capped", "busy", "capacity", "maxsessions", "transcoderbusy"}, "At capacity",
		"The orchestrator refused the session as full (OrchestratorCapped / OrchestratorBusy). Raise -maxSessions if the hardware allows, or add transcoders."},
	{[]string{"upload"}, "Test segment refused",
		"The orchestrator did not accept the test segment (POST /segment failed or was refused). Check the transcoder endpoint it advertises, and its price and ticket settings."},
	{[]string{"missingrendition"}, "A rendition was missing",
		"The result lacked one of the requested profiles. Check that the transcoder supports every profile of the test (for example 720p, 360p and 240p at 30 fps)."},
	{[]string{"unknownresponse", "parseresponse", "readbody"}, "Unreadable answer",
		"The orchestrator's answer could not be read as a transcode result. Check that it runs a current go-livepeer release and that no proxy rewrites its responses."},
	{[]string{"transcode"}, "Transcoding failed",
		"The orchestrator accepted the segment but its transcoder failed. Check the transcoder's logs, its GPU and its ffmpeg build."},
	{[]string{"download", "rendition"}, "Renditions could not be downloaded",
		"The renditions' URLs did not answer. Check that the orchestrator serves its segment URLs from the public address it advertises."},
}

// hintsFor returns the hints for the errors of tests, in rule order; codes
// that no rule knows get a generic hint.
func hintsFor(tests []podium.Stats) []hint {
	seen := map[string]bool{}
	var codes []string
	for _, t := range tests {
		for _, e := range t.Errors {
			if !seen[e.ErrorCode] {
				seen[e.ErrorCode] = true
				codes = append(codes, e.ErrorCode)
			}
		}
		if t.VerificationFailures > 0 && !seen[podium.ErrorCodeVerificationFailed] {
			seen[podium.ErrorCodeVerificationFailed] = true
			codes = append(codes, podium.ErrorCodeVerificationFailed)
		}
	}
	hints := make([]hint, len(hintRules))
	var other []string
next:
	for _, c := range codes {
		lc := strings.ToLower(c)
		for i, r := range hintRules {
			for _, m := range r.match {
				if strings.Contains(lc, m) {
					hints[i].Codes = append(hints[i].Codes, c)
					continue next
				}
			}
		}
		other = append(other, c)
	}
	var out []hint
	for i, r := range hintRules {
		if len(hints[i].Codes) > 0 {
			out = append(out, hint{Title: r.title, Text: r.text, Codes: hints[i].Codes})
		}
	}
	if len(other) > 0 {
		out = append(out, hint{Title: "Other errors", Text: "See the messages in the tests below; the orchestrator's own logs at the same time usually say more.", Codes: other})
	}
	return out
}
