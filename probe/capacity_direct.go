package probe

import "github.com/podiumhq/podium/lpnet"

// Advertised implements Advertiser: the sessions the orchestrator's
// capabilities advertise.
func (s *directSession) Advertised() int { return lpnet.AdvertisedCapacity(s.info) }
