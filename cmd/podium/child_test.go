package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveChild is a `podium serve` running as a child process (the test
// binary with TestServeChild selected), so a test can SIGKILL it.
type serveChild struct {
	URL string
	cmd *exec.Cmd

	mu     sync.Mutex
	stderr strings.Builder // everything the child logged
	done   chan struct{}
}

// startServeChild starts `podium serve --listen 127.0.0.1:0 args…` with env added
// and waits until it listens. The child is killed when the test ends.
func startServeChild(t *testing.T, env []string, args ...string) *serveChild {
	t.Helper()
	argv := append([]string{"-test.run=^TestServeChild$", "--", "serve", "--listen", "127.0.0.1:0"}, args...)
	c := &serveChild{cmd: exec.Command(os.Args[0], argv...), done: make(chan struct{})}
	c.cmd.Env = append(append(os.Environ(), "PODIUM_TEST_CHILD=1"), env...)
	pipe, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.kill)
	addr := make(chan string, 1)
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	select {
	case a := <-addr:
		c.URL = "http://" + a
	case <-c.done:
		t.Fatalf("podium serve exited before listening:\n%s", c.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("podium serve did not listen in 30 s:\n%s", c.log())
	}
	return c
}

// kill sends SIGKILL and waits for the child to be gone.
func (c *serveChild) kill() {
	if c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Kill()
	<-c.done
	c.cmd.Wait()
}

// log is what the child wrote to stderr so far.
func (c *serveChild) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// getBody GETs url and returns its status and body.
func getBody(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, b
}
