package podium

import (
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"sort"
	"strings"
)

// StatsCost is what one test paid the orchestrator in probabilistic
// micropayment tickets: podium's own, optional field of a stats record,
// absent for an unpaid test and for other senders.
//
// Amounts are wei, exact, as decimal strings so that no float touches them.
// A ticket's expected value is its face value × its win probability ÷
// (2^256 - 1), which is rarely a whole number of wei, so ExpectedValue is an
// exact fraction: "n" or "n/d" (as math/big.Rat.RatString writes it,
// reduced; its numerator carries the face value's digits and the win
// probability's, so it may be longer than a uint256).
// Totals are added exactly and shown both exact and rounded to a wei.
type StatsCost struct {
	// Tickets is how many tickets the test sent.
	Tickets int `json:"tickets"`
	// FaceValue is the face value of each ticket in wei (the largest, if
	// the orchestrator changed it during the test).
	FaceValue string `json:"face_value_wei"`
	// ExpectedValue is the tickets' total expected value in wei.
	ExpectedValue string `json:"expected_value_wei"`
}

// Limits on a test's cost. A uint256 has at most 78 decimal digits, a
// product of two and a ticket count fewer than 160; no test sends a million
// tickets.
const (
	MaxTickets     = 1000000
	MaxWeiDigits   = 78
	MaxRatioDigits = 160
)

var (
	weiRE    = regexp.MustCompile(`^[0-9]+$`)
	weiRatRE = regexp.MustCompile(`^[0-9]+(/[0-9]+)?$`)
)

// ParseWei parses a non-negative integer amount of wei written in decimal
// digits, at most MaxWeiDigits of them.
func ParseWei(s string) (*big.Int, error) {
	if len(s) > MaxWeiDigits || !weiRE.MatchString(s) {
		return nil, Errorf(EINVALID, "%q is not a whole number of wei (decimal digits, at most %d)", clip(s), MaxWeiDigits)
	}
	v, _ := new(big.Int).SetString(s, 10)
	return v, nil
}

// ParseWeiRat parses a non-negative exact amount of wei written "n" or
// "n/d", each part at most MaxRatioDigits decimal digits, d not 0.
func ParseWeiRat(s string) (*big.Rat, error) {
	num, den, _ := strings.Cut(s, "/")
	if !weiRatRE.MatchString(s) || len(num) > MaxRatioDigits || len(den) > MaxRatioDigits {
		return nil, Errorf(EINVALID, `%q is not an exact amount of wei ("n" or "n/d" in decimal digits, at most %d each)`, clip(s), MaxRatioDigits)
	}
	if den != "" && strings.Trim(den, "0") == "" {
		return nil, Errorf(EINVALID, "%q divides by zero", s)
	}
	// Each part in base 10: big.Rat.SetString reads "0300/1" as octal.
	n, _ := new(big.Int).SetString(num, 10)
	d := big.NewInt(1)
	if den != "" {
		d.SetString(den, 10)
	}
	return new(big.Rat).SetFrac(n, d), nil
}

// clip shortens an echoed input so that an error message stays short.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

// NewStatsCost returns the cost of tickets tickets of face value face with
// total expected value ev, in the record's form.
func NewStatsCost(tickets int, face *big.Int, ev *big.Rat) *StatsCost {
	c := &StatsCost{Tickets: tickets, FaceValue: "0", ExpectedValue: "0"}
	if face != nil {
		c.FaceValue = face.String()
	}
	if ev != nil {
		c.ExpectedValue = ev.RatString()
	}
	return c
}

// Normalize checks c and rewrites its amounts in canonical form (no
// leading zeros, the fraction reduced). A sane cost has at most MaxTickets
// tickets, a face value above 0 when it has tickets, and an expected value
// no larger than the tickets' total face value (a ticket's win probability
// is at most 1). The error names the field at fault.
func (c *StatsCost) Normalize() error {
	if c.Tickets < 0 || c.Tickets > MaxTickets {
		return FieldError("cost.tickets", "must be between 0 and %d", MaxTickets)
	}
	face, err := ParseWei(c.FaceValue)
	if err != nil {
		return inField("cost.face_value_wei", err)
	}
	ev, err := ParseWeiRat(c.ExpectedValue)
	if err != nil {
		return inField("cost.expected_value_wei", err)
	}
	if c.Tickets > 0 && face.Sign() == 0 {
		return FieldError("cost.face_value_wei", "must be above 0 when tickets were sent")
	}
	most := new(big.Int).Mul(face, big.NewInt(int64(c.Tickets)))
	if ev.Cmp(new(big.Rat).SetInt(most)) > 0 {
		return FieldError("cost.expected_value_wei", "%s exceeds the face value of the %d tickets sent (%s wei)", ev.RatString(), c.Tickets, most)
	}
	c.FaceValue, c.ExpectedValue = face.String(), ev.RatString()
	return nil
}

// inField returns the parse error err as the fault of field.
func inField(field string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.Field = field
		return &c
	}
	return &Error{Code: EINVALID, Field: field, Message: "is malformed", Err: err}
}

