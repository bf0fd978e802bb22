package pm

import (
	"math/big"
	"testing"
)

func TestSenderInfo_Withdrawable(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		withdrawRound           *big.Int
		round                   int64
		unlocking, withdrawable bool
	}{
		{"OKLocked", big.NewInt(0), 10, false, false},
		{"OKLockedNil", nil, 10, false, false},
		{"OKUnlocking", big.NewInt(12), 10, true, false},
		{"OKUnlocked", big.NewInt(12), 12, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := SenderInfo{WithdrawRound: tc.withdrawRound}
			if got := s.Unlocking(); got != tc.unlocking {
				t.Errorf("Unlocking = %t, want %t", got, tc.unlocking)
			}
			if got := s.Withdrawable(tc.round); got != tc.withdrawable {
				t.Errorf("Withdrawable(%d) = %t, want %t", tc.round, got, tc.withdrawable)
			}
		})
	}
}
