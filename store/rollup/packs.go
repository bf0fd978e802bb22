package rollup

import (
	"fmt"
	"strings"
	"time"

	"github.com/podiumhq/podium"
)

// Sealed cells. Once a bucket has ended, the sums of its cells rarely
// change, so both stores keep them again packed, PackBlock series (by ID)
// to a row: a 7-day window then reads about sixteen times fewer rows. A
// horizon says which cells are packed: those with bucket+width <= it. The
// upkeep (StartUpkeep), which the process owning the store starts, moves it
// to SealDelay before its clock every PackInterval, PackStep at a time; a
// record folded later (fold.go) updates its rollups and the packs in one
// transaction. See store/postgres/packs.go and
// store/sqlite/packs.go.
const (
	// PackBlock is how many series share one packed row.
	PackBlock = 16

	// SealDelay is how long after a bucket ends its cells are packed:
	// records usually arrive within it, and appending to a pack costs
	// more than updating a rollup.
	SealDelay = 10 * time.Minute

	// PackInterval is how often the upkeep packs.
	PackInterval = time.Minute

	// PackStep is the most time the packer seals in one transaction, so
	// that writers wait at most that long while a backlog (a first start
	// on an old database, a long outage) is packed.
	PackStep = 86400
)

// BlockFilter turns a SeriesFilter condition into the condition selecting
// the packed rows holding those series, or "" for "".
func BlockFilter(seriesFilter string) string {
	return strings.Replace(seriesFilter, "series IN (SELECT id FROM",
		fmt.Sprintf("block IN (SELECT id / %d FROM", PackBlock), 1)
}

// PackCheck compares, for a store's CheckPacks, the sums its packed rows
// hold with those of the sealed rollup cells.
type PackCheck struct {
	sealed, packed map[Cell]podium.Aggregate
}

// Sealed adds the sums of a sealed rollup cell.
func (c *PackCheck) Sealed(cell Cell, a podium.Aggregate) {
	if c.sealed == nil {
		c.sealed = make(map[Cell]podium.Aggregate)
	}
	c.sealed[cell] = a
}

// Packed adds the sums of one entry of the packed row (width, bucket, block).
func (c *PackCheck) Packed(width, bucket, block, series int64, a podium.Aggregate) {
	if c.packed == nil {
		c.packed = make(map[Cell]podium.Aggregate)
	}
	cell := Cell{Width: width, Bucket: bucket, Series: series}
	if series/PackBlock != block {
		cell.Series = -1 - series // an entry in the wrong block never matches
	}
	c.packed[cell] = c.packed[cell].Add(a)
}

// Err reports whether the packed rows hold exactly the sealed cells' sums.
func (c *PackCheck) Err() error {
	if len(c.sealed) != len(c.packed) {
		return fmt.Errorf("the packs hold %d cells, the sealed rollups %d", len(c.packed), len(c.sealed))
	}
	for cell, a := range c.sealed {
		if p, ok := c.packed[cell]; !ok || p != a {
			return fmt.Errorf("cell %+v: packed %+v, sealed %+v", cell, p, a)
		}
	}
	return nil
}
