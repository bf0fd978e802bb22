package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/lpnet"
)

// Direct reaches orchestrators over the Livepeer protocol itself: gRPC
// GetOrchestrator over TLS on the service URI once per test, then each
// segment POSTed to the transcoder it names and the renditions fetched from
// their URLs. With a Payer on its Client it pays priced orchestrators with
// tickets, as a go-livepeer broadcaster does, and tests none whose price is
// over the Payer's cap; without one it suits orchestrators that accept
// unpaid test work.
type Direct struct {
	Client *lpnet.Client
}

// Open asks the orchestrator for its transcoder and credentials.
func (d *Direct) Open(ctx context.Context, o podium.Orchestrator, opts SessionOptions) (Session, error) {
	if o.ServiceURI == "" {
		return nil, Errorc(CodeUnreachable, fmt.Errorf("orchestrator %s has no service URI", o.Address))
	}
	profiles, err := lpnet.LookupProfiles(opts.Profiles)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = MinSegmentTimeout
	}
	gctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	info, err := d.Client.GetOrchestrator(gctx, o.ServiceURI)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, directError(err)
	}
	id, err := d.bind(o, info, opts)
	if err != nil {
		return nil, err
	}
	opts.Logger.Debug("orchestrator info", "transcoder", info.GetTranscoder(), "signer", id.Signer, "delegated", id.Delegated, "price", info.GetPriceInfo())
	if d.Client.Payer != nil {
		if err := d.Client.Payer.CheckPrice(info.GetPriceInfo()); err != nil {
			return nil, directError(err)
		}
	}
	return &directSession{c: d.Client, info: info, id: id, profiles: profiles, opts: opts}, nil
}

// bind ties the session to o's registry address, or, for a target whose
// address the prober does not know (its own canary), to whatever key the
// orchestrator names, so that its results are still checked against it.
func (d *Direct) bind(o podium.Orchestrator, info *lpnet.OrchestratorInfo, opts SessionOptions) (Identity, error) {
	if !opts.AnyIdentity {
		return BindIdentity(o.Address, info)
	}
	named := info.GetAddress()
	if len(named) == 0 {
		named = info.GetTicketParams().GetRecipient()
	}
	return BindIdentity(common.BytesToAddress(named).Hex(), info)
}

type directSession struct {
	c        *lpnet.Client
	info     *lpnet.OrchestratorInfo
	id       Identity
	profiles []*lpnet.VideoProfile
	opts     SessionOptions
}

// Close forgets the session's payments.
func (s *directSession) Close() error {
	if s.c.Payer != nil {
		s.c.Payer.EndSession(s.info)
	}
	return nil
}

// Cost implements PaidSession.
func (s *directSession) Cost() lpnet.Cost {
	if s.c.Payer == nil {
		return lpnet.Cost{}
	}
	return s.c.Payer.SessionCost(s.info)
}

// Identity returns how the orchestrator bound itself to its registry address.
func (s *directSession) Identity() Identity { return s.id }

// Send transcodes one segment and downloads its renditions.
func (s *directSession) Send(ctx context.Context, seg Segment) (Reply, error) {
	res, err := s.c.Transcode(ctx, s.info, lpnet.Segment{
		ManifestID: s.opts.ManifestID, Seq: int64(seg.Seq), Data: seg.Data,
		Duration: seg.Duration, Profiles: s.profiles,
	})
	if err != nil {
		return Reply{}, directError(err)
	}
	reply := Reply{Upload: res.Upload, Transcode: res.Transcode, Download: res.Download}
	for _, r := range res.Renditions {
		if r.Err != nil {
			// A rendition that could not be fetched fails the segment.
			return Reply{}, directError(r.Err)
		}
		if r.Profile == nil {
			return Reply{}, Errorc(CodeUnknownResponse, fmt.Errorf("segment %d: more renditions than profiles", seg.Seq))
		}
		reply.Renditions = append(reply.Renditions, Rendition{Profile: lpnet.ProfileName(r.Profile), Data: r.Data})
	}
	if err := CheckResultSig(s.id, res); err != nil {
		return Reply{}, err
	}
	return reply, nil
}

// directError maps an lpnet failure to a segment error code: lpnet's own
// (go-livepeer's words), except that a connection that never got through
// is Unreachable, which a cycle the prober is at fault in withholds.
func directError(err error) error {
	code := lpnet.ErrorCode(err)
	var le *lpnet.Error
	if errors.As(err, &le) && (code == lpnet.CodeDiscovery || code == lpnet.CodeUpload) && le.Status == 0 && unreachable(le.Err) {
		code = CodeUnreachable
	}
	if code == "" {
		code = Classify(err)
	}
	return Errorc(code, err)
}

// unreachable reports whether err says no connection was made. gRPC hands
// its status back as text ("Unavailable: connection error: …").
func unreachable(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) || errors.As(err, &dns) || strings.HasPrefix(err.Error(), "Unavailable:")
}
