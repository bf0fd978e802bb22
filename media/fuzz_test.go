package media

import (
	"os"
	"testing"
	"time"
)

// FuzzParseTS checks that the container layer never panics or hangs on
// arbitrary bytes: it is the first thing an orchestrator's reply reaches.
func FuzzParseTS(f *testing.F) {
	data, err := os.ReadFile("testdata/tiny.ts")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:188*16])
	f.Add(data[:188*4])
	f.Add([]byte{0x47})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		tm := time.AfterFunc(10*time.Second, func() { panic("ParseTS hangs") })
		defer tm.Stop()
		c, err := ParseTS(b)
		if err == nil && (c.Frames == 0 || c.Width == 0) {
			t.Fatalf("no error but container %+v", c)
		}
	})
}
