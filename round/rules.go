package round

import (
	"context"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

// RulesVersion is one published version of a round's rules.
type RulesVersion struct {
	ID          string // "sha256:…" of Canonical
	PublishedAt time.Time
	Text        string // the program file as published (YAML)
	Canonical   string // the round's rules in canonical JSON, which hash to ID
}

// rulesVersions returns every published version in which round id's rules
// changed, oldest first; the loaded file alone when none was published.
func (s *Service) rulesVersions(ctx context.Context, id int) ([]RulesVersion, error) {
	var published []podium.ProgramVersion
	if s.Versions != nil {
		var err error
		published, err = s.Versions.ProgramVersions(ctx, s.Program.Name)
		if err != nil && podium.ErrorCode(err) != podium.ENOTFOUND {
			return nil, err
		}
	}
	var out []RulesVersion
	for _, v := range published {
		prog, err := program.Parse(v.Text)
		if err != nil {
			return nil, err
		}
		rv, err := rulesVersion(prog, id, v.Text, v.PublishedAt)
		if podium.ErrorCode(err) == podium.ENOTFOUND {
			continue // this version had no such round
		} else if err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != rv.ID {
			out = append(out, rv)
		}
	}
	if len(out) == 0 {
		rv, err := rulesVersion(s.Program, id, s.Text, time.Time{})
		if err != nil {
			return nil, err
		}
		out = append(out, rv)
	}
	return out, nil
}

func rulesVersion(prog *podium.Program, id int, text []byte, at time.Time) (RulesVersion, error) {
	doc, err := prog.Rules(id)
	if err != nil {
		return RulesVersion{}, err
	}
	canon, err := podium.CanonicalJSON(doc)
	if err != nil {
		return RulesVersion{}, err
	}
	return RulesVersion{ID: podium.ContentID(canon), PublishedAt: at, Text: string(text), Canonical: string(canon)}, nil
}
