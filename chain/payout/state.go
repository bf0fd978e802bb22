package payout

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Step states, as the journal tells them.
const (
	StateNew     = "new"     // never signed
	StatePending = "pending" // signed (maybe sent), no receipt yet
	StateDone    = "done"    // mined and succeeded
	StateFailed  = "failed"  // mined and reverted: no tokens moved, signed again on the next run
)

// stepState is one step's latest attempt: a nonce and every transaction
// signed for it (the first, then replacements with higher fees).
type stepState struct {
	step     int
	nonce    uint64
	variants []*types.Transaction
	mined    *Record
}

func (s *stepState) state() string {
	switch {
	case s.mined != nil && s.mined.Status == types.ReceiptStatusSuccessful:
		return StateDone
	case s.mined != nil:
		return StateFailed
	case len(s.variants) > 0:
		return StatePending
	}
	return StateNew
}

func (s *stepState) last() *types.Transaction { return s.variants[len(s.variants)-1] }

func (s *stepState) fees() (tip, cap *big.Int) {
	return s.last().GasTipCap(), s.last().GasFeeCap()
}

// replay rebuilds each step's state from the journal. It also returns every
// transaction hash the journal knows and the highest nonce it used (-1 for
// none).
func replay(recs []Record, steps int) ([]*stepState, map[common.Hash]bool, int64, error) {
	states := make([]*stepState, steps)
	for i := range states {
		states[i] = &stepState{step: i}
	}
	known := map[common.Hash]bool{}
	maxNonce := int64(-1)
	for n, r := range recs {
		if r.Kind == RecordPlan {
			continue
		}
		if r.Step < 0 || r.Step >= steps {
			return nil, nil, 0, fmt.Errorf("journal line %d: step %d is not in the plan", n+1, r.Step)
		}
		s := states[r.Step]
		switch r.Kind {
		case RecordSigned:
			tx := new(types.Transaction)
			if err := tx.UnmarshalBinary(common.FromHex(r.Raw)); err != nil {
				return nil, nil, 0, fmt.Errorf("journal line %d: bad transaction: %w", n+1, err)
			}
			if len(s.variants) > 0 && r.Nonce != s.nonce {
				// A new attempt after a revert.
				s.variants, s.mined = nil, nil
			}
			s.nonce = r.Nonce
			s.variants = append(s.variants, tx)
			known[tx.Hash()] = true
			maxNonce = max(maxNonce, int64(r.Nonce))
		case RecordMined:
			rec := r
			s.mined = &rec
		default:
			return nil, nil, 0, fmt.Errorf("journal line %d: unknown kind %q", n+1, r.Kind)
		}
	}
	return states, known, maxNonce, nil
}
