// Package probe is podium's regional prober: it tests orchestrators by sending
// them unique test segments in real time, verifies every rendition that comes
// back, times each phase and turns each test into one podium.Stats record,
// which it spools to disk and posts to the leaderboard.
//
// The parts, one per file: a Transport reaches an orchestrator (directly over
// the Livepeer protocol, or through a broadcaster the prober pins to it); a
// Tester runs one test; a Scheduler runs cycles of tests with bounded
// concurrency; its canary alone decides when the prober itself is at fault; a
// Sender posts records through a disk Spool so none is ever lost.
package probe
