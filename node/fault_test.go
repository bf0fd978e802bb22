package node

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium/lpnet"
)

func TestParseFault(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Fault
	}{
		{"", Fault{}},
		{"none", Fault{}},
		{"slow=1.5s", Fault{Kind: FaultSlow, Delay: 1500 * time.Millisecond}},
		{"flaky=0.25", Fault{Kind: FaultFlaky, Fraction: 0.25}},
		{"mirror", Fault{Kind: FaultMirror}},
		{"drop-rendition", Fault{Kind: FaultDrop}},
		{"impersonate=0x00000000000000000000000000000000000000A1", Fault{Kind: FaultImpersonate, Address: common.HexToAddress("0xa1")}},
		{"copy-source", Fault{Kind: FaultCopy}},
		{"upscale", Fault{Kind: FaultUpscale}},
		{"grayscale", Fault{Kind: FaultGray}},
		{"reorder", Fault{Kind: FaultReorder}},
		{"watermark", Fault{Kind: FaultMark}},
		{"overclaim=2", Fault{Kind: FaultOverclaim, Sessions: 2}},
	} {
		t.Run("OK"+tt.in, func(t *testing.T) {
			got, err := ParseFault(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseFault(%q) = %+v, %v", tt.in, got, err)
			}
			if back, _ := ParseFault(got.String()); back != got {
				t.Fatalf("String does not round-trip: %q", got.String())
			}
		})
	}
	for _, in := range []string{"slow", "slow=-1s", "slow=fast", "flaky=0", "flaky=2", "flaky", "black=1", "reorder=2", "purple", "impersonate", "impersonate=0x12", "impersonate=bob", "overclaim", "overclaim=0", "overclaim=x"} {
		t.Run("Err"+in, func(t *testing.T) {
			if _, err := ParseFault(in); err == nil {
				t.Fatalf("ParseFault(%q) accepted", in)
			}
		})
	}
}

