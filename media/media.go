// Package media makes podium's test segments and judges the renditions an
// orchestrator returns for them.
//
// A test segment is 2 s of 30 fps H.264 + AAC in MPEG-TS whose picture and
// audio tone are seeded by a per-segment nonce, with a frame code (sync bits,
// the nonce, the frame index and check bits) drawn in big high-contrast blocks
// into every frame, so it survives downscaling to 256×144 and low bitrates.
// When a segment is made its Fingerprint is taken once (container facts,
// small gray thumbnails, the decoded frame codes) and, in the same decode,
// the source scaled to every profile's size is kept in memory files (about
// 115 MB a segment; Fingerprint.Release frees them), so verification never
// decodes the source again.
//
// Verify judges one rendition in layers: container checks in pure Go (tracks,
// codec, dimensions per the profile rule, fps, duration, frame count, first
// PTS), then content checks on frames decoded by ffmpeg at low resolution
// (black, frozen, frame code, perceptual distance with an alignment search,
// mirrored). Every failure carries a named Reason and the measured values.
//
// Use: a Pool hands out ready Segments (Get); send Segment.Data; judge what
// comes back with Verifier.VerifyAll(ctx, seg.Fingerprint, renditions), or
// VerifyBatch for renditions of several segments: one ffmpeg process for
// all of them, because starting ffmpeg costs as much CPU as decoding 720p.
// VerifyGroups does the same for several tests at once, keeping each
// test's verdicts independent of the others'.
// For a source podium did not make, Verifier.Fingerprint computes the
// fingerprint on the fly (no frame codes; the content layer then relies on
// the perceptual distance alone).
//
// A transcoder passes when it scales by go-livepeer's rule (Profile.Size),
// keeps every frame at the profile's frame rate, and keeps the first PTS
// within DefaultLimits.PTSSlack frames of the source's. ffmpeg's default
// timestamps, or -copyts with -muxdelay 0, both do that.
package media
