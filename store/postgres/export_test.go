package postgres

import (
	"context"
	"log/slog"
)

// OpenWithoutPacker opens dsn as Open does: no packer runs until
// StartPacker, so tests choose when cells are sealed.
func OpenWithoutPacker(ctx context.Context, dsn string) (*DB, error) {
	return Open(ctx, dsn, slog.New(slog.DiscardHandler))
}

// SetSealPage makes Pack read n cells at a time until the test ends.
func SetSealPage(t interface{ Cleanup(func()) }, n int) {
	old := sealPage
	sealPage = n
	t.Cleanup(func() { sealPage = old })
}
