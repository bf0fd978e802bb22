package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"

	"github.com/podiumhq/podium"
)

// openInput opens path for reading, or stdin for "-". size is -1 when unknown.
func (m *Main) openInput(path string) (r io.Reader, size int64, closeFn func(), err error) {
	if path == "-" {
		return m.Stdin, -1, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, &podium.Error{Code: podium.EINVALID, Message: "cannot open input", Err: err,
			Hint: "give a JSON-lines file of stats records, or - for stdin"}
	}
	size = -1
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return f, size, func() { f.Close() }, nil
}

// readLines calls fn with each non-blank line of r (without its newline) and
// its 1-based number, until fn returns an error.
func readLines(r io.Reader, fn func(n int, line []byte) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(n, bytes.TrimRight(line, "\r\n")); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &podium.Error{Code: podium.EINVALID, Message: "reading input", Err: err}
		}
	}
}
