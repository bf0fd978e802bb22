package media

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// memFile is a file in memory (memfd) that can be opened again, each time
// with its own offset, so several ffmpeg runs may read it at once.
type memFile struct{ f *os.File }

func newMemFile(name string) (*memFile, error) {
	fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("memfd %s: %w", name, err)
	}
	return &memFile{f: os.NewFile(uintptr(fd), name)}, nil
}

// writer is the file to write the content into, once.
func (m *memFile) writer() *os.File { return m.f }

// open returns a new descriptor of the file, reading from its start.
func (m *memFile) open() (*os.File, error) {
	return os.Open(fmt.Sprintf("/proc/self/fd/%d", m.f.Fd()))
}

// close frees the memory once no reader has it open.
func (m *memFile) close() error { return m.f.Close() }
