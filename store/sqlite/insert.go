package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/podiumhq/podium"
)

// jsonChunk is the most rows one JSON insert carries.
const jsonChunk = 10_000

// insertJSON is insertStats taking its rows from one JSON array of row
// arrays (columns in insertStats's order): one statement to compile and one
// parameter to bind, however many rows.
var insertJSON = func() func(ctx context.Context, tx *sql.Tx, rows [][]any) ([]string, error) {
	cols := make([]string, insertColumns)
	for i := range cols {
		cols[i] = fmt.Sprintf("value ->> %d", i)
	}
	query := insertStats[:strings.Index(insertStats, "VALUES")] +
		"SELECT " + strings.Join(cols, ", ") + " FROM json_each(?1) WHERE true" + onConflict
	return func(ctx context.Context, tx *sql.Tx, rows [][]any) ([]string, error) {
		b, err := json.Marshal(rows)
		if err != nil {
			return nil, fmt.Errorf("insert stats: encode: %w", err)
		}
		return queryKeys(ctx, tx, query, string(b))
	}
}()

// jsonSafe reports whether SQLite reads every float of s back from its
// shortest decimal form bit for bit. Its text-to-float conversion is exact
// for ordinary magnitudes (checked by TestInsertJSON_Floats); records of
// other magnitudes take bound parameters.
func jsonSafe(s podium.Stats) bool {
	for _, f := range []float64{s.SuccessRate, s.SegDuration, s.UploadTime, s.DownloadTime, s.TranscodeTime, s.RoundTripTime} {
		if a := math.Abs(f); f != 0 && !(a >= 1e-20 && a <= 1e20) {
			return false
		}
	}
	return true
}
