package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/podiumhq/podium"
)

// ffmpegJob is one run of ffmpeg with any number of byte inputs and
// outputs passed as extra pipes (pipe:3, pipe:4, …), so nothing touches
// the disk and several renditions share one process start.
type ffmpegJob struct {
	path    string
	args    []string // before the inputs are known; inputs/outputs use fds
	stdin   io.Reader
	inputs  [][]byte
	outputs int
	// sizes, when set, is each output's expected size in bytes: reading
	// into a buffer of the right size saves growing (and faulting in) one
	// twice as large.
	sizes []int
	// files are further descriptors for the child, after the inputs and
	// outputs (fd(len(inputs)+outputs+k)); the caller opens and closes them.
	files []*os.File
}

// fd returns the descriptor number of extra file i in the child.
func fd(i int) string { return fmt.Sprintf("pipe:%d", 3+i) }

// run starts ffmpeg, feeds the inputs and returns stdout and each output.
// args may refer to input i as fd(i) and to output j as fd(len(inputs)+j).
func (j *ffmpegJob) run(ctx context.Context) (stdout []byte, outputs [][]byte, err error) {
	path := j.path
	if path == "" {
		path = "ffmpeg"
	}
	cmd := exec.CommandContext(ctx, path, j.args...)
	cmd.Env = ffmpegEnv()
	var stderr, out bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = j.stdin, &out, &stderr

	var parentEnds, childEnds []*os.File
	defer func() {
		for _, f := range append(parentEnds, childEnds...) {
			f.Close()
		}
	}()
	for range j.inputs {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, nil, err
		}
		childEnds, parentEnds = append(childEnds, r), append(parentEnds, w)
	}
	for range j.outputs {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, nil, err
		}
		childEnds, parentEnds = append(childEnds, w), append(parentEnds, r)
	}
	cmd.ExtraFiles = append(append([]*os.File(nil), childEnds...), j.files...)
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return nil, nil, podium.Errorf(podium.EUNAVAILABLE, "ffmpeg not found at %q", path).
				WithHint("install ffmpeg (apt-get install ffmpeg) or give its path")
		}
		return nil, nil, fmt.Errorf("start ffmpeg: %w", err)
	}
	for _, f := range childEnds {
		f.Close()
	}
	childEnds = nil

	done := make(chan struct{}, len(parentEnds))
	outputs = make([][]byte, j.outputs)
	for i, data := range j.inputs {
		go func(w *os.File, data []byte) {
			w.Write(data) // a short write means ffmpeg stopped reading; its exit says why
			w.Close()
			done <- struct{}{}
		}(parentEnds[i], data)
	}
	for i := range j.outputs {
		go func(r *os.File, i int) {
			outputs[i] = readAll(r, j.sizeHint(i))
			done <- struct{}{}
		}(parentEnds[len(j.inputs)+i], i)
	}
	for range parentEnds {
		<-done
	}
	parentEnds = nil
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, &ffmpegError{err: err, stderr: lastLines(stderr.String(), 3)}
	}
	return out.Bytes(), outputs, nil
}

// ffmpegError is ffmpeg failing on its input, with the end of its stderr.
type ffmpegError struct {
	err    error
	stderr string
}

func (e *ffmpegError) Error() string { return fmt.Sprintf("ffmpeg: %v: %s", e.err, e.stderr) }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

func (j *ffmpegJob) sizeHint(i int) int {
	if i < len(j.sizes) {
		return j.sizes[i]
	}
	return 0
}

// readAll reads r to its end into a buffer of size bytes (one more, so the
// end is seen without growing), or grows one when size is 0.
func readAll(r io.Reader, size int) []byte {
	if size <= 0 {
		b, _ := io.ReadAll(r)
		return b
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+1))
	buf.ReadFrom(r) // an error shows as a short output; ffmpeg's exit says why
	return buf.Bytes()
}
