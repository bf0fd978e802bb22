package podium

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// CanonicalJSON encodes v the one way podium hashes it: two-space indented,
// HTML characters unescaped, one trailing newline. v must have a fixed field
// order and sorted slices (every type podium hashes does), so equal values
// give equal bytes.
func CanonicalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, Errorf(EINTERNAL, "canonical json: %w", err)
	}
	return buf.Bytes(), nil
}

// ContentID returns the id of canonical bytes: "sha256:" and the hex digest.
func ContentID(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// DecodeStrict decodes JSON into v, refusing unknown fields and trailing data.
func DecodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(EINVALID, "decode json: %w", err)
	}
	if dec.More() {
		return Errorf(EINVALID, "decode json: trailing data after the document")
	}
	return nil
}
