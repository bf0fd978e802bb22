package sqlite_test

import (
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/storetest"
)

func TestCapacityStore(t *testing.T) {
	storetest.RunCapacity(t, func(t *testing.T) podium.CapacityStore { return open(t) })
}
