package lpnet

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
)

func TestProfilesHex(t *testing.T) {
	// go-livepeer's table of profile ids (common/videoprofile_ids.go) lists
	// these keccak prefixes for the stock names.
	ps, err := LookupProfiles([]string{"P720p30fps16x9", "P360p30fps16x9", "P240p30fps16x9"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ProfilesHex(ps), "49d54ea9"+"93c717e7"+"c0a6517a"; got != want {
		t.Fatalf("ProfilesHex = %s, want %s", got, want)
	}
}

func TestFlatten(t *testing.T) {
	hash := bytes.Repeat([]byte{0xcd}, 32)
	p, _ := LookupProfile("P720p30fps16x9")
	got := Flatten([]byte("mid"), 258, hash, []*VideoProfile{p})
	var want []byte
	want = append(want, "mid"...)
	want = append(want, make([]byte, 30)...)
	want = append(want, 0x01, 0x02) // 258 big-endian in 32 bytes
	want = append(want, hash...)
	want = append(want, "49d54ea9"...)
	if !bytes.Equal(got, want) {
		t.Fatalf("Flatten:\n got % x\nwant % x", got, want)
	}
}

func TestNewSegData(t *testing.T) {
	s := NewSigner(KeyFromSeed(3))
	data := []byte("not really a segment")
	ladder, _ := LookupProfiles(DefaultLadder)
	tok := &AuthToken{Token: []byte{9}, SessionId: "sess", Expiration: 99}

	t.Run("OK", func(t *testing.T) {
		sd, err := NewSegData(s, "man", 4, data, 2000*time.Millisecond, ladder, tok)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sd.Hash, crypto.Keccak256(data)) || sd.Duration != 2000 || string(sd.Profiles) != "invalid" {
			t.Fatalf("unexpected SegData %v", sd)
		}
		if len(sd.FullProfiles) != 3 || len(sd.FullProfiles3) != 0 {
			t.Fatal("stock MPEG-TS profiles belong in fullProfiles")
		}
		if !VerifySig(s.Address(), Flatten(sd.ManifestId, sd.Seq, sd.Hash, ladder), sd.Sig) {
			t.Fatal("SegData signature does not verify over its flattened form")
		}
		hdr, err := EncodeHeader(sd)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeSegData(hdr)
		if err != nil || !proto.Equal(back, sd) {
			t.Fatalf("header round trip: %v", err)
		}
	})
	t.Run("OKProfileFields", func(t *testing.T) {
		mp4 := &VideoProfile{Name: "a", Width: 2, Height: 2, Format: VideoProfile_MP4}
		gop := &VideoProfile{Name: "b", Width: 2, Height: 2, Gop: 1000}
		sd, _ := NewSegData(s, "m", 1, data, time.Second, []*VideoProfile{mp4}, tok)
		if len(sd.FullProfiles2) != 1 {
			t.Fatal("an MP4 output belongs in fullProfiles2")
		}
		sd, _ = NewSegData(s, "m", 1, data, time.Second, []*VideoProfile{gop}, tok)
		if len(sd.FullProfiles3) != 1 {
			t.Fatal("a GOP belongs in fullProfiles3")
		}
		got, err := SegProfiles(sd)
		if err != nil || len(got) != 1 || got[0].Name != "b" {
			t.Fatalf("SegProfiles = %v, %v", got, err)
		}
	})
}

func TestDecodeSegData(t *testing.T) {
	t.Run("ErrNotBase64", func(t *testing.T) {
		if _, err := DecodeSegData("%%%"); !errors.Is(err, ErrSegEncoding) {
			t.Fatalf("err = %v, want ErrSegEncoding", err)
		}
	})
	t.Run("ErrNotProtobuf", func(t *testing.T) {
		if _, err := DecodeSegData(base64.StdEncoding.EncodeToString([]byte{0x0a, 0x05})); err == nil {
			t.Fatal("decoded a truncated message")
		}
	})
	t.Run("ErrUnknownProfile", func(t *testing.T) {
		sd := &SegData{FullProfiles: []*VideoProfile{{Name: "x", Format: 7}}}
		if _, err := SegProfiles(sd); !errors.Is(err, ErrProfileFormat) {
			t.Fatalf("err = %v, want ErrProfileFormat", err)
		}
		sd = &SegData{FullProfiles3: []*VideoProfile{{Name: "x", Encoder: 9}}}
		if _, err := SegProfiles(sd); !errors.Is(err, ErrProfileEncoder) {
			t.Fatalf("err = %v, want ErrProfileEncoder", err)
		}
	})
	t.Run("ErrDuration", func(t *testing.T) {
		if _, err := SegDuration(&SegData{Duration: -1}); !errors.Is(err, ErrDuration) {
			t.Fatalf("err = %v", err)
		}
		if d, err := SegDuration(&SegData{}); err != nil || d != 2*time.Second {
			t.Fatalf("unset duration = %v, %v; want 2s", d, err)
		}
	})
}

// FuzzSegData feeds arbitrary header values through everything an
// orchestrator does with a Livepeer-Segment header before it trusts it.
func FuzzSegData(f *testing.F) {
	s := NewSigner(KeyFromSeed(1))
	ladder, _ := LookupProfiles(DefaultLadder)
	sd, _ := NewSegData(s, "m", 1, []byte("x"), time.Second, ladder, &AuthToken{SessionId: "s"})
	hdr, _ := EncodeHeader(sd)
	f.Add(hdr)
	f.Add("")
	f.Add("CgFtEAU=")
	f.Add(base64.StdEncoding.EncodeToString([]byte{0x8a, 0x02, 0x04, 0x82, 0x01, 0x01, 0x50}))
	f.Fuzz(func(t *testing.T, header string) {
		sd, err := DecodeSegData(header)
		if err != nil {
			return
		}
		ps, err := SegProfiles(sd)
		if err != nil {
			return
		}
		_, _ = SegDuration(sd)
		VerifySig(common.BytesToAddress(sd.ManifestId), Flatten(sd.ManifestId, sd.Seq, sd.Hash, ps), sd.Sig)
		if _, err := EncodeHeader(sd); err != nil {
			t.Fatalf("re-encode of a decoded SegData failed: %v", err)
		}
	})
}
