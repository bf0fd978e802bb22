package postgres_test

import (
	"context"
	"testing"

	"github.com/podiumhq/podium/store/postgres"
	"github.com/podiumhq/podium/store/storetest"
)

// TestPacks runs the shared pack tests on stores without the background
// packer (none runs until StartPacker); Pack reads 7 cells a page, so
// blocks are cut across pages too.
func TestPacks(t *testing.T) {
	postgres.SetSealPage(t, 7)
	storetest.RunPacks(t, func(t *testing.T) storetest.Packer {
		db, err := postgres.Open(context.Background(), storetest.FreshSchema(t, storetest.PostgresDSN(t)), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
