package postgres_test

import (
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/programtest"
	"github.com/podiumhq/podium/store/storetest"
)

func TestProgramStore(t *testing.T) {
	programtest.Run(t, func(t *testing.T) podium.ProgramStore {
		return open(t, storetest.FreshSchema(t, storetest.PostgresDSN(t)))
	})
}
