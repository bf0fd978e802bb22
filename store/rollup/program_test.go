package rollup_test

import (
	"context"
	"errors"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/rollup"
)

// memTables is a store's program tables in memory; err, when set, is what
// every statement returns.
type memTables struct {
	versions  map[string][]podium.ProgramVersion
	snapshots map[[2]any]podium.StoredSnapshot
	err       error
}

func newMemTables() *memTables {
	return &memTables{versions: map[string][]podium.ProgramVersion{}, snapshots: map[[2]any]podium.StoredSnapshot{}}
}

func (m *memTables) InsertVersion(_ context.Context, v podium.ProgramVersion, check func(int) error) error {
	if m.err != nil {
		return m.err
	}
	if err := check(len(m.versions[v.Program])); err != nil {
		return err
	}
	m.versions[v.Program] = append(m.versions[v.Program], v)
	return nil
}

func (m *memTables) Versions(_ context.Context, program string) ([]podium.ProgramVersion, error) {
	return m.versions[program], m.err
}

func (m *memTables) InsertSnapshot(_ context.Context, s podium.StoredSnapshot) (bool, error) {
	k := [2]any{s.Program, s.Round}
	if _, ok := m.snapshots[k]; ok || m.err != nil {
		return false, m.err
	}
	m.snapshots[k] = s
	return true, nil
}

func (m *memTables) Snapshot(_ context.Context, program string, round int) (podium.StoredSnapshot, bool, error) {
	s, ok := m.snapshots[[2]any{program, round}]
	return s, ok, m.err
}

func TestPrograms_PublishProgram(t *testing.T) {
	ctx := context.Background()
	v := podium.ProgramVersion{Program: "a", Version: 1, Hash: "h", Text: []byte("x")}
	t.Run("OK", func(t *testing.T) {
		p := rollup.NewPrograms(newMemTables())
		for i := 1; i <= 2; i++ {
			v.Version = i
			if _, err := p.PublishProgram(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		if vs, err := p.ProgramVersions(ctx, "a"); err != nil || len(vs) != 2 {
			t.Fatalf("versions %+v, err %v", vs, err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		p := rollup.NewPrograms(newMemTables())
		v.Version = 2
		_, err := p.PublishProgram(ctx, v)
		if podium.ErrorCode(err) != podium.ECONFLICT || err.Error() != "publish a: program a is at version 0; version 2 cannot be published" {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := rollup.NewPrograms(newMemTables()).ProgramVersions(ctx, "none")
		if podium.ErrorCode(err) != podium.ENOTFOUND || err.Error() != "program none was never published" {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrTables", func(t *testing.T) {
		m := newMemTables()
		m.err = errors.New("disk full")
		p := rollup.NewPrograms(m)
		v.Version = 1
		if _, err := p.PublishProgram(ctx, v); !errors.Is(err, m.err) {
			t.Errorf("publish: %v", err)
		}
		if _, err := p.ProgramVersions(ctx, "a"); !errors.Is(err, m.err) {
			t.Errorf("versions: %v", err)
		}
	})
}

func TestPrograms_SaveSnapshot(t *testing.T) {
	ctx := context.Background()
	s := podium.StoredSnapshot{Program: "a", Round: 1, ID: "sha256:1", Body: []byte("1")}
	t.Run("OK", func(t *testing.T) {
		p := rollup.NewPrograms(newMemTables())
		for range 2 { // the same snapshot again is a no-op
			if err := p.SaveSnapshot(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := p.Snapshot(ctx, "a", 1); err != nil || got.ID != s.ID {
			t.Fatalf("got %+v, err %v", got, err)
		}
	})
	t.Run("ErrFrozen", func(t *testing.T) {
		p := rollup.NewPrograms(newMemTables())
		if err := p.SaveSnapshot(ctx, s); err != nil {
			t.Fatal(err)
		}
		other := s
		other.ID = "sha256:2"
		err := p.SaveSnapshot(ctx, other)
		if podium.ErrorCode(err) != podium.ECONFLICT || err.Error() != "a round 1 already has snapshot sha256:1; a snapshot is frozen once stored" {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		got, err := rollup.NewPrograms(newMemTables()).Snapshot(ctx, "a", 9)
		if podium.ErrorCode(err) != podium.ENOTFOUND || err.Error() != "no snapshot of a round 9 is stored" {
			t.Fatalf("err %v", err)
		}
		if got.Program != "a" || got.Round != 9 {
			t.Fatalf("got %+v", got)
		}
	})
}
