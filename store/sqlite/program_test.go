package sqlite_test

import (
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/store/programtest"
)

func TestProgramStore(t *testing.T) {
	programtest.Run(t, func(t *testing.T) podium.ProgramStore { return open(t) })
}
