package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/podiumhq/podium"
)

// loadSecret returns the HMAC secret shared with the senders of stats: from
// file when given, else from $PODIUM_SECRET_FILE, else from $PODIUM_SECRET.
// An empty secret is refused, since anyone could then post.
func (m *Main) loadSecret(file string) ([]byte, error) {
	if file == "" {
		file = m.Getenv("PODIUM_SECRET_FILE")
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "--secret-file", Message: "cannot be read", Err: err}
		}
		secret := strings.TrimRight(string(data), "\r\n")
		if secret == "" {
			return nil, &podium.Error{Code: podium.EINVALID, Field: "--secret-file", Message: fmt.Sprintf("%s is empty", file),
				Hint: "write the shared secret into the file, e.g. `openssl rand -hex 32 > " + file + "`"}
		}
		return []byte(secret), nil
	}
	if s := m.Getenv("PODIUM_SECRET"); s != "" {
		return []byte(s), nil
	}
	return nil, &podium.Error{Code: podium.EINVALID, Message: "no secret to sign stats posts with",
		Hint: "set PODIUM_SECRET=<secret> or pass --secret-file FILE (the same secret the probers use)"}
}
