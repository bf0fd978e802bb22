package sqlite

import (
	"context"
	"log/slog"
)

// OpenWithoutPacker opens path as Open does: no packer runs until
// StartPacker, so tests choose when cells are sealed.
func OpenWithoutPacker(ctx context.Context, path string) (*DB, error) {
	return Open(ctx, path, slog.New(slog.DiscardHandler))
}
