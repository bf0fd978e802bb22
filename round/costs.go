package round

import (
	"context"

	"github.com/podiumhq/podium"
)

// costs totals what the round's paid tests cost, per region and in all:
// the tests whose timestamp is in [Start, End).
func (s *Service) costs(ctx context.Context, rd *Round) error {
	q := podium.CostQuery{StatsQuery: podium.StatsQuery{Since: rd.Start.Unix(), Until: rd.End.Unix()}}
	totals, err := s.Stats.Costs(ctx, q)
	if err != nil {
		return err
	}
	rd.Costs = totals
	rd.Cost = podium.CostSum{}
	for _, t := range totals {
		rd.Cost.AddSum(t.CostSum)
	}
	return nil
}
