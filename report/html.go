package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"html/template"
)

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Parse(pageText))

// HTML renders the report as one self-contained page: the same content as
// the Markdown, with each region's table image inlined.
func (r *Report) HTML() ([]byte, error) {
	type region struct {
		Region
		Image template.URL
	}
	data := struct {
		*Report
		Title   string
		When    string
		Window  string
		Regions []region
	}{Report: r, Title: r.Program + " — " + r.title(), When: r.when(), Window: window(r.Window)}
	for _, reg := range r.Regions {
		png, err := r.PNG(reg)
		if err != nil {
			return nil, err
		}
		data.Regions = append(data.Regions, region{reg, template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
