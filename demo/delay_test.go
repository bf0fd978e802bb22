package demo

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"
)

// echo serves an echo server on loopback until the test ends.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

func TestDelayProxy_Start(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		const delay = 60 * time.Millisecond
		p := &DelayProxy{Target: echo(t), Delay: delay}
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		msg := bytes.Repeat([]byte("podium "), 20000) // several chunks
		for range 2 {
			start := time.Now()
			go c.Write(msg)
			got := make([]byte, len(msg))
			if _, err := io.ReadFull(c, got); err != nil {
				t.Fatal(err)
			}
			rtt := time.Since(start)
			if !bytes.Equal(got, msg) {
				t.Fatal("bytes changed on the way")
			}
			if rtt < 2*delay {
				t.Fatalf("round trip %s, want at least twice the delay %s", rtt, delay)
			}
		}
	})
	t.Run("ErrTargetDown", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		target := ln.Addr().String()
		ln.Close()
		p := &DelayProxy{Target: target, Delay: time.Millisecond}
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err == nil || n != 0 {
			t.Fatalf("read %d bytes, err %v; want the connection closed", n, err)
		}
	})
	t.Run("CloseEndsConnections", func(t *testing.T) {
		p := &DelayProxy{Target: echo(t), Delay: time.Millisecond}
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("x"))
		io.ReadFull(c, make([]byte, 1))
		p.Close() // must not hang on the open connection
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Fatal("connection still open after Close")
		}
	})
}
