// Package media makes podium's test segments and judges the renditions an
// orchestrator returns for them.
//
// A test segment is 2 s of 30 fps H.264 + AAC in MPEG-TS whose picture and
// audio tone are seeded by a per-segment nonce, with a frame code (sync bits,
// the nonce, the frame index and check bits) drawn in big high-contrast blocks
// into every frame, so it survives downscaling to 256×144 and low bitrates.
// When a segment is made its Fingerprint is taken once (container facts,
// small gray thumbnails, the decoded frame codes), so verification never
// decodes the source again.
//
// Verify judges one rendition in layers: container checks in pure Go (tracks,
// codec, dimensions per the profile rule, fps, duration, frame count, first
// PTS), then content checks on frames decoded by ffmpeg at low resolution
// (black, frozen, frame code, perceptual distance with an alignment search,
// mirrored). Every failure carries a named Reason and the measured values.
package media
