package web_test

import (
	"testing"

	"github.com/podiumhq/podium"
)

func newStore(t *testing.T) podium.StatsStore {
	t.Helper()
	return &memStore{}
}
