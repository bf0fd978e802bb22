package config

import (
	"net/url"
	"regexp"
	"strings"
)

// Redacted stands for a hidden part of a secret.
const Redacted = "***"

// kvPassword finds the password of a key=value database string
// ("host=db user=podium password=…").
var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// Redact returns v, a value of the given secret kind, as it may be shown:
// whole for no secret, with its password (and, for an address, its path
// and query) replaced by *** for a DSN or URL, *** for any other secret.
// What cannot be parsed is hidden whole.
func Redact(kind, v string) string {
	if kind == "" || v == "" {
		return v
	}
	switch kind {
	case SecretDSN:
		if !strings.Contains(v, "://") {
			if strings.Contains(strings.ToLower(v), "password") {
				return kvPassword.ReplaceAllString(v, "${1}"+Redacted)
			}
			return v // a SQLite path
		}
		u, err := url.Parse(v)
		if err != nil || u.Host == "" && u.User != nil {
			return Redacted
		}
		s := u.Scheme + "://"
		if u.User != nil {
			s += u.User.Username()
			if _, ok := u.User.Password(); ok {
				s += ":" + Redacted
			}
			s += "@"
		}
		s += u.Host + u.EscapedPath()
		if u.RawQuery != "" {
			s += "?" + redactQuery(u.RawQuery)
		}
		return s
	case SecretURL:
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return Redacted
		}
		s := u.Scheme + "://"
		if u.User != nil {
			s += Redacted + "@"
		}
		s += u.Host
		if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
			s += "/" + Redacted
		}
		return s
	}
	return Redacted
}

// redactQuery hides the values of the query parameters that may hold a
// secret (password, sslpassword, token, key, secret).
func redactQuery(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		lk := strings.ToLower(k)
		if ok && (strings.Contains(lk, "password") || strings.Contains(lk, "secret") ||
			strings.Contains(lk, "token") || strings.Contains(lk, "key")) {
			parts[i] = k + "=" + Redacted
		}
	}
	return strings.Join(parts, "&")
}
