package lpnet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
)

// Header names of the segment exchange.
const (
	SegmentHeader = "Livepeer-Segment"
	PaymentHeader = "Livepeer-Payment"
)

// serveSegment answers POST /segment as go-livepeer does: credential errors
// are 402 (payment) or 403 (segment) with the error text, a body that is too
// large is 500, a body whose hash differs from the signed one is 403; then
// 200 is sent as soon as the upload is read and the TranscodeResult follows
// in the body, carrying either the renditions or the transcode error.
func (s *Server) serveSegment(w http.ResponseWriter, r *http.Request) {
	s.init()
	log := s.Logger.With("remote", r.RemoteAddr)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed; POST a segment", http.StatusMethodNotAllowed)
		return
	}
	payment, err := DecodePayment(r.Header.Get(PaymentHeader))
	if err != nil {
		log.Info("segment refused", "reason", err)
		http.Error(w, err.Error(), http.StatusPaymentRequired)
		return
	}
	job, sd, err := s.verifySegment(r.Header.Get(SegmentHeader), payment, s.capabilities(), false)
	if err != nil {
		log.Info("segment refused", "reason", err)
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	log = log.With("session", job.SessionID, "seq", job.Seq)
	info, err := s.info(job.Sender, sd.GetAuthToken())
	if err != nil {
		log.Info("segment refused", "reason", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	var price *big.Rat
	if s.Payee != nil {
		price, err = s.chargePrice(payment)
		if err == nil {
			err = s.Payee.processPayment(payment, job.SessionID)
		}
		if err != nil {
			log.Info("payment refused", "reason", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if price.Sign() > 0 && !s.Payee.sufficient(job.Sender, job.SessionID) {
			log.Info("segment refused", "reason", "insufficient balance")
			http.Error(w, ErrInsufficientBalance.Error(), http.StatusBadRequest)
			return
		}
	}

	data, err := readAtMost(r.Body, s.MaxSegSize)
	if err != nil {
		log.Info("segment refused", "reason", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	if !bytes.Equal(crypto.Keccak256(data), common.BytesToHash(sd.GetHash()).Bytes()) {
		log.Info("segment refused", "reason", "body hash differs from the signed hash")
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	}
	job.Data = data

	// The upload is complete: say so now, the result follows in the body.
	w.Header().Set("Content-Type", "application/vnd+livepeer.transcoderesult")
	w.WriteHeader(http.StatusOK)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}

	res := &TranscodeResult{Seq: job.Seq, Info: info}
	outs, err := s.Backend.Transcode(r.Context(), job)
	if s.Payee != nil {
		var pixels int64
		for _, o := range outs {
			pixels += o.Pixels
		}
		s.Payee.debit(job.Sender, job.SessionID, price, pixels)
	}
	if err == nil {
		var hashes []byte
		segs := make([]*TranscodedSegmentData, len(outs))
		for i, o := range outs {
			segs[i] = &TranscodedSegmentData{Url: o.URL, Pixels: o.Pixels}
			hashes = append(hashes, o.Hash...)
		}
		var sig []byte
		if sig, err = s.Signer.Sign(hashes); err == nil {
			res.Result = &TranscodeResult_Data{Data: &TranscodeData{Segments: segs, Sig: sig}}
		}
	}
	if err != nil {
		log.Info("transcode failed", "err", err)
		res.Result = &TranscodeResult_Error{Error: err.Error()}
	}
	buf, err := proto.Marshal(res)
	if err != nil {
		log.Error("encode transcode result", "err", err)
		return
	}
	_, _ = w.Write(buf)
}

// verifySegment checks a Livepeer-Segment header in go-livepeer's order:
// decoding, profiles and duration, the sender's signature, the
// capabilities asked for against those offered, the auth token, then
// capacity. For an AI request (ai) the capacity is checked without taking
// a transcoding slot, as go-livepeer checks an AI request's session, which
// never transcodes.
func (s *Server) verifySegment(header string, payment *Payment, offered *Capabilities, ai bool) (*Job, *SegData, error) {
	sd, err := DecodeSegData(header)
	if err != nil {
		return nil, nil, err
	}
	profiles, err := SegProfiles(sd)
	if err != nil {
		return nil, nil, err
	}
	dur, err := SegDuration(sd)
	if err != nil {
		return nil, nil, err
	}
	// The signer is the payment's sender when there is one, else the
	// address that opened the session.
	sender, ok := common.Address{}, false
	if len(payment.GetSender()) > 0 {
		sender, ok = common.BytesToAddress(payment.GetSender()), true
	} else if sd.GetAuthToken() != nil {
		sender, ok = s.senders.get(sd.GetAuthToken().GetSessionId())
	}
	if !s.AllowUnsigned && (!ok || !VerifySig(sender, Flatten(sd.GetManifestId(), sd.GetSeq(), sd.GetHash(), profiles), sd.GetSig())) {
		return nil, nil, ErrSegSig
	}
	if !CompatibleWith(sd.GetCapabilities(), offered) {
		return nil, nil, ErrCapCompat
	}
	if err := checkToken(s.Secret, sd.GetAuthToken(), s.Now()); err != nil {
		return nil, nil, err
	}
	sessionID := sd.GetAuthToken().GetSessionId()
	slot := sessionID
	if ai {
		slot = ""
	}
	if err := s.Backend.CheckCapacity(slot); err != nil {
		return nil, nil, err
	}
	return &Job{
		SessionID:  sessionID,
		ManifestID: string(sd.GetManifestId()),
		Seq:        sd.GetSeq(),
		Duration:   dur,
		Profiles:   profiles,
		Sender:     sender,
	}, sd, nil
}

// chargePrice is the price a segment is charged at: the price the
// sender expects, as go-livepeer charges, but never below the server's own
// (go-livepeer would let a sender that claims to expect 0 skip the balance
// check; tickets carry the price in their recipient rand, so an honest
// sender pays the same either way).
func (s *Server) chargePrice(payment *Payment) (*big.Rat, error) {
	own, err := PriceRat(s.price())
	if err != nil {
		return nil, err
	}
	want, err := PriceRat(payment.GetExpectedPrice())
	if err != nil {
		return nil, fmt.Errorf("invalid expected price sent with payment err=%q", err)
	}
	if want != nil && want.Cmp(own) > 0 {
		return want, nil
	}
	return own, nil
}

// errTooLarge is go-livepeer's text for a body over the limit.
var errTooLarge = errors.New("input bigger than max buffer size")

// readAtMost reads r to the end, failing if it holds more than n bytes.
func readAtMost(r io.Reader, n int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(n)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > n {
		return nil, errTooLarge
	}
	return b, nil
}
