// Package programtest is the shared test suite of podium.ProgramStore: one
// body run against every backend.
package programtest

import (
	"context"
	"testing"
	"time"

	"github.com/podiumhq/podium"
)

// Opener returns a fresh, empty store for one test.
type Opener func(t *testing.T) podium.ProgramStore

// Run runs the suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	ctx := context.Background()
	at := time.Date(2020, 12, 12, 10, 0, 0, 123456000, time.UTC)
	t.Run("PublishProgram", func(t *testing.T) {
		t.Run("OK", func(t *testing.T) {
			st := open(t)
			for i, text := range []string{"program: a\n", "program: a # v2\n"} {
				v := podium.ProgramVersion{Program: "a", Version: i + 1, Hash: podium.ContentID([]byte(text)), PublishedAt: at.Add(time.Duration(i) * time.Hour), Text: []byte(text)}
				if _, err := st.PublishProgram(ctx, v); err != nil {
					t.Fatal(err)
				}
			}
			vs, err := st.ProgramVersions(ctx, "a")
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 2 || vs[1].Version != 2 || string(vs[1].Text) != "program: a # v2\n" || !vs[0].PublishedAt.Equal(at) || vs[0].Hash != podium.ContentID([]byte("program: a\n")) {
				t.Fatalf("versions %+v", vs)
			}
		})
		t.Run("ErrRace", func(t *testing.T) {
			st := open(t)
			v := podium.ProgramVersion{Program: "a", Version: 1, Hash: "h", PublishedAt: at, Text: []byte("x")}
			if _, err := st.PublishProgram(ctx, v); err != nil {
				t.Fatal(err)
			}
			if _, err := st.PublishProgram(ctx, v); podium.ErrorCode(err) != podium.ECONFLICT {
				t.Fatalf("second version 1: %v", err)
			}
			v.Version = 3
			if _, err := st.PublishProgram(ctx, v); podium.ErrorCode(err) != podium.ECONFLICT {
				t.Fatalf("version 3 after 1: %v", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := open(t).ProgramVersions(ctx, "none"); podium.ErrorCode(err) != podium.ENOTFOUND {
				t.Fatalf("err %v", err)
			}
		})
	})
	t.Run("SaveSnapshot", func(t *testing.T) {
		t.Run("OK", func(t *testing.T) {
			st := open(t)
			s := podium.StoredSnapshot{Program: "a", Round: 1, ID: podium.ContentID([]byte("{}\n")), TakenAt: at, Body: []byte("{}\n")}
			if err := st.SaveSnapshot(ctx, s); err != nil {
				t.Fatal(err)
			}
			if err := st.SaveSnapshot(ctx, s); err != nil {
				t.Fatalf("saving the same snapshot again: %v", err)
			}
			got, err := st.Snapshot(ctx, "a", 1)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != s.ID || string(got.Body) != "{}\n" || !got.TakenAt.Equal(at) {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("ErrFrozen", func(t *testing.T) {
			st := open(t)
			s := podium.StoredSnapshot{Program: "a", Round: 1, ID: "sha256:1", TakenAt: at, Body: []byte("1")}
			if err := st.SaveSnapshot(ctx, s); err != nil {
				t.Fatal(err)
			}
			s.ID, s.Body = "sha256:2", []byte("2")
			if err := st.SaveSnapshot(ctx, s); podium.ErrorCode(err) != podium.ECONFLICT {
				t.Fatalf("err %v", err)
			}
			if got, _ := st.Snapshot(ctx, "a", 1); string(got.Body) != "1" {
				t.Fatalf("stored snapshot changed: %q", got.Body)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := open(t).Snapshot(ctx, "a", 9); podium.ErrorCode(err) != podium.ENOTFOUND {
				t.Fatalf("err %v", err)
			}
		})
	})
	t.Run("TryLock", func(t *testing.T) {
		st := open(t)
		l, ok := st.(podium.Locker)
		if !ok {
			t.Fatal("the store is not a podium.Locker")
		}
		ran, err := l.TryLock(ctx, "job", func(ctx context.Context) error {
			inner, err := l.TryLock(ctx, "job", func(context.Context) error { return nil })
			if err != nil || inner {
				t.Errorf("the held lock was taken again: %v %v", inner, err)
			}
			other, err := l.TryLock(ctx, "other-job", func(context.Context) error { return nil })
			if err != nil || !other {
				t.Errorf("another lock was not free: %v %v", other, err)
			}
			return nil
		})
		if err != nil || !ran {
			t.Fatalf("ran %v err %v", ran, err)
		}
		if ran, err := l.TryLock(ctx, "job", func(context.Context) error { return nil }); err != nil || !ran {
			t.Fatalf("the lock was not released: %v %v", ran, err)
		}
	})
}
