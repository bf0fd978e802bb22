package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/program"
)

// ProgramName is the demo program's name.
const ProgramName = "podium-demo"

// programTmpl is Round 1 of the MVP Performance Incentive Program scaled down
// (docs/design.md §5.3): an equal split among everyone scoring 3 or more in any region,
// and a fixed amount for each region's top 3, with one orchestrator excluded
// as Livepeer Inc.'s was. 400 + 3 regions × 3 × 20 = 580 LPT at most.
var programTmpl = template.Must(template.New("program").Parse(`# The podium demo's program: Round 1 of Livepeer's MVP Performance Incentive
# Program, scaled down to one round of {{.Window}} on a local dev chain.
program: {{.Name}}
token: {symbol: LPT, decimals: 18, chain_id: {{.ChainID}},
        address: "{{.Token}}"}
admin: "{{.Admin}}"
notice: 48h
regions:
  - {id: MDW, name: North America (Chicago)}
  - {id: FRA, name: Europe (Frankfurt)}
  - {id: SIN, name: Asia (Singapore)}
exclude:
{{- range .Exclude}}
  - {address: "{{.}}", reason: operated by Livepeer Inc.}
{{- end}}
rounds:
  - id: 1
    start: {{.Start}}
    end:   {{.End}}
    snapshot: {at: {{.End}}, window: {{.Window}}}   # the whole round
    budget: "580"
    require_verified: true     # only orchestrators whose renditions matched their input
    pools:
      - name: qualified
        amount: "400"
        split: equal
        eligible: {min_score: 3, regions: any}
      - name: regional-top3
        per_recipient: "20"
        eligible: {min_score: 3, top: 3, per: region}
`))

// programParams fill programTmpl.
type programParams struct {
	Name, Token, Admin string
	ChainID            uint64
	Exclude            []string
	Start, End         string
	Window             time.Duration
}

// writeProgram writes the demo's program file into dir and loads it back
// through the program parser, as any program file is.
func writeProgram(dir string, pp programParams) (path string, p *podium.Program, text []byte, err error) {
	var b bytes.Buffer
	if err := programTmpl.Execute(&b, pp); err != nil {
		return "", nil, nil, err
	}
	path = filepath.Join(dir, "program.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return "", nil, nil, err
	}
	p, text, err = program.Load(path)
	if err != nil {
		return "", nil, nil, fmt.Errorf("demo program: %w", err)
	}
	return path, p, text, nil
}