// TestOrchestrator_Faults checks that each fault mode does what it says,
// against an honest transcode of the same segment where that is the
// comparison.
func TestOrchestrator_Faults(t *testing.T) {
	loadSegments(t)
	t.Parallel()
	p144 := ladder(t, "P144p30fps16x9")
	honest, err := transcode(t, startOrchestrator(t, &Orchestrator{}), 0, segA, p144)
	if err != nil {
		t.Fatal(err)
	}
	honestThumbs := thumbs(t, honest.Renditions[0].Data)
	if d := diff(honestThumbs[0], honestThumbs[len(honestThumbs)-1]); d < 2 {
		t.Fatalf("test input does not move (first/last frame differ by %.2f)", d)
	}
	start := func(t *testing.T, fault string) string {
		t.Helper()
		f, err := ParseFault(fault)
		if err != nil {
			t.Fatal(err)
		}
		return startOrchestrator(t, &Orchestrator{Fault: f, Seed: 7})
	}
	one := func(t *testing.T, fault string) lpnet.Rendition {
		t.Helper()
		res, err := transcode(t, start(t, fault), 0, segA, p144)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Renditions) != 1 || res.Renditions[0].Err != nil {
			t.Fatalf("renditions: %+v", res.Renditions)
		}
		return res.Renditions[0]
	}

	t.Run("Slow", func(t *testing.T) {
		t.Parallel()
		res, err := transcode(t, start(t, "slow=1500ms"), 0, segA, p144)
		if err != nil {
			t.Fatal(err)
		}
		if res.Transcode < 1500*time.Millisecond {
			t.Fatalf("transcode phase %v, want at least the 1.5 s delay", res.Transcode)
		}
		if p := probe(t, res.Renditions[0].Data); p.Width != 256 {
			t.Fatalf("slow rendition is not a real transcode: %+v", p)
		}
	})
	t.Run("Flaky", func(t *testing.T) {
		t.Parallel()
		uri := start(t, "flaky=0.5")
		var failed, ok int
		for seq := int64(0); seq < 4; seq++ {
			_, err := transcode(t, uri, seq, segA, p144)
			want := draw(7, "test", seq, "flaky") < 0.5
			if got := err != nil; got != want {
				t.Fatalf("seq %d: failed=%v, the seeded draw says %v (err %v)", seq, got, want, err)
			}
			if err != nil {
				failed++
				if lpnet.ErrorCode(err) != lpnet.CodeTranscode {
					t.Fatalf("seq %d: code %q, want Transcode", seq, lpnet.ErrorCode(err))
				}
			} else {
				ok++
			}
		}
		if failed == 0 || ok == 0 {
			t.Fatalf("seed 7 gives %d failures and %d successes in 4; pick a seed that shows both", failed, ok)
		}
	})
	t.Run("Stale", func(t *testing.T) {
		t.Parallel()
		uri := start(t, "stale")
		first, err := transcode(t, uri, 0, segA, p144)
		if err != nil {
			t.Fatal(err)
		}
		second, err := transcode(t, uri, 1, segB, p144)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Renditions[0].Data, second.Renditions[0].Data) {
			t.Fatal("segment 1 did not get segment 0's rendition")
		}
		if diff(thumbs(t, second.Renditions[0].Data)[0], thumbs(t, segB)[0]) < 10 {
			t.Fatal("stale rendition looks like its own source")
		}
	})
	t.Run("Black", func(t *testing.T) {
		t.Parallel()
		for i, f := range thumbs(t, one(t, "black").Data) {
			if maxByte(f) > 20 {
				t.Fatalf("frame %d is not black (max luma %d)", i, maxByte(f))
			}
		}
	})
	t.Run("Frozen", func(t *testing.T) {
		t.Parallel()
		fs := thumbs(t, one(t, "frozen").Data)
		if len(fs) < 55 {
			t.Fatalf("%d frames, want the segment's 60", len(fs))
		}
		if d := diff(fs[0], fs[len(fs)-1]); d > 1 {
			t.Fatalf("first and last frames differ by %.2f; not frozen", d)
		}
		if d := diff(fs[0], honestThumbs[0]); d > 3 {
			t.Fatalf("frozen picture is not the source's first frame (diff %.2f)", d)
		}
	})
	t.Run("Mirror", func(t *testing.T) {
		t.Parallel()
		m := thumbs(t, one(t, "mirror").Data)[10]
		h := honestThumbs[10]
		if straight, flipped := diff(m, h), diff(flip(m), h); flipped > 3 || straight < 3*flipped+5 {
			t.Fatalf("not a mirror image: diff %.2f as is, %.2f flipped back", straight, flipped)
		}
	})
	t.Run("WrongSize", func(t *testing.T) {
		t.Parallel()
		if p := probe(t, one(t, "wrong-size").Data); p.Width != 192 || p.Height != 108 {
			t.Fatalf("got %dx%d, want 3/4 of 256x144 = 192x108", p.Width, p.Height)
		}
	})
	t.Run("DropRendition", func(t *testing.T) {
		t.Parallel()
		two := ladder(t, "P240p30fps16x9", "P144p30fps16x9")
		res, err := transcode(t, start(t, "drop-rendition"), 0, segA, two)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Renditions) != 1 {
			t.Fatalf("%d renditions, want 1 of 2", len(res.Renditions))
		}
		kept := 1 - int(draw(7, "test", 0, "drop")*2)
		if p := probe(t, res.Renditions[0].Data); p.Width != int(two[kept].Width) {
			t.Fatalf("kept a %d-wide rendition, the seeded draw keeps %s", p.Width, two[kept].Name)
		}
	})
	t.Run("Error", func(t *testing.T) {
		t.Parallel()
		_, err := transcode(t, start(t, "error"), 0, segA, p144)
		if lpnet.ErrorCode(err) != lpnet.CodeTranscode || !strings.Contains(err.Error(), "fault: error") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Capped", func(t *testing.T) {
		t.Parallel()
		_, err := newClient().GetOrchestrator(timeout(t), start(t, "capped"))
		if lpnet.ErrorCode(err) != lpnet.CodeCapped {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Garbage", func(t *testing.T) {
		t.Parallel()
		r := one(t, "garbage")
		if len(r.Data) != len(honest.Renditions[0].Data) {
			t.Fatalf("garbage is %d bytes, the honest rendition %d", len(r.Data), len(honest.Renditions[0].Data))
		}
		if r.Data[0] == 0x47 && r.Data[188] == 0x47 {
			t.Fatal("garbage still has MPEG-TS sync bytes")
		}
	})
}

func maxByte(b []byte) byte {
	var m byte
	for _, v := range b {
		m = max(m, v)
	}
	return m
}
