package media

// GuessProfile picks the profile whose size the rendition has for this
// source, or else the one closest on the kept dimension (so the verdict
// explains the size it expected).
func GuessProfile(fp *Fingerprint, rendition []byte) Profile {
	best := Profiles[0]
	c, err := ParseTS(rendition)
	if err != nil || c.Width == 0 {
		return best
	}
	bestGap := -1
	for _, p := range Profiles {
		w, h := p.Size(fp.Container.Width, fp.Container.Height)
		gap := absInt(w-c.Width) + absInt(h-c.Height)
		if bestGap < 0 || gap < bestGap {
			best, bestGap = p, gap
		}
	}
	return best
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
