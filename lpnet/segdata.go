package lpnet

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
)

// MaxDuration is the longest segment go-livepeer accepts.
const MaxDuration = 5 * time.Minute

// Errors of segment credentials, with go-livepeer's wording.
var (
	ErrSegEncoding    = errors.New("ErrorSegEncoding")
	ErrSegSig         = errors.New("ErrSegSig")
	ErrDuration       = errors.New("invalid duration")
	ErrMissingToken   = errors.New("missing auth token")
	ErrInvalidToken   = errors.New("invalid auth token")
	ErrExpiredToken   = errors.New("expired auth token")
	ErrEmptySegData   = errors.New("empty seg data")
	errLegacyProfiles = []byte("invalid") // makes pre-fullProfiles orchestrators fail loudly, as go-livepeer does
)

// ProfilesHex is the profile part of a segment signature: for each profile,
// the first 4 bytes of Keccak-256 of its name, concatenated and hex-encoded.
func ProfilesHex(profiles []*VideoProfile) string {
	var b []byte
	for _, p := range profiles {
		b = append(b, crypto.Keccak256([]byte(ProfileName(p)))[:4]...)
	}
	return hex.EncodeToString(b)
}

// Flatten returns the bytes a sender signs for a segment: the manifest id,
// the sequence number as a 32-byte big-endian integer, the 32-byte data hash
// and ProfilesHex of the profiles.
func Flatten(manifestID []byte, seq int64, hash []byte, profiles []*VideoProfile) []byte {
	var b []byte
	b = append(b, manifestID...)
	b = append(b, common.LeftPadBytes(new(big.Int).SetInt64(seq).Bytes(), 32)...)
	b = append(b, common.BytesToHash(hash).Bytes()...)
	b = append(b, ProfilesHex(profiles)...)
	return b
}

// SegProfiles returns the profiles a SegData asks for, from the newest field
// that is set (fullProfiles3, then 2, then 1), checked with CheckProfile.
func SegProfiles(sd *SegData) ([]*VideoProfile, error) {
	ps := sd.GetFullProfiles3()
	if len(ps) == 0 {
		ps = sd.GetFullProfiles2()
	}
	if len(ps) == 0 {
		ps = sd.GetFullProfiles()
	}
	for _, p := range ps {
		if err := CheckProfile(p); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// SegDuration returns a SegData's duration, 2 s when unset, and
// ErrDuration when negative or longer than MaxDuration.
func SegDuration(sd *SegData) (time.Duration, error) {
	d := time.Duration(sd.GetDuration()) * time.Millisecond
	if d < 0 || d > MaxDuration {
		return 0, ErrDuration
	}
	if d == 0 {
		d = 2 * time.Second
	}
	return d, nil
}

// setProfiles puts profiles in the SegData field go-livepeer would use for
// them: fullProfiles when every output is MPEG-TS with integer fps, the
// default encoder profile and GOP; fullProfiles2 when only the format
// differs; fullProfiles3 otherwise.
func setProfiles(sd *SegData, profiles []*VideoProfile) {
	sd.Profiles = errLegacyProfiles
	simple, allTS := true, true
	for _, p := range profiles {
		if p.GetFpsDen() != 0 || p.GetProfile() != VideoProfile_ENCODER_DEFAULT || p.GetGop() != 0 {
			simple = false
		}
		if p.GetFormat() != VideoProfile_MPEGTS {
			allTS = false
		}
	}
	switch {
	case simple && allTS:
		sd.FullProfiles = profiles
	case simple:
		sd.FullProfiles2 = profiles
	default:
		sd.FullProfiles3 = profiles
	}
}

// NewSegData returns the signed SegData for one segment of data, with the
// capabilities its profiles need, as go-livepeer's broadcaster sends it.
func NewSegData(s *Signer, manifestID string, seq int64, data []byte, dur time.Duration, profiles []*VideoProfile, token *AuthToken) (*SegData, error) {
	hash := crypto.Keccak256(data)
	sig, err := s.Sign(Flatten([]byte(manifestID), seq, hash, profiles))
	if err != nil {
		return nil, err
	}
	caps, err := JobCapabilities(profiles)
	if err != nil {
		return nil, err
	}
	sd := &SegData{
		Capabilities: caps,
		ManifestId:   []byte(manifestID),
		Seq:          seq,
		Hash:         hash,
		Sig:          sig,
		Duration:     int32(dur / time.Millisecond),
		AuthToken:    token,
	}
	setProfiles(sd, profiles)
	return sd, nil
}

// EncodeHeader returns m as the base64 protobuf value of a Livepeer-Segment
// or Livepeer-Payment header.
func EncodeHeader(m proto.Message) (string, error) {
	b, err := proto.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode header: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// DecodeSegData parses a Livepeer-Segment header value. A value that is not
// base64 gives ErrSegEncoding; one that is not a SegData gives the protobuf
// error, as go-livepeer answers.
func DecodeSegData(header string) (*SegData, error) {
	b, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return nil, ErrSegEncoding
	}
	var sd SegData
	if err := proto.Unmarshal(b, &sd); err != nil {
		return nil, err
	}
	return &sd, nil
}

// DecodePayment parses a Livepeer-Payment header value; an empty value is
// an empty payment.
func DecodePayment(header string) (*Payment, error) {
	b, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return nil, fmt.Errorf("base64 decode error: %w", err)
	}
	var p Payment
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("protobuf unmarshal error: %w", err)
	}
	return &p, nil
}
