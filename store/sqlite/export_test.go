package sqlite

import (
	"context"
	"log/slog"
)

// OpenWithoutPacker opens path without the background packer, so that tests
// choose when cells are sealed.
func OpenWithoutPacker(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, slog.New(slog.DiscardHandler), false)
}
