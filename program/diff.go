package program

import (
	"fmt"
	"strings"
)

// ChangedRounds names the rounds whose canonical rules differ between two
// published texts of a program ("round 2, round 3 added"); "" when none
// does or either text does not parse.
func ChangedRounds(a, b []byte) string {
	pa, errA := Parse(a)
	pb, errB := Parse(b)
	if errA != nil || errB != nil {
		return ""
	}
	out := ""
	add := func(s string) {
		if out != "" {
			out += ", "
		}
		out += s
	}
	for _, r := range pb.Rounds {
		idB, _ := pb.RulesID(r.ID)
		idA, err := pa.RulesID(r.ID)
		switch {
		case err != nil:
			add(fmt.Sprintf("round %d added", r.ID))
		case idA != idB:
			add(fmt.Sprintf("round %d", r.ID))
		}
	}
	for _, r := range pa.Rounds {
		if _, err := pb.Round(r.ID); err != nil {
			add(fmt.Sprintf("round %d removed", r.ID))
		}
	}
	return out
}

// LineDiff returns the lines that differ between a and b, "-" for removed
// and "+" for added, with the line numbers of b; program files are small,
// so a plain longest-common-subsequence table is enough.
func LineDiff(a, b string) []string {
	x, y := strings.Split(strings.TrimSuffix(a, "\n"), "\n"), strings.Split(strings.TrimSuffix(b, "\n"), "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, fmt.Sprintf("-%4s  %s", "", x[i]))
			i++
		default:
			out = append(out, fmt.Sprintf("+%4d  %s", j+1, y[j]))
			j++
		}
	}
	return out
}
