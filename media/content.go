package media

import "math"

// checkContent runs the content layer on the rendition's decoded gray
// frames: black, frozen, the frame code (when the source has one), then the
// perceptual distance to the source with an alignment search.
func (v *Verifier) checkContent(vd *Verdict, src *Fingerprint, c *comparison) {
	frames := c.gray
	lim := v.limits()
	cm := &ContentMeasures{DecodedFrames: len(frames), SourceActivity: round3(src.activity),
		SourceSpread: round3(src.spread), SelfDistance: round3(src.selfDist), MaxDistance: lim.MaxDistance}
	vd.Measured.Content = cm
	if len(frames) == 0 {
		vd.fail(reasonf(Undecodable, "ffmpeg decoded no frames"))
		return
	}
	w, h := src.DecodeWidth, src.DecodeHeight
	r := halve(frames, w, h)
	mean, spread := r.luma()
	cm.MeanLuma, cm.Spread, cm.Activity = round3(mean), round3(spread), round3(r.activity())

	// Distances first: every verdict reports them.
	cm.Distance, cm.BestDistance = math.Inf(1), math.Inf(1)
	edges := 0
	for off := -lim.MaxShift; off <= lim.MaxShift; off++ {
		d, ok := distance(r, src.thumbs, off, false)
		if !ok {
			continue
		}
		if off == 0 {
			cm.Distance = d
		}
		if off == -lim.MaxShift || off == lim.MaxShift {
			cm.EdgeDistance += d
			edges++
		}
		if d < cm.BestDistance {
			cm.BestDistance, cm.BestOffset = d, off
		}
	}
	cm.MirroredDistance, _ = distance(r, src.thumbs, 0, true)
	if edges > 0 {
		cm.EdgeDistance = round3(cm.EdgeDistance / float64(edges))
	}
	// Too few frames to compare counts as the largest distance there is.
	cm.Distance, cm.BestDistance = min(cm.Distance, 255), min(cm.BestDistance, 255)
	cm.Distance, cm.BestDistance = round3(cm.Distance), round3(cm.BestDistance)
	cm.MirroredDistance = round3(cm.MirroredDistance)

	fm := measureFidelity(src, c)
	vd.Measured.Fidelity = fm
	if fm.InvertedRatio <= lim.MaxInvertedRatio && fm.InvertedRatio*cm.Distance < cm.MirroredDistance {
		// Before the frame code, which does not read inverted.
		vd.fail(reasonf(WrongColour, "the picture is the source's inverted: %.2f× closer to the inverted source than to the source (limit %.2f)",
			fm.InvertedRatio, lim.MaxInvertedRatio))
		return
	}
	if err := v.judgeContent(src, r, frames, cm, fm, &vd.Measured); err != nil {
		vd.fail(err)
		return
	}
	if err := v.judgeFidelity(fm); err != nil {
		vd.fail(err)
		return
	}
	if src.sound != nil {
		am := measureAudio(src.sound, c.audio)
		vd.Measured.Audio = am
		if err := v.judgeAudio(am); err != nil {
			vd.fail(err)
		}
	}
}