// CostSum totals the costs of tests.
type CostSum struct {
	// Tests counts the paid tests.
	Tests int64
	// Tickets counts their tickets.
	Tickets int64
	// FaceValue is the tickets' total face value (each test's tickets ×
	// its face value): what the tests would have paid had every ticket won.
	FaceValue *big.Int
	// ExpectedValue is the tickets' total expected value, exact: what the
	// tests cost.
	ExpectedValue *big.Rat
}

// Add adds the cost of one test to s. c must be normalized.
func (s *CostSum) Add(c StatsCost) error {
	face, err := ParseWei(c.FaceValue)
	if err != nil {
		return err
	}
	ev, err := ParseWeiRat(c.ExpectedValue)
	if err != nil {
		return err
	}
	s.init()
	s.Tests++
	s.Tickets += int64(c.Tickets)
	s.FaceValue.Add(s.FaceValue, face.Mul(face, big.NewInt(int64(c.Tickets))))
	s.ExpectedValue.Add(s.ExpectedValue, ev)
	return nil
}

// AddSum adds the totals of o to s.
func (s *CostSum) AddSum(o CostSum) {
	s.init()
	s.Tests += o.Tests
	s.Tickets += o.Tickets
	if o.FaceValue != nil {
		s.FaceValue.Add(s.FaceValue, o.FaceValue)
	}
	if o.ExpectedValue != nil {
		s.ExpectedValue.Add(s.ExpectedValue, o.ExpectedValue)
	}
}

func (s *CostSum) init() {
	if s.FaceValue == nil {
		s.FaceValue = new(big.Int)
	}
	if s.ExpectedValue == nil {
		s.ExpectedValue = new(big.Rat)
	}
}

// ExpectedWei is the total expected value rounded to the nearest wei
// (halves up).
func (s CostSum) ExpectedWei() *big.Int {
	if s.ExpectedValue == nil {
		return new(big.Int)
	}
	half := new(big.Rat).Add(s.ExpectedValue, big.NewRat(1, 2))
	return new(big.Int).Quo(half.Num(), half.Denom())
}

// costSumJSON is CostSum on the wire: amounts as decimal strings.
type costSumJSON struct {
	Tests         int64  `json:"tests"`
	Tickets       int64  `json:"tickets"`
	FaceValue     string `json:"face_value_wei"`
	ExpectedWei   string `json:"expected_value_wei"`
	ExpectedExact string `json:"expected_value_exact"`
}

// MarshalJSON writes s with its amounts as decimal strings of wei: the
// expected value rounded to a wei, and exact ("n" or "n/d").
func (s CostSum) MarshalJSON() ([]byte, error) {
	s.init()
	return json.Marshal(costSumJSON{s.Tests, s.Tickets, s.FaceValue.String(), s.ExpectedWei().String(), s.ExpectedValue.RatString()})
}

// UnmarshalJSON reads what MarshalJSON writes; the exact expected value is
// the one kept.
func (s *CostSum) UnmarshalJSON(b []byte) error {
	var j costSumJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	face, err := ParseWei(j.FaceValue)
	if err != nil {
		return err
	}
	ev, err := ParseWeiRat(j.ExpectedExact)
	if err != nil {
		return err
	}
	*s = CostSum{Tests: j.Tests, Tickets: j.Tickets, FaceValue: face, ExpectedValue: ev}
	return nil
}

// CostTotal is the cost of a region's paid tests in one UTC day (or, when
// Day is 0, in a whole window).
type CostTotal struct {
	Region string
	// Day is the unix time of the day's 00:00 UTC; 0 for a whole window.
	Day int64
	CostSum
}

// CostQuery selects the paid tests of a window (see StatsQuery; Limit is
// not used) and how to total them: per region, and per UTC day too when
// Daily.
type CostQuery struct {
	StatsQuery
	Daily bool
}

// Day is the length of a cost total's day.
const Day = 86400

// CostTotals adds up tests' costs per region and, when daily, per UTC day.
// Both stores total with it, so they agree.
type CostTotals struct {
	daily bool
	m     map[costKey]*CostSum
}

type costKey struct {
	region string
	day    int64
}

// NewCostTotals returns an empty total, per day when daily.
func NewCostTotals(daily bool) *CostTotals {
	return &CostTotals{daily: daily, m: make(map[costKey]*CostSum)}
}

// Add adds the cost of a test of region at unix time ts.
func (t *CostTotals) Add(region string, ts int64, c StatsCost) error {
	k := costKey{region: region}
	if t.daily {
		k.day = ts - ((ts%Day)+Day)%Day
	}
	s := t.m[k]
	if s == nil {
		s = &CostSum{}
		t.m[k] = s
	}
	return s.Add(c)
}

// Totals returns the totals sorted by day, then region.
func (t *CostTotals) Totals() []CostTotal {
	out := make([]CostTotal, 0, len(t.m))
	for k, s := range t.m {
		out = append(out, CostTotal{Region: k.region, Day: k.day, CostSum: *s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day < out[j].Day
		}
		return out[i].Region < out[j].Region
	})
	return out
}
