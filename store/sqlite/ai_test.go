package sqlite_test

import (
	"testing"

	"github.com/podiumhq/podium/store/storetest"
)

func TestAIStore(t *testing.T) {
	storetest.RunAI(t, func(t *testing.T) storetest.AIStatsStore { return open(t) })
}
