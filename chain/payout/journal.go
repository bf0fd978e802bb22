package payout

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/internal/durable"
)

// The journal is an append-only file of JSON lines next to the plan
// (PLAN.journal). Every signed transaction is written and fsync'd before it is
// sent, so after a crash the journal holds every transaction that might be on
// the chain. A file, not a database: it travels with the plan it belongs to,
// needs nothing running, and an append plus fsync is the whole durability
// story. A crash in the middle of a write leaves a torn last line; that
// record's transaction was never sent (sending waits for the fsync), so the
// torn line is dropped when the journal is read.

// Record kinds.
const (
	RecordPlan   = "plan"   // first line: the plan this journal belongs to
	RecordSigned = "signed" // a signed transaction, about to be sent
	RecordMined  = "mined"  // a receipt
)

// Record is one line of the journal.
type Record struct {
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
	// Plan is the plan's hash (kind plan).
	Plan  string `json:"plan,omitempty"`
	Step  int    `json:"step"`
	Nonce uint64 `json:"nonce"`
	Hash  string `json:"hash,omitempty"`
	// Raw is the signed transaction (kind signed), binary-encoded hex.
	Raw    string `json:"raw,omitempty"`
	Tip    string `json:"tip,omitempty"`
	FeeCap string `json:"fee_cap,omitempty"`
	// Block and Status come from the receipt (kind mined); Status 1 = success.
	Block  uint64 `json:"block,omitempty"`
	Status uint64 `json:"status,omitempty"`
}

// Journal appends records durably.
type Journal struct {
	path    string
	f       *os.File
	records []Record
}

// JournalPath is where the journal of the plan at planPath lives.
func JournalPath(planPath string) string { return planPath + ".journal" }

// OpenJournal opens (or creates) the journal of a plan and reads it. A
// journal written for another plan is refused: its transactions would not be
// accounted for.
func OpenJournal(path, planHash string, now time.Time) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	// One writer at a time: two executes of one plan would both sign and
	// journal the same steps. The lock goes with the file descriptor, so a
	// crashed execute never leaves it behind.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, podium.Errorf(podium.ECONFLICT, "journal %s is in use by another `podium payout execute`", path).
				WithHint("let that one finish (or stop it), then run again")
		}
		return nil, fmt.Errorf("lock journal: %w", err)
	}
	// Read under the lock, so no other writer is halfway through.
	recs, valid, err := readJournal(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	if len(recs) > 0 && (recs[0].Kind != RecordPlan || recs[0].Plan != planHash) {
		f.Close()
		return nil, podium.Errorf(podium.ECONFLICT, "journal %s belongs to plan %s, not %s", path, recs[0].Plan, planHash).
			WithHint("the plan changed after payments began; run `podium payout reconcile` with the original plan")
	}
	// Cut a torn last line, so the next record starts on a line of its own.
	if err := f.Truncate(valid); err != nil {
		f.Close()
		return nil, fmt.Errorf("trim journal: %w", err)
	}
	j := &Journal{path: path, f: f, records: recs}
	if len(recs) == 0 {
		if err := durable.SyncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, err
		}
		if err := j.Append(Record{Kind: RecordPlan, Plan: planHash, At: now}); err != nil {
			f.Close()
			return nil, err
		}
	}
	return j, nil
}

// NewReadOnlyJournal wraps records read with ReadJournal for a dry run:
// nothing can be appended.
func NewReadOnlyJournal(recs []Record, planHash string) (*Journal, error) {
	if len(recs) > 0 && (recs[0].Kind != RecordPlan || recs[0].Plan != planHash) {
		return nil, podium.Errorf(podium.ECONFLICT, "the journal belongs to plan %s, not %s", recs[0].Plan, planHash)
	}
	return &Journal{records: recs}, nil
}

// ReadJournal returns the records of a journal; a missing file has none.
func ReadJournal(path string) ([]Record, error) {
	recs, _, err := readJournal(path)
	return recs, err
}

// readJournal returns the complete records and the length of the file they
// fill.
func readJournal(path string) ([]Record, int64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read journal: %w", err)
	}
	valid := int64(bytes.LastIndexByte(b, '\n') + 1)
	var out []Record
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	complete := bytes.HasSuffix(b, []byte("\n"))
	lines := bytes.Count(b, []byte("\n"))
	for n := 0; sc.Scan(); n++ {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			if n == lines && !complete {
				break // torn last line: never acted on
			}
			return nil, 0, podium.Errorf(podium.EINTERNAL, "journal %s line %d is damaged: %w", path, n+1, err).
				WithHint("do not edit a journal; restore it from a backup")
		}
		if n == lines && !complete {
			break // a whole record but no newline: its fsync never completed
		}
		out = append(out, r)
	}
	return out, valid, sc.Err()
}

// Records returns the records read or written so far.
func (j *Journal) Records() []Record { return j.records }

// Append writes a record and syncs it to disk before returning.
func (j *Journal) Append(r Record) error {
	if j.f == nil {
		return podium.Errorf(podium.EINTERNAL, "journal is read-only")
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("append journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync journal: %w", err)
	}
	j.records = append(j.records, r)
	return nil
}

// Close closes the journal file.
func (j *Journal) Close() error {
	if j.f == nil {
		return nil
	}
	return j.f.Close()
}
