package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/podiumhq/podium"
)

// page is what the layout template renders around a page's own content.
type page struct {
	Title string
	Nav   string // "leaderboard" or "rounds": the highlighted menu entry
	Data  any
	// Now is the server's clock reading the page was rendered at. The
	// page's script ticks from it, never from the browser's own clock, so a
	// page reads the same whatever the viewer's clock says (and tests that
	// inject the server's clock control the script's too).
	Now time.Time
}

func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range []string{"leaderboard", "orchestrator", "rounds", "round", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("ui: parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	p.Now = h.cfg.Now()
	if err := h.pages[name].Execute(&buf, p); err != nil {
		h.cfg.Logger.Error("render", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorView is the content of the error page.
type errorView struct {
	Status  int
	Message string
	Hint    string
}

// fail renders err as a page whose status follows its code.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := podium.HTTPStatus(podium.ErrorCode(err))
	msg := err.Error()
	if status == http.StatusInternalServerError {
		h.cfg.Logger.Error("page", "path", r.URL.Path, "err", err)
		msg = "something went wrong on the server; the error is logged"
	}
	h.render(w, r, status, "error", page{
		Title: http.StatusText(status),
		Data:  errorView{Status: status, Message: msg, Hint: podium.ErrorHint(err)},
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
