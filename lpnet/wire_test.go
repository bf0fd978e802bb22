package lpnet

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

// unhex turns a spaced hex string into bytes.
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad vector %q: %v", s, err)
	}
	return b
}

// The vectors below are written out by hand from lp_rpc.proto: each field is
// its key (field number << 3 | wire type, as a varint) followed by its
// value. Wire types: 0 varint, 2 length-delimited.
var wireVectors = []struct {
	name string
	msg  proto.Message
	hex  string
}{
	{
		// 1 bytes {01 02}: key 0a; 2 string "ab": key 12; 3 int64 300: key 18, 300 = ac 02
		name: "AuthToken",
		msg:  &AuthToken{Token: []byte{1, 2}, SessionId: "ab", Expiration: 300},
		hex:  "0a 02 01 02  12 02 61 62  18 ac 02",
	},
	{
		// 1 bytes: 0a; 2 bytes: 12; 4 bool: 20
		name: "OrchestratorRequest",
		msg:  &OrchestratorRequest{Address: []byte{0x11, 0x22}, Sig: []byte{0x33}, IgnoreCapacityCheck: true},
		hex:  "0a 02 11 22  12 01 33  20 01",
	},
	{
		// 1 int64 1200 = b0 09; 2 int64 1
		name: "PriceInfo",
		msg:  &PriceInfo{PricePerUnit: 1200, PixelsPerUnit: 1},
		hex:  "08 b0 09  10 01",
	},
	{
		// 1 packed repeated uint64 [5]: key 0a, length 1; 3 map entry {1: key, 2: value}: key 1a
		name: "Capabilities",
		msg:  &Capabilities{Bitstring: []uint64{5}, Capacities: map[uint32]uint32{1: 2}},
		hex:  "0a 01 05  1a 04 08 01 10 02",
	},
	{
		// 16 string: key (16<<3|2)=130 = 82 01; 17 int32: 136 = 88 01, 640 = 80 05;
		// 18: 90 01, 360 = e8 02; 19: 98 01, 1200000 = 80 9f 49; 20 uint32: a0 01;
		// 21 enum MP4=1: a8 01; 24 int32 2000: c0 01, d0 0f
		name: "VideoProfile",
		msg:  &VideoProfile{Name: "P", Width: 640, Height: 360, Bitrate: 1200000, Fps: 30, Format: VideoProfile_MP4, Gop: 2000},
		hex:  "82 01 01 50  88 01 80 05  90 01 e8 02  98 01 80 9f 49  a0 01 1e  a8 01 01  c0 01 d0 0f",
	},
	{
		// 1 bytes "m"; 2 int64 5; 3 bytes aa; 6 int32 2000 = d0 0f; 8 AuthToken{2 "s"}: key 42;
		// 10 bool: key 50; 33 repeated VideoProfile: key (33<<3|2)=266 = 8a 02
		name: "SegData",
		msg: &SegData{
			ManifestId: []byte("m"), Seq: 5, Hash: []byte{0xaa}, Duration: 2000,
			AuthToken: &AuthToken{SessionId: "s"}, CalcPerceptualHash: true,
			FullProfiles: []*VideoProfile{{Name: "P"}},
		},
		hex: "0a 01 6d  10 05  1a 01 aa  30 d0 0f  42 03 12 01 73  50 01  8a 02 04 82 01 01 50",
	},
	{
		// a negative int64 is a 10-byte varint
		name: "SegDataNegativeSeq",
		msg:  &SegData{Seq: -1},
		hex:  "10 ff ff ff ff ff ff ff ff ff 01",
	},
	{
		// 1 int64 7; oneof 2 string "OrchestratorCapped" (18 bytes = 0x12)
		name: "TranscodeResultError",
		msg:  &TranscodeResult{Seq: 7, Result: &TranscodeResult_Error{Error: "OrchestratorCapped"}},
		hex:  "08 07  12 12 " + hex.EncodeToString([]byte("OrchestratorCapped")),
	},
	{
		// 3 TranscodeData{1 [TranscodedSegmentData{1 "u", 2 10}], 2 sig 01};
		// 16 OrchestratorInfo{1 "t"}: key 82 01. Go's encoder writes a oneof
		// after the plain fields; any field order is valid on the wire.
		name: "TranscodeResultData",
		msg: &TranscodeResult{Seq: 1, Result: &TranscodeResult_Data{Data: &TranscodeData{
			Segments: []*TranscodedSegmentData{{Url: "u", Pixels: 10}}, Sig: []byte{1},
		}}, Info: &OrchestratorInfo{Transcoder: "t"}},
		hex: "08 01  82 01 03 0a 01 74  1a 0a 0a 05 0a 01 75 10 0a 12 01 01",
	},
	{
		// 1 string; 3 PriceInfo: key 1a; 4 bytes: 22; 6 AuthToken{3 1}: 32; 34 repeated string: 92 02
		name: "OrchestratorInfo",
		msg: &OrchestratorInfo{Transcoder: "https://o", PriceInfo: &PriceInfo{PricePerUnit: 1, PixelsPerUnit: 1},
			Address: []byte{0xab}, AuthToken: &AuthToken{Expiration: 1}, Nodes: []string{"n"}},
		hex: "0a 09 " + hex.EncodeToString([]byte("https://o")) + "  1a 04 08 01 10 01  22 01 ab  32 02 18 01  92 02 01 6e",
	},
	{
		// 1 TicketParams{1 recipient 01, 2 face_value 02}; 2 sender 01; 5 PriceInfo{2, 3}: key 2a
		name: "Payment",
		msg: &Payment{TicketParams: &TicketParams{Recipient: []byte{1}, FaceValue: []byte{2}},
			Sender: []byte{1}, ExpectedPrice: &PriceInfo{PricePerUnit: 2, PixelsPerUnit: 3}},
		hex: "0a 06 0a 01 01 12 01 02  12 01 01  2a 04 08 02 10 03",
	},
}

