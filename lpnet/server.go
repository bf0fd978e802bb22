package lpnet

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/grpc"
)

// ErrOrchestratorCapped is the error an orchestrator at capacity answers
// with; its text is go-livepeer's.
var ErrOrchestratorCapped = errors.New("OrchestratorCapped")

// DefaultMaxSegSize is go-livepeer's limit on a segment body: five minutes
// at 8 Mb/s.
const DefaultMaxSegSize = 300 * 8_000_000 / 8

// DefaultTokenTTL is how long an auth token from GetOrchestrator is valid.
const DefaultTokenTTL = 30 * time.Minute

// Job is a segment whose credentials an orchestrator has checked.
type Job struct {
	SessionID  string
	ManifestID string
	Seq        int64
	Data       []byte
	Duration   time.Duration
	Profiles   []*VideoProfile
	Sender     common.Address
}

// Output is one rendition a Backend produced, already served at URL.
type Output struct {
	URL    string
	Pixels int64
	// Hash is the Keccak-256 of the rendition; the orchestrator signs the
	// concatenated hashes.
	Hash []byte
}

// Backend is the orchestrator behind a Server.
type Backend interface {
	// CheckCapacity returns ErrOrchestratorCapped when the session (""
	// for a new one) cannot be served now.
	CheckCapacity(sessionID string) error
	// Transcode transcodes job into its profiles, in order. An error
	// becomes the TranscodeResult's error text.
	Transcode(ctx context.Context, job *Job) ([]Output, error)
}

// Server is the orchestrator side of the protocol: gRPC GetOrchestrator and
// HTTPS POST /segment on one TLS port (HTTP/2 requests of type
// application/grpc go to gRPC), plus whatever Files serves.
type Server struct {
	Signer  *Signer
	Backend Backend
	// Recipient is the ticket recipient advertised, the on-chain address the
	// node works for; the Signer's address when zero. It differs when the
	// node's key is not the registered orchestrator's, as with go-livepeer's
	// -ethOrchAddr.
	Recipient common.Address
	// Address is advertised in OrchestratorInfo as the key that signs
	// results; the Signer's address when zero. An honest node never sets
	// it: only the reference node's impersonate fault does.
	Address common.Address
	// Price is advertised in OrchestratorInfo; nil means free.
	Price *PriceInfo
	// Capacity is the number of sessions advertised for each capability
	// (Capabilities.capacities); 0 advertises one, as go-livepeer does for
	// a node's own transcoder.
	Capacity int
	// Secret keys the auth tokens; random when nil.
	Secret []byte
	// ServiceURI is advertised as the transcoder URI; when empty, Serve
	// sets it to https://<listener address>.
	ServiceURI string
	// Files serves every path the protocol does not (renditions).
	Files      http.Handler
	MaxSegSize int
	TokenTTL   time.Duration
	// AllowUnsigned skips the sender signature checks, as an off-chain
	// go-livepeer orchestrator does, so that off-chain broadcasters (which
	// sign nothing) can use it. Auth tokens are still checked.
	AllowUnsigned bool
	// Payee, when set, makes the server paid: ticket parameters in
	// OrchestratorInfo, tickets taken with each segment, and work refused
	// on insufficient balance, as go-livepeer's on-chain orchestrator.
	Payee *Payee
	// AI, when set, serves AI requests on go-livepeer's routes and adds
	// its pipelines and models to the capabilities advertised.
	AI     AIBackend
	Now    func() time.Time
	Logger *slog.Logger

	once    sync.Once
	grpc    *grpc.Server
	mux     *http.ServeMux
	senders senders
}

func (s *Server) init() {
	s.once.Do(func() {
		if s.Secret == nil {
			s.Secret = make([]byte, 32)
			_, _ = rand.Read(s.Secret)
		}
		if s.MaxSegSize == 0 {
			s.MaxSegSize = DefaultMaxSegSize
		}
		if s.TokenTTL == 0 {
			s.TokenTTL = DefaultTokenTTL
		}
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.Logger == nil {
			s.Logger = slog.New(slog.DiscardHandler)
		}
		s.grpc = grpc.NewServer()
		RegisterOrchestratorServer(s.grpc, grpcOrchestrator{s: s})
		s.mux = http.NewServeMux()
		s.mux.HandleFunc("/segment", s.serveSegment)
		if s.AI != nil {
			for _, p := range Pipelines() {
				s.mux.HandleFunc("/"+p, s.serveAI(p))
			}
		}
		if s.Files != nil {
			s.mux.Handle("/", s.Files)
		}
	})
}