func (v *Verifier) judgeContent(src *Fingerprint, r thumbs, frames [][]byte, cm *ContentMeasures, fm *FidelityMeasures, m *Measured) *ReasonError {
	lim := v.limits()
	if cm.MeanLuma < lim.BlackLuma && cm.Spread < 4 && src.spread >= 8 {
		return reasonf(Black, "mean gray %.1f with no detail (spread %.1f, the source's %.1f)",
			cm.MeanLuma, cm.Spread, src.spread)
	}
	if src.activity >= lim.MinActivity && cm.Activity < lim.FrozenRatio*src.activity {
		return reasonf(Frozen, "activity %.2f, the source's %.2f", cm.Activity, src.activity)
	}
	if m.NeededBitrate > 0 && m.Container.Bitrate < lim.MinBitrateShare*m.NeededBitrate {
		// After black and frozen, which also make few bits.
		return reasonf(LowBitrate, "video at %.0f kbit/s, %.0f%% of the %.0f kbit/s this rendition needs (the profile's, or the source's bitrate scaled to this size if less); limit %.0f%%",
			m.Container.Bitrate/1000, 100*m.Container.Bitrate/m.NeededBitrate, m.NeededBitrate/1000, 100*lim.MinBitrateShare)
	}
	if fm.MisplacedFrames > lim.MaxMisplaced && float64(fm.CommonOffsetFrames) < lim.ShiftShare*float64(len(frames)) {
		// Before the frame codes (which a cheat can paste back in order)
		// and the shift search, which expects all frames off the same way.
		return reasonf(FrameMismatch, "%d frames (the first: frame %d) show another source frame better than their own (limit %d), not all off the same way",
			fm.MisplacedFrames, fm.FirstMisplaced, lim.MaxMisplaced)
	}
	if src.Nonce != 0 {
		if err := v.judgeCodes(src, frames, cm); err != nil {
			return err
		}
	}
	if cm.BestOffset != 0 && cm.BestDistance <= lim.MaxDistance &&
		(cm.Distance > lim.MaxDistance || cm.BestDistance < lim.ShiftGain*cm.Distance) {
		return reasonf(Shifted, "best match %+d frames off (distance %.2f, %.2f in place)",
			cm.BestOffset, cm.BestDistance, cm.Distance)
	}
	if cm.Distance > lim.MinMirrorDistance && cm.MirroredDistance < lim.MirrorGain*cm.Distance {
		return reasonf(Mirrored, "distance %.2f, %.2f to the source flipped", cm.Distance, cm.MirroredDistance)
	}
	if cm.Distance > lim.MaxDistance {
		return reasonf(ContentMismatch, "distance %.2f to the source, limit %.2f", cm.Distance, lim.MaxDistance)
	}
	if src.selfDist >= lim.MinSelfDistance && cm.Distance > lim.RelativeDistance*cm.EdgeDistance {
		return reasonf(ContentMismatch, "distance %.2f to the source in place, %.2f at ±%d frames: no match in time",
			cm.Distance, cm.EdgeDistance, lim.MaxShift)
	}
	return nil
}

// judgeCodes reads the frame code of every frame: it must carry the
// source's nonce and count 0, 1, 2, … like the source.
func (v *Verifier) judgeCodes(src *Fingerprint, frames [][]byte, cm *ContentMeasures) *ReasonError {
	lim := v.limits()
	w, h := src.DecodeWidth, src.DecodeHeight
	cm.ExpectedNonce = src.Nonce
	codes := make([]Code, len(frames))
	valid := make([]bool, len(frames))
	nonces := map[uint32]int{}
	for i, f := range frames {
		codes[i], valid[i] = readCode(f, w, h, false)
		if valid[i] {
			cm.CodesRead++
			nonces[codes[i].Nonce]++
		}
		if _, ok := readCode(f, w, h, true); ok {
			cm.MirroredCodes++
		}
	}
	need := int(math.Ceil(lim.MinCodes * float64(len(frames))))
	if cm.CodesRead < need {
		if cm.MirroredCodes >= need {
			return reasonf(Mirrored, "frame codes read only when flipped (%d of %d frames)", cm.MirroredCodes, len(frames))
		}
		if cm.CodesRead == 0 {
			return reasonf(ContentMismatch, "no frame code in any of %d frames", len(frames))
		}
	}
	for n, count := range nonces {
		if count > nonces[cm.Nonce] {
			cm.Nonce = n
		}
	}
	if cm.Nonce != src.Nonce {
		return reasonf(WrongNonce, "frame codes carry nonce %d, want %d", cm.Nonce, src.Nonce)
	}
	// The offset most frames agree on: not 0 means the rendition shows the
	// right frames early or late; frames off it mean a gap or a repeat.
	offsets := map[int]int{}
	for i, c := range codes {
		if valid[i] {
			offsets[c.Index-i]++
		}
	}
	offset := 0
	for o, n := range offsets {
		if n > offsets[offset] || (n == offsets[offset] && abs(o) < abs(offset)) {
			offset = o
		}
	}
	cm.FirstIndex = offset
	if offset != 0 {
		return reasonf(Shifted, "frame codes run %+d frames from the source's", offset)
	}
	for i, c := range codes {
		if valid[i] && (c.Nonce != src.Nonce || c.Index != i) {
			return reasonf(FrameCounterGap, "frame %d shows index %d (nonce %d), want %d", i, c.Index, c.Nonce, i)
		}
	}
	if cm.CodesRead < need {
		return reasonf(FrameCounterGap, "frame code unreadable in %d of %d frames", len(frames)-cm.CodesRead, len(frames))
	}
	return nil
}
