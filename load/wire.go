package load

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// wire is one poster's keep-alive HTTP/1.1 connection, written and read in
// the poster's own goroutine. net/http's Transport hands each request to a
// write goroutine and each answer back from a read goroutine; on a 2-core
// machine shared with the server those hand-offs cost the client about as
// much CPU as the server's handler, so the load would measure the client.
// Both systems are posted to through it (see poster).
//
// A failed request closes the connection (the next one dials anew) and is
// not retried: it counts as an error, and its record is neither
// acknowledged nor, for the comparison of stored and acknowledged, assumed.
type wire struct {
	addr, host string
	timeout    time.Duration
	conn       net.Conn
	stop       func() bool // ends the context watch of conn
	br         *bufio.Reader
	bw         *bufio.Writer
	head       []byte // the request head being built, reused
}

func newWire(baseURL string, timeout time.Duration) (*wire, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("%s: the load generator speaks plain http on loopback only", baseURL)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &wire{addr: addr, host: u.Host, timeout: timeout}, nil
}

// header is one request header line's name and value.
type header struct{ name, value string }

// post sends body to path with headers and returns the answer's status and
// body (at most 1 MiB).
func (w *wire) post(ctx context.Context, path string, headers []header, body []byte) (int, []byte, error) {
	if err := w.connect(ctx); err != nil {
		return 0, nil, err
	}
	status, answer, keep, err := w.roundTrip(path, headers, body)
	if err != nil || !keep {
		w.close()
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return status, answer, err
}

func (w *wire) connect(ctx context.Context) error {
	if w.conn != nil {
		return nil
	}
	d := net.Dialer{Timeout: w.timeout}
	c, err := d.DialContext(ctx, "tcp", w.addr)
	if err != nil {
		return err
	}
	w.conn = c
	// A cancelled run unblocks a request in flight at once.
	w.stop = context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	if w.br == nil {
		w.br = bufio.NewReaderSize(c, 4096)
		w.bw = bufio.NewWriterSize(c, 4096)
	} else {
		w.br.Reset(c)
		w.bw.Reset(c)
	}
	return nil
}

func (w *wire) close() {
	if w.conn != nil {
		w.stop()
		w.conn.Close()
		w.conn = nil
	}
}

func (w *wire) roundTrip(path string, headers []header, body []byte) (status int, answer []byte, keep bool, err error) {
	if err := w.conn.SetDeadline(time.Now().Add(w.timeout)); err != nil {
		return 0, nil, false, err
	}
	h := append(w.head[:0], "POST "...)
	h = append(h, path...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	h = append(h, w.host...)
	h = append(h, "\r\nUser-Agent: podium-load\r\nContent-Length: "...)
	h = strconv.AppendInt(h, int64(len(body)), 10)
	for _, hd := range headers {
		h = append(h, "\r\n"...)
		h = append(h, hd.name...)
		h = append(h, ": "...)
		h = append(h, hd.value...)
	}
	h = append(h, "\r\n\r\n"...)
	w.head = h
	w.bw.Write(h)
	w.bw.Write(body)
	if err := w.bw.Flush(); err != nil {
		return 0, nil, false, fmt.Errorf("POST %s: %w", path, err)
	}
	resp, err := http.ReadResponse(w.br, nil)
	if err != nil {
		return 0, nil, false, fmt.Errorf("POST %s: reading the answer: %w", path, err)
	}
	answer, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return 0, nil, false, fmt.Errorf("POST %s: reading the answer: %w", path, err)
	}
	keep = !resp.Close && len(answer) < 1<<20 // a longer answer is not read to its end
	return resp.StatusCode, bytes.TrimSpace(answer), keep, nil
}