// ServeHTTP routes gRPC to the gRPC server and the rest to the HTTP routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.init()
	if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
		s.grpc.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Serve serves TLS on ln with a self-signed certificate until ctx is done.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.init()
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if s.ServiceURI == "" {
		s.ServiceURI = "https://" + ln.Addr().String()
	}
	cert, err := SelfSignedCert(s.Now(), host, "localhost", "127.0.0.1")
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       10 * time.Minute,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}},
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelDebug),
	}
	defer s.grpc.Stop()
	return ServeUntil(ctx, srv, ln, func() error { return srv.ServeTLS(ln, "", "") })
}

// info returns the OrchestratorInfo for sender with token. A paid server
// (Payee set) adds fresh ticket parameters for sender, and fails as
// go-livepeer does when it cannot make them (a sender without funds); an
// unpaid one sends none, as an off-chain go-livepeer orchestrator, except
// the recipient it works for when that is not its own key (-ethOrchAddr).
func (s *Server) info(sender common.Address, token *AuthToken) (*OrchestratorInfo, error) {
	addr := s.Signer.Address()
	if s.Address != (common.Address{}) {
		addr = s.Address
	}
	oi := &OrchestratorInfo{
		Transcoder:   s.ServiceURI,
		PriceInfo:    s.price(),
		Address:      addr.Bytes(),
		Capabilities: withCapacity(s.capabilities(), s.Capacity),
		AuthToken:    token,
	}
	switch {
	case s.Payee != nil:
		tp, err := s.Payee.ticketParams(sender, oi.PriceInfo)
		if err != nil {
			return nil, err
		}
		oi.TicketParams = tp
	case s.Recipient != (common.Address{}):
		oi.TicketParams = &TicketParams{Recipient: s.Recipient.Bytes()}
	}
	return oi, nil
}

// price is the advertised price, 0 wei per pixel when none is set.
func (s *Server) price() *PriceInfo {
	if s.Price == nil {
		return &PriceInfo{PricePerUnit: 0, PixelsPerUnit: 1}
	}
	return s.Price
}

// getOrchestrator checks the sender's signature and the capacity, then
// opens a session for the sender.
func (s *Server) getOrchestrator(req *OrchestratorRequest) (*OrchestratorInfo, error) {
	addr := common.BytesToAddress(req.GetAddress())
	if !s.AllowUnsigned && !VerifySig(addr, []byte(addr.Hex()), req.GetSig()) {
		s.Logger.Info("orchestrator request refused", "sender", addr.Hex(), "reason", "bad signature")
		//lint:ignore ST1005 go-livepeer's text, which its broadcasters match
		return nil, errors.New("Invalid orchestrator request: orchestrator req sig check failed")
	}
	if err := s.Backend.CheckCapacity(""); err != nil {
		s.Logger.Info("orchestrator request refused", "sender", addr.Hex(), "reason", err)
		//lint:ignore ST1005 go-livepeer's text, which its broadcasters match
		return nil, fmt.Errorf("Invalid orchestrator request: %v", err)
	}
	now := s.Now()
	expires := now.Add(s.TokenTTL)
	token := authToken(s.Secret, newSessionID(), expires.Unix())
	info, err := s.info(addr, token)
	if err != nil {
		s.Logger.Info("orchestrator request refused", "sender", addr.Hex(), "reason", err)
		return nil, err
	}
	s.senders.put(token.SessionId, addr, expires, now)
	return info, nil
}

type grpcOrchestrator struct {
	UnimplementedOrchestratorServer
	s *Server
}

// GetOrchestrator implements OrchestratorServer.
func (g grpcOrchestrator) GetOrchestrator(_ context.Context, req *OrchestratorRequest) (*OrchestratorInfo, error) {
	return g.s.getOrchestrator(req)
}
