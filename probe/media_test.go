package probe_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
	"github.com/podiumhq/podium/media"
	"github.com/podiumhq/podium/node"
	"github.com/podiumhq/podium/probe"
)

// TestMediaVerifier_NodeFaults runs one real test segment through a
// reference orchestrator in each of the fault modes that return a cheaper
// dishonest transcode (issue 17), over the direct transport, with the real
// verifier and the stock ladder: the honest one passes, each fault fails
// verification with its own reason, named with its measured figure in the
// record's error message.
func TestMediaVerifier_NodeFaults(t *testing.T) {
	t.Parallel()
	seg, err := (&media.Generator{}).Generate(context.Background(), 0x17a11ce)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		fault  string
		reason media.Reason // "" for an honest node
	}{
		{"none", ""},
		{node.FaultCopy, media.SourceCopy},
		{node.FaultUpscale, media.LowFidelity},
		{node.FaultGray, media.WrongColour},
		{node.FaultReorder, media.FrameMismatch},
		{node.FaultMark, media.Overlay},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			t.Parallel()
			o := startFaultyNode(t, tc.fault, int64(100+i))
			tester := &probe.Tester{
				Region: "FRA", Segments: 1, SegDuration: seg.Duration, Profiles: lpnet.DefaultLadder,
				Source:   oneSegment{probe.Segment{Data: seg.Data, Duration: seg.Duration, Ref: seg.Fingerprint}},
				Verifier: probe.MediaVerifier{Verifier: &media.Verifier{}},
				Timeout:  time.Minute, Now: time.Now, Sleep: probe.Sleep,
			}
			tr := &probe.Direct{Client: lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(7)))}
			res, err := tester.Test(context.Background(), tr, o)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Stats
			if tc.reason == "" {
				if s.SuccessRate != 1 || s.VerificationFailures != 0 {
					t.Fatalf("honest node: %+v\n%s", s, res.Log)
				}
				return
			}
			if s.VerificationFailures == 0 || s.SuccessRate == 1 {
				t.Fatalf("fault %s passed verification: %+v\n%s", tc.fault, s, res.Log)
			}
			var msg string
			for _, e := range s.Errors {
				if e.ErrorCode == podium.ErrorCodeVerificationFailed {
					msg = e.Message
				}
			}
			if !strings.Contains(msg, ": "+string(tc.reason)+": ") {
				t.Fatalf("fault %s: error message %q, want reason %s\n%s", tc.fault, msg, tc.reason, res.Log)
			}
		})
	}
}

// oneSegment hands out the same segment: each subtest runs one test.
type oneSegment struct{ seg probe.Segment }

func (s oneSegment) Next(context.Context) (probe.Segment, error) { return s.seg, nil }

// startFaultyNode serves a reference orchestrator in a fault mode until the
// test ends.
func startFaultyNode(t *testing.T, fault string, seed int64) podium.Orchestrator {
	t.Helper()
	f, err := node.ParseFault(fault)
	if err != nil {
		t.Fatal(err)
	}
	signer := lpnet.NewSigner(lpnet.KeyFromSeed(seed))
	uri := startNode(t, &node.Orchestrator{Signer: signer, Fault: f, Seed: seed})
	return podium.Orchestrator{Address: strings.ToLower(signer.Address().Hex()), ServiceURI: uri}
}
