package program

import (
	"gopkg.in/yaml.v3"

	"github.com/podiumhq/podium"
)

func parsePool(n *yaml.Node, path string, p *podium.Program, r *podium.Round) (podium.Pool, error) {
	var pool podium.Pool
	o, err := mapping(n, path, "name", "amount", "split", "per_recipient", "eligible")
	if err != nil {
		return pool, err
	}
	if pool.Name, err = o.str("name", true); err != nil {
		return pool, err
	}
	if !nameRE.MatchString(pool.Name) {
		return pool, errAt(o.get("name"), o.field("name"), "%q must be lower case letters, digits, '.', '_' or '-'", pool.Name)
	}
	if pool.Amount, err = o.amount("amount", p.Token.Decimals); err != nil {
		return pool, err
	}
	if pool.PerRecipient, err = o.amount("per_recipient", p.Token.Decimals); err != nil {
		return pool, err
	}
	if pool.Split, err = o.str("split", false); err != nil {
		return pool, err
	}
	switch {
	case pool.PerRecipient != nil && pool.Split != "":
		return pool, errAt(o.get("split"), o.field("split"), "a pool either splits an amount or pays per_recipient, not both")
	case pool.PerRecipient == nil && pool.Split == "":
		return pool, errAt(o.node, path, "say how the pool pays: amount with split: equal|proportional, or per_recipient")
	case pool.Split != "" && pool.Split != podium.SplitEqual && pool.Split != podium.SplitProportional:
		return pool, errAt(o.get("split"), o.field("split"), "%q is not a split; use equal or proportional", pool.Split)
	case pool.Split != "" && pool.Amount == nil:
		return pool, errAt(o.node, o.field("amount"), "is required with split: %s", pool.Split)
	}
	pool.Eligible = podium.Eligibility{Regions: podium.RegionScope{Mode: podium.ScopeAny}, RequireVerified: r.RequireVerified}
	if en := o.get("eligible"); en != nil {
		if err := parseEligible(en, o.field("eligible"), r, &pool.Eligible); err != nil {
			return pool, err
		}
	}
	e := pool.Eligible
	switch {
	case e.Top > 0 && pool.PerRecipient == nil:
		return pool, errAt(o.get("eligible"), o.field("eligible")+".top", "top applies to per_recipient pools only")
	case e.Top > 0 && e.Per == "" && e.IsAI():
		return pool, errAt(o.get("eligible"), o.field("eligible")+".per", "top needs per: region or per: pipeline (ranking is within a region or a pipeline)")
	case e.Top > 0 && e.Per == "":
		return pool, errAt(o.get("eligible"), o.field("eligible")+".per", "top needs per: region (ranking is within a region)")
	case e.Per != "" && e.Top == 0:
		return pool, errAt(o.get("eligible"), o.field("eligible")+".top", "per: %s needs top: N", e.Per)
	case e.Per == podium.PerPipeline && e.Pipeline == "" && pool.Amount == nil:
		return pool, errAt(o.get("per_recipient"), o.field("per_recipient"),
			"top %d per pipeline over any pipeline could pay any number of pipelines; name eligible.pipeline, or add an amount as a cap", e.Top)
	case pool.PerRecipient != nil && e.Top == 0 && pool.Amount == nil:
		return pool, errAt(o.get("per_recipient"), o.field("per_recipient"),
			"without a bound this pool could pay any number of orchestrators; add eligible.top with per: region, or an amount as a cap")
	}
	return pool, nil
}

