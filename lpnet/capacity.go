package lpnet

// withCapacity sets the capacity of every transcoding capability of c to n sessions,
// as go-livepeer's orchestrator adds the capacity of the transcoders it
// has (core/capabilities.go AddCapacity). n ≤ 0 leaves c as it is: one
// session per capability, what a go-livepeer node says of its own
// transcoder.
func withCapacity(c *Capabilities, n int) *Capabilities {
	if n <= 0 {
		return c
	}
	for _, k := range transcoderCaps { // AI capabilities keep their models' capacities
		c.Capacities[uint32(k)] = uint32(n)
	}
	return c
}

// AdvertisedCapacity is the number of transcoding sessions info
// advertises: the capacity of H.264 decoding, the capability every
// transcoding job needs; 0 when info advertises none.
func AdvertisedCapacity(info *OrchestratorInfo) int {
	return int(info.GetCapabilities().GetCapacities()[capH264])
}
