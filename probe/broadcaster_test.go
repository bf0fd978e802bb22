package probe

import (
	"net/http"
	"testing"
)

func TestPushError(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{http.StatusServiceUnavailable, "No sessions available", CodeNoOrchestrators},
		{http.StatusInternalServerError, `http push error processing segment err="OrchestratorCapped"`, CodeOrchestratorCapped},
		{http.StatusInternalServerError, `err="OrchestratorBusy"`, CodeOrchestratorBusy},
		{http.StatusInternalServerError, `err="transcode: read transcode result: context deadline exceeded"`, CodeTimeout},
		{http.StatusInternalServerError, `err="upload: dial tcp 127.0.0.1:9: connect: connection refused"`, CodeUnreachable},
		{http.StatusInternalServerError, `err="transcode: ffmpeg exited 1"`, CodeTranscode},
		{http.StatusUnprocessableEntity, "Unknown input stream codec", CodeTranscode},
	} {
		if got := Classify(pushError(tc.status, tc.body)); got != tc.want {
			t.Errorf("pushError(%d, %q) = %s, want %s", tc.status, tc.body, got, tc.want)
		}
	}
}
