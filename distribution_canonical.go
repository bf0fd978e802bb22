package podium

// Canonical returns the distribution's canonical bytes.
func (d *Distribution) Canonical() ([]byte, error) { return CanonicalJSON(d) }

// ID returns the distribution's id: the SHA-256 of its canonical bytes.
func (d *Distribution) ID() (string, error) {
	b, err := d.Canonical()
	if err != nil {
		return "", err
	}
	return ContentID(b), nil
}

// ParseDistribution decodes a distribution file, refusing unknown fields.
func ParseDistribution(b []byte) (*Distribution, error) {
	var d Distribution
	if err := DecodeStrict(b, &d); err != nil {
		return nil, Errorf(EINVALID, "distribution: %w", err)
	}
	return &d, nil
}
