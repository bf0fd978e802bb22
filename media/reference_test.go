package media

import (
	"context"
	"reflect"
	"testing"
)

// TestReference_Release: a generated segment keeps its references for
// every profile; they give the same verdict and measures as references made
// on first use, and after Release a verification still works (decoding the
// source again) without keeping anything.
func TestReference_Release(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	seg, err := (&Generator{}).Generate(ctx, 0x5eed0201)
	if err != nil {
		t.Fatal(err)
	}
	fp := seg.Fingerprint
	for _, p := range Profiles {
		w, h := p.Size(SegmentWidth, SegmentHeight)
		r := fp.lookup(refKey{w, h})
		if r == nil || len(r.detail) != SegmentFrames/detailEvery {
			t.Fatalf("%s: reference %+v, want one with %d detail frames", p.Name, r, SegmentFrames/detailEvery)
		}
	}
	p := P240p30fps16x9
	rend := transcode(t, seg.Data, p, encUltrafast, "")
	v := &Verifier{}
	kept, err := v.Verify(ctx, fp, rend, p)
	if err != nil || !kept.OK {
		t.Fatalf("with kept references: %v %+v", err, kept)
	}
	lazy, err := v.Fingerprint(ctx, seg.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(lazy.refs.m) != 0 {
		t.Fatalf("Fingerprint made %d references before any verification", len(lazy.refs.m))
	}
	made, err := v.Verify(ctx, lazy, rend, p)
	if err != nil || len(lazy.refs.m) != 1 {
		t.Fatalf("first use: %v, %d references kept, want 1", err, len(lazy.refs.m))
	}
	fp.Release()
	again, err := v.Verify(ctx, fp, rend, p)
	if err != nil || len(fp.refs.m) != 0 {
		t.Fatalf("after Release: %v, %d references kept, want 0", err, len(fp.refs.m))
	}
	for name, vd := range map[string]Verdict{"made on first use": made, "after Release": again} {
		if !reflect.DeepEqual(vd, kept) {
			t.Errorf("%s: %+v %+v\nwant %+v %+v", name, vd, vd.Measured.Fidelity, kept, kept.Measured.Fidelity)
		}
	}
	fp.Release() // twice is fine
}
