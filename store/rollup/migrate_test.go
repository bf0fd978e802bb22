package rollup_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/podiumhq/podium/store/rollup"
)

// memMigrations records migrations in memory; a body "fail" fails.
type memMigrations struct {
	applied []string
	ran     []string // bodies, in order
}

func (m *memMigrations) Applied(_ context.Context, name string) (bool, error) {
	for _, n := range m.applied {
		if n == name {
			return true, nil
		}
	}
	return false, nil
}

func (m *memMigrations) Apply(_ context.Context, name, body string) error {
	if body == "fail" {
		return errors.New("syntax error")
	}
	m.ran = append(m.ran, body)
	m.applied = append(m.applied, name)
	return nil
}

func (m *memMigrations) inTx(_ context.Context, f func(rollup.MigrationTx) error) error { return f(m) }

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"0002_b.sql": {Data: []byte("b")},
		"0001_a.sql": {Data: []byte("a")},
		"README":     {Data: []byte("not a migration")},
	}
	t.Run("OK", func(t *testing.T) {
		m := &memMigrations{applied: []string{"0001_a.sql"}}
		var logged []string
		for range 2 { // the second run finds nothing to do
			if err := rollup.Migrate(ctx, fsys, m.inTx, func(name string) { logged = append(logged, name) }); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(m.ran, []string{"b"}) || !reflect.DeepEqual(logged, []string{"0002_b.sql"}) {
			t.Fatalf("ran %q, logged %q", m.ran, logged)
		}
	})
	t.Run("ErrMigration", func(t *testing.T) {
		m := &memMigrations{}
		fsys := fstest.MapFS{"0001_a.sql": {Data: []byte("a")}, "0002_bad.sql": {Data: []byte("fail")}, "0003_c.sql": {Data: []byte("c")}}
		err := rollup.Migrate(ctx, fsys, m.inTx, func(string) {})
		if err == nil || !strings.Contains(err.Error(), "migration 0002_bad.sql: syntax error") {
			t.Fatalf("err %v", err)
		}
		if !reflect.DeepEqual(m.ran, []string{"a"}) {
			t.Fatalf("ran %q: a failed migration must stop the later ones", m.ran)
		}
	})
}
