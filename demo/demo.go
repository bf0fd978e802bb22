// Package demo runs the whole program on one machine, in minutes: reference
// orchestrators of varied quality (one cheats) registered on a local dev
// chain, probers in three regions reaching them through real added network
// delay, the leaderboard and web UI on SQLite, one compressed round whose
// snapshot is taken on time, its rewards, results report and payout on the
// dev chain, and the verification of it all. `podium demo` runs it.
package demo

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/podiumhq/podium"
)

// Config says how to run the demo. Zero fields take the defaults of
// `podium demo`.
type Config struct {
	// Dir receives every file the demo writes; a fresh temporary directory
	// when empty.
	Dir string
	// Round is the round's length, which is also its snapshot window.
	Round time.Duration
	// Listen is the leaderboard and web UI's address.
	Listen string
	// Seed fixes the orchestrators' keys, fault decisions and test order.
	Seed int64
	// Orchestrators is how many reference orchestrators run, 6 to 10.
	Orchestrators int
	// Segments is the segments per test; Concurrency the tests a prober runs
	// at once; Pause the wait between a prober's cycles.
	Segments    int
	Concurrency int
	Pause       time.Duration
	// Threads bounds each transcode's ffmpeg threads (0: ffmpeg decides).
	Threads int
	// StatusEvery is the interval between progress lines.
	StatusEvery time.Duration
	// Exit returns once the round is paid and verified, instead of keeping
	// the web UI up until ctx ends.
	Exit bool

	// Out receives progress and the summary; Logger the components' logs
	// (demo.log in Dir when nil).
	Out    io.Writer
	Logger *slog.Logger
	Now    func() time.Time
}

// Defaults of `podium demo`.
const (
	DefaultRound         = 3 * time.Minute
	DefaultListen        = "127.0.0.1:8088"
	DefaultOrchestrators = 8
)

// withDefaults returns c with its zero fields set.
func (c Config) withDefaults() Config {
	if c.Round == 0 {
		c.Round = DefaultRound
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Orchestrators == 0 {
		c.Orchestrators = DefaultOrchestrators
	}
	if c.Segments == 0 {
		c.Segments = 2
	}
	if c.Concurrency == 0 {
		c.Concurrency = 1
	}
	if c.Pause == 0 {
		c.Pause = 2 * time.Second
	}
	if c.StatusEvery == 0 {
		c.StatusEvery = 10 * time.Second
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate names the first bad field and what to do about it.
func (c Config) Validate() error {
	switch {
	case c.Round < 30*time.Second:
		return podium.FieldError("--round", "%s is too short for a test cycle", c.Round).WithHint("use at least 30s; 3m shows more")
	case c.Round%time.Second != 0:
		return podium.FieldError("--round", "%s is not a whole number of seconds", c.Round)
	case c.Orchestrators < 6 || c.Orchestrators > 10:
		return podium.FieldError("--orchestrators", "must be 6 to 10, got %d", c.Orchestrators)
	case c.Segments < 1 || c.Segments > 15:
		return podium.FieldError("--segments", "must be 1 to 15, got %d", c.Segments)
	case c.Concurrency < 1:
		return podium.FieldError("--concurrency", "must be at least 1, got %d", c.Concurrency)
	}
	return nil
}

// prepareDir creates dir, or a fresh temporary directory when it is empty.
// A directory with an earlier demo's database in it is refused: the demo's
// round is new, and its records must not mix with an old run's.
func prepareDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "podium-demo-")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", podium.FieldError("--dir", "%v", err)
	}
	if _, err := os.Stat(dir + "/podium.db"); err == nil {
		return "", podium.FieldError("--dir", "%s already holds a demo's podium.db", dir).WithHint("pass an empty directory, or none for a fresh temporary one")
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", podium.FieldError("--dir", "%v", err)
	}
	return dir, nil
}

// newSecret returns a random leaderboard secret for the probers' posts.
func newSecret() ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return b, nil
}
