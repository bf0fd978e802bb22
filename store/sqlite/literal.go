package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/podiumhq/podium/store/rollup"
)

// literalChunk is the most rows one literal insert carries.
const literalChunk = 10_000

// insertLiteral is insertStats with its rows written into the statement as
// SQL literals: the driver compiles every statement it runs and keeps no
// prepared statements, and SQLite's tokenizer reads literals faster than
// json_each hands out the columns of a JSON parameter. Every value must be
// literalSafe.
func insertLiteral(ctx context.Context, tx *sql.Tx, b *strings.Builder, rows [][]any) ([]string, error) {
	b.Reset()
	b.WriteString(insertStats)
	var num [32]byte
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			switch x := v.(type) {
			case nil:
				b.WriteString("NULL")
			case int64:
				b.Write(strconv.AppendInt(num[:0], x, 10))
			case int:
				b.Write(strconv.AppendInt(num[:0], int64(x), 10))
			case float64:
				// 'e' keeps an integral value REAL and its digits exact
				// (shortest form that reads back bit for bit).
				b.Write(strconv.AppendFloat(num[:0], x, 'e', -1, 64))
			case string:
				writeQuoted(b, x)
			case *int64:
				if x == nil {
					b.WriteString("NULL")
				} else {
					b.Write(strconv.AppendInt(num[:0], *x, 10))
				}
			case *string:
				if x == nil {
					b.WriteString("NULL")
				} else {
					writeQuoted(b, *x)
				}
			default:
				return nil, fmt.Errorf("insert stats: no literal for %T", v)
			}
		}
		b.WriteByte(')')
	}
	b.WriteString(onConflict)
	return queryKeys(ctx, tx, b.String())
}

// writeQuoted writes s as an SQL string literal.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			break
		}
		b.WriteString(s[:i+1])
		b.WriteByte('\'')
		s = s[i+1:]
	}
	b.WriteString(s)
	b.WriteByte('\'')
}

// literalSafe reports whether r can go into the statement as literals:
// SQLite must read every float back from its shortest decimal form bit for
// bit (its text-to-float conversion is exact for ordinary magnitudes,
// checked by TestInsertLiteral_Floats), and no text may hold a NUL (the
// driver hands SQLite the statement as a C string). Other records take
// bound parameters.
func literalSafe(r *rollup.Record) bool {
	s := r.Stats
	for _, f := range []float64{s.SuccessRate, s.SegDuration, s.UploadTime, s.DownloadTime, s.TranscodeTime, s.RoundTripTime} {
		if a := math.Abs(f); f != 0 && !(a >= 1e-20 && a <= 1e20) {
			return false
		}
	}
	texts := []string{r.Key, s.TestID, r.Errors}
	if s.Cost != nil {
		texts = append(texts, s.Cost.FaceValue, s.Cost.ExpectedValue)
	}
	for _, t := range texts {
		if strings.IndexByte(t, 0) >= 0 {
			return false
		}
	}
	return true
}
