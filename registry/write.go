package registry

import (
	"encoding/csv"
	"io"

	"github.com/podiumhq/podium"
)

// WriteCSV writes orchestrators in the registry file format, the one Parse
// reads.
func WriteCSV(w io.Writer, orchs []podium.Orchestrator) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(Header)
	for _, o := range orchs {
		_ = cw.Write([]string{o.Address, o.ServiceURI, o.Name, o.PayoutAddress})
	}
	cw.Flush()
	return cw.Error()
}