func TestWire_Encode(t *testing.T) {
	for _, tt := range wireVectors {
		t.Run(tt.name, func(t *testing.T) {
			got, err := proto.MarshalOptions{Deterministic: true}.Marshal(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, tt.hex); !bytes.Equal(got, want) {
				t.Fatalf("encode:\n got % x\nwant % x", got, want)
			}
		})
	}
}

func TestWire_Decode(t *testing.T) {
	for _, tt := range wireVectors {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.msg.ProtoReflect().New().Interface()
			if err := proto.Unmarshal(unhex(t, tt.hex), got); err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(got, tt.msg) {
				t.Fatalf("decode: got %v, want %v", got, tt.msg)
			}
		})
	}
}

func TestWire_DecodeFieldOrder(t *testing.T) {
	// The same TranscodeResult with its fields in .proto order (oneof
	// before info), as other encoders write it.
	in := unhex(t, "08 01  1a 0a 0a 05 0a 01 75 10 0a 12 01 01  82 01 03 0a 01 74")
	var got TranscodeResult
	if err := proto.Unmarshal(in, &got); err != nil {
		t.Fatal(err)
	}
	if got.GetData().GetSegments()[0].GetUrl() != "u" || got.GetInfo().GetTranscoder() != "t" {
		t.Fatalf("decoded %v", &got)
	}
}

func TestWire_DecodeKeepsUnknownFields(t *testing.T) {
	// SegData field 32 (storage, an OSInfo podium leaves out) followed by
	// field 2: the known field decodes and the unknown one survives.
	in := unhex(t, "82 02 02 08 01  10 09")
	var sd SegData
	if err := proto.Unmarshal(in, &sd); err != nil {
		t.Fatal(err)
	}
	if sd.Seq != 9 {
		t.Fatalf("seq = %d, want 9", sd.Seq)
	}
	out, err := proto.Marshal(&sd)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, unhex(t, "82 02 02 08 01")) {
		t.Fatalf("unknown field lost: % x", out)
	}
}

func TestWire_DecodeErrors(t *testing.T) {
	for name, in := range map[string]string{
		"TruncatedLength": "0a 05 01",          // bytes field claims 5, has 1
		"TruncatedVarint": "10 ff",             // varint never ends
		"KeyWithoutValue": "0a",                // bytes field with no length
		"FieldZero":       "00 01",             // field number 0 is reserved
		"GroupWireType":   "0b",                // start group, never ended
		"BadMapEntry":     "3a 05 0a 03 12 01", // AuthToken nested, truncated
	} {
		t.Run("Err"+name, func(t *testing.T) {
			if err := proto.Unmarshal(unhex(t, in), &SegData{}); err == nil {
				t.Fatal("decoded malformed input without error")
			}
		})
	}
}
