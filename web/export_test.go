package web

import "time"

// SetTimeouts shortens the server's read timeouts so that tests of slow
// clients finish quickly; it must be called before Serve.
func SetTimeouts(s *Server, header, read time.Duration) {
	s.http.ReadHeaderTimeout = header
	s.http.ReadTimeout = read
}
