package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

// Bad flags are refused before anything starts; the full demo runs in the
// demo package's own test.
func TestDemoCmd_Flags(t *testing.T) {
	used := t.TempDir()
	if err := os.WriteFile(filepath.Join(used, "podium.db"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		args  []string
		field string
	}{
		{"ErrRound", []string{"--round", "5s"}, "--round"},
		{"ErrOrchestrators", []string{"--orchestrators", "3"}, "--orchestrators"},
		{"ErrSegments", []string{"--segments", "16"}, "--segments"},
		{"ErrDirUsed", []string{"--dir", used}, "--dir"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, time.Now(), append([]string{"demo", "--exit", "--listen", "127.0.0.1:0"}, tt.args...)...)
			var e *podium.Error
			if !errors.As(err, &e) || e.Field != tt.field {
				t.Fatalf("podium demo %v: %v, want an error on %s", tt.args, err, tt.field)
			}
		})
	}
}
