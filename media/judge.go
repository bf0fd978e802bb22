package media

// judgeFidelity decides on the fidelity measures, most specific first:
// inverted or discoloured, an overlay, frames out of place, then the
// overall PSNR (blurred, made small and scaled up, mangled).
func (v *Verifier) judgeFidelity(fm *FidelityMeasures) *ReasonError {
	lim := v.limits()
	if fm.Frames == 0 {
		return reasonf(Undecodable, "no frame to compare with the source")
	}
	if fm.SourceDetail >= lim.MinSourceDetail && fm.Detail < lim.MinDetail {
		return reasonf(LowFidelity, "fine detail %.0f%% of the source's at this size (limit %.0f%%): blurred, or made smaller and scaled up",
			100*fm.Detail, 100*lim.MinDetail)
	}
	if fm.WorstTile > lim.MaxTile {
		return reasonf(Overlay, "tile (%d,%d) of a 32×18 grid is %.1f gray levels off the source's over the segment (limit %.0f): something covers it",
			fm.WorstTileX, fm.WorstTileY, fm.WorstTile, lim.MaxTile)
	}
	lumaOK := fm.PSNR[0] >= lim.MinPSNR && fm.MinPSNR[0] >= lim.MinFramePSNR
	for p := 1; p <= 2; p++ {
		if lumaOK && (fm.PSNR[p] < lim.MinChromaPSNR || fm.MinPSNR[p] < lim.MinFrameChromaPSNR) {
			return reasonf(WrongColour, "%s PSNR %.2f dB (worst frame %d: %.2f dB) with luma at %.2f dB; limits %.1f and %.1f dB",
				planeName[p], fm.PSNR[p], fm.MinPSNRFrame[p], fm.MinPSNR[p], fm.PSNR[0], lim.MinChromaPSNR, lim.MinFrameChromaPSNR)
		}
	}
	if fm.MisplacedFrames > lim.MaxMisplaced {
		return reasonf(FrameMismatch, "%d frames (the first: frame %d) show another source frame better than their own (limit %d)",
			fm.MisplacedFrames, fm.FirstMisplaced, lim.MaxMisplaced)
	}
	for p := range 3 {
		mean, frame := lim.MinPSNR, lim.MinFramePSNR
		if p > 0 {
			mean, frame = lim.MinChromaPSNR, lim.MinFrameChromaPSNR
		}
		if fm.PSNR[p] < mean || fm.MinPSNR[p] < frame {
			return reasonf(LowFidelity, "%s PSNR %.2f dB, worst frame %d at %.2f dB; limits %.1f dB mean, %.1f dB a frame",
				planeName[p], fm.PSNR[p], fm.MinPSNRFrame[p], fm.MinPSNR[p], mean, frame)
		}
	}
	return nil
}

var planeName = [3]string{"Y", "U", "V"}

// judgeAudio decides whether the rendition's audio is the source's.
func (v *Verifier) judgeAudio(am *AudioMeasures) *ReasonError {
	lim := v.limits()
	gap := 1.0
	if am.SourceCrossings > 0 {
		gap = am.Crossings/am.SourceCrossings - 1
	}
	switch {
	case am.Loudness-am.SourceLoudness > lim.MaxLoudnessGap || am.SourceLoudness-am.Loudness > lim.MaxLoudnessGap:
		return reasonf(WrongAudio, "audio at %.1f dBFS, the source's at %.1f (limit ±%.0f dB)", am.Loudness, am.SourceLoudness, lim.MaxLoudnessGap)
	case gap > lim.MaxCrossingsGap || -gap > lim.MaxCrossingsGap:
		return reasonf(WrongAudio, "audio crosses zero %.0f times a second, the source %.0f (%+.1f%%, limit ±%.0f%%)",
			am.Crossings, am.SourceCrossings, 100*gap, 100*lim.MaxCrossingsGap)
	case am.envelopeOK && am.Envelope < lim.MinEnvelope:
		return reasonf(WrongAudio, "audio loudness follows the source's with correlation %.2f (limit %.2f)", am.Envelope, lim.MinEnvelope)
	}
	return nil
}
