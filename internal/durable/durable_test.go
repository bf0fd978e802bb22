package durable_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/podiumhq/podium/internal/durable"
)

func TestWriteFile(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		name := filepath.Join(dir, "f")
		for _, want := range []string{"a longer first version", "short"} { // truncates
			if err := durable.WriteFile(name, []byte(want)); err != nil {
				t.Fatal(err)
			}
			if got, err := os.ReadFile(name); err != nil || string(got) != want {
				t.Fatalf("read %q, %v; want %q", got, err, want)
			}
		}
		if err := durable.SyncDir(dir); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrNoDir", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "missing")
		if err := durable.WriteFile(filepath.Join(missing, "f"), nil); err == nil {
			t.Error("wrote into a directory that does not exist")
		}
		if err := durable.SyncDir(missing); err == nil {
			t.Error("synced a directory that does not exist")
		}
	})
}
