//go:build !linux

package media

import "os"

// memFile is a temporary file that can be opened again, each time with its
// own offset, so several ffmpeg runs may read it at once.
type memFile struct{ f *os.File }

func newMemFile(name string) (*memFile, error) {
	f, err := os.CreateTemp("", "podium-"+name+"-*")
	if err != nil {
		return nil, err
	}
	return &memFile{f: f}, nil
}

func (m *memFile) writer() *os.File { return m.f }

func (m *memFile) open() (*os.File, error) { return os.Open(m.f.Name()) }

func (m *memFile) close() error {
	m.f.Close()
	return os.Remove(m.f.Name())
}
