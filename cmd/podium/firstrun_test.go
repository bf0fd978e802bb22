package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirstRun_NoFFmpeg runs `podium demo` and `podium probe --once` as a
// new user would without ffmpeg installed (a PATH without it): each stops
// at once, before starting anything, exits non-zero and says how to
// install it.
func TestFirstRun_NoFFmpeg(t *testing.T) {
	dir := t.TempDir()
	reg := writeRegistry(t, filepath.Join(dir, "r.csv"), nil)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"demo", []string{"demo", "--exit", "--listen", "127.0.0.1:0", "--dir", filepath.Join(dir, "demo")}},
		{"probe", []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://127.0.0.1:1", "--orchestrators", reg,
			"--spool", filepath.Join(dir, "spool")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestServeChild$", "--"}, tt.args...)...)
			cmd.Env = append(os.Environ(), "PODIUM_TEST_CHILD=1", "PODIUM_SECRET=s", "PATH="+t.TempDir(), "PODIUM_FFMPEG=")
			out, err := cmd.CombinedOutput()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() == 0 {
				t.Fatalf("podium %s without ffmpeg: %v, want a non-zero exit\n%s", tt.name, err, out)
			}
			for _, want := range []string{"ffmpeg not found on PATH", "apt-get install ffmpeg"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("podium %s without ffmpeg does not say %q:\n%s", tt.name, want, out)
				}
			}
			if strings.Contains(string(out), "dev chain") || strings.Contains(string(out), "[1/") {
				t.Errorf("podium %s started work before stopping:\n%s", tt.name, out)
			}
		})
	}
}

// TestProbe_DefaultSpool: without --spool the prober keeps its spool in the
// user's state directory (XDG), per region, never in the working
// directory, and says where.
func TestProbe_DefaultSpool(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	writeFile(t, bad, "address,uri\n") // fails after the spool is opened
	home, state := t.TempDir(), t.TempDir()
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"XDG_STATE_HOME", map[string]string{"PODIUM_SECRET": "s", "HOME": home, "XDG_STATE_HOME": state}, filepath.Join(state, "podium", "spool", "FRA")},
		{"HOME", map[string]string{"PODIUM_SECRET": "s", "HOME": home}, filepath.Join(home, ".local", "state", "podium", "spool", "FRA")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, _, stderr := testMain(t, tt.env)
			m.Run(context.Background(), []string{"probe", "--once", "--region", "fra", "--leaderboard", "http://127.0.0.1:1", "--orchestrators", bad})
			if fi, err := os.Stat(tt.want); err != nil || !fi.IsDir() {
				t.Errorf("spool %s: %v", tt.want, err)
			}
			if !strings.Contains(stderr.String(), "spool: "+tt.want) {
				t.Errorf("the prober does not say where its spool is:\n%s", stderr.String())
			}
		})
	}
	t.Run("ErrNoHome", func(t *testing.T) {
		m, _, _ := testMain(t, map[string]string{"PODIUM_SECRET": "s"})
		err := m.Run(context.Background(), []string{"probe", "--once", "--region", "FRA", "--leaderboard", "http://127.0.0.1:1", "--orchestrators", bad})
		if err == nil || !strings.Contains(err.Error(), "state directory") {
			t.Fatalf("err = %v, want one about the state directory", err)
		}
	})
}