func parseEligible(n *yaml.Node, path string, r *podium.Round, e *podium.Eligibility) error {
	o, err := mapping(n, path, "min_score", "regions", "top", "per", "require_verified", "job_type", "pipeline", "model")
	if err != nil {
		return err
	}
	if err := parseJob(o, e); err != nil {
		return err
	}
	if e.MinScore, _, err = o.number("min_score"); err != nil {
		return err
	}
	if e.MinScore < 0 || e.MinScore > 10 {
		return errAt(o.get("min_score"), o.field("min_score"), "%v is outside the 0–10 score scale", e.MinScore)
	}
	if rn := o.get("regions"); rn != nil {
		if e.Regions, err = parseScope(rn, o.field("regions"), r); err != nil {
			return err
		}
	}
	top, ok, err := o.integer("top", false)
	if err != nil {
		return err
	}
	if ok && top < 1 {
		return errAt(o.get("top"), o.field("top"), "must be at least 1")
	}
	e.Top = int(top)
	if e.Per, err = o.str("per", false); err != nil {
		return err
	}
	switch {
	case e.Per == "" || e.Per == podium.PerRegion:
	case e.Per == podium.PerPipeline && !e.IsAI():
		return errAt(o.get("per"), o.field("per"), "per: pipeline ranks AI scores; add job_type: ai, or rank per: region")
	case e.Per == podium.PerPipeline && e.Model != "":
		return errAt(o.get("per"), o.field("per"), "per: pipeline ranks each orchestrator's best model; with model: %s named, rank per: region", e.Model)
	case e.Per == podium.PerPipeline:
	case e.IsAI():
		return errAt(o.get("per"), o.field("per"), "%q is not supported; AI pools rank per: region or per: pipeline", e.Per)
	default:
		return errAt(o.get("per"), o.field("per"), "%q is not supported; the only ranking unit is region", e.Per)
	}
	if e.Per == podium.PerRegion && e.IsAI() && e.Model == "" {
		at, field := o.get("pipeline"), o.field("pipeline")
		if at == nil {
			at = o.get("per")
		}
		if e.Pipeline != "" {
			field = o.field("model")
		}
		return errAt(at, field, "an AI ranking per: region compares one pipeline and model (each has its own median); name eligible.pipeline and eligible.model, or rank per: pipeline")
	}
	if v, ok, err := o.boolean("require_verified"); err != nil {
		return err
	} else if ok {
		e.RequireVerified = v
	}
	return nil
}

func parseScope(n *yaml.Node, path string, r *podium.Round) (podium.RegionScope, error) {
	known := podium.NewRegionSet(r.Regions)
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case podium.ScopeAny, podium.ScopeAll:
			return podium.RegionScope{Mode: n.Value}, nil
		}
		return podium.RegionScope{}, errAt(n, path, "%q must be any, all or a list of region ids", n.Value)
	}
	items, err := sequence(n, path)
	if err != nil {
		return podium.RegionScope{}, err
	}
	if len(items) == 0 {
		return podium.RegionScope{}, errAt(n, path, "must name at least one region")
	}
	s := podium.RegionScope{Mode: podium.ScopeList}
	for i, item := range items {
		id, err := scalar(item, index(path, i))
		if err != nil {
			return s, err
		}
		if !known.Has(id) {
			return s, errAt(item, index(path, i), "unknown region %q; the round's regions are %v", id, r.RegionIDs())
		}
		if contains(s.IDs, id) {
			return s, errAt(item, index(path, i), "region %s is listed twice", id)
		}
		s.IDs = append(s.IDs, id)
	}
	return s, nil
}

// parseJob reads an eligibility's job type, pipeline and model. Without
// them a pool is a transcoding pool, as every pool was before AI pools.
// An AI pool does not inherit the round's require_verified: AI tests have
// no renditions to verify.
func parseJob(o *object, e *podium.Eligibility) error {
	job, err := o.str("job_type", false)
	if err != nil {
		return err
	}
	switch job {
	case "", podium.JobTranscoding:
		job = ""
	case podium.JobAI:
		e.RequireVerified = false
	default:
		return errAt(o.get("job_type"), o.field("job_type"), "%q is not a job type; use transcoding or ai", job)
	}
	e.JobType = job
	if e.Pipeline, err = o.str("pipeline", false); err != nil {
		return err
	}
	if e.Model, err = o.str("model", false); err != nil {
		return err
	}
	switch {
	case e.Pipeline != "" && job == "":
		return errAt(o.get("pipeline"), o.field("pipeline"), "a pipeline applies to AI scores; add job_type: ai")
	case e.Model != "" && job == "":
		return errAt(o.get("model"), o.field("model"), "a model applies to AI scores; add job_type: ai")
	case e.Model != "" && e.Pipeline == "":
		return errAt(o.get("model"), o.field("model"), "model %s needs its pipeline: a model is scored within one pipeline", e.Model)
	case e.Pipeline != "" && !podium.ValidPipeline(e.Pipeline):
		return errAt(o.get("pipeline"), o.field("pipeline"), "%q is not a pipeline name (1 to %d letters, digits and . _ -, e.g. text-to-image)", e.Pipeline, podium.MaxPipelineLen)
	case e.Model != "" && !podium.ValidModel(e.Model):
		return errAt(o.get("model"), o.field("model"), "%q is not a model name (1 to %d letters, digits and . _ : / @ + -, e.g. ByteDance/SDXL-Lightning)", e.Model, podium.MaxModelLen)
	}
	return nil
}
