package main

import (
	"github.com/podiumhq/podium"
)

// loadSecret returns the HMAC secret shared with the senders of stats, as
// configure resolved it: from --secret-file, else $PODIUM_SECRET_FILE, else
// $PODIUM_SECRET, else the config file's secret_file or secret. An empty
// secret is refused, since anyone could then post.
func (m *Main) loadSecret() ([]byte, error) {
	if s := m.setting("secret"); s != "" {
		return []byte(s), nil
	}
	return nil, &podium.Error{Code: podium.EINVALID, Message: "no secret to sign stats posts with",
		Hint: "set PODIUM_SECRET=<secret>, PODIUM_SECRET_FILE=FILE or --secret-file FILE (the same secret the probers use)"}
}
