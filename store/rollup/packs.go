package rollup

import "time"

// Sealed cells. Once a bucket has ended, the sums of its cells rarely
// change, so both stores keep them again packed, PackBlock series (by ID)
// to a row: a 7-day window then reads about sixteen times fewer rows. A
// horizon says which cells are packed: those with bucket+width <= it. A
// packer in each open store moves it to SealDelay ago every PackInterval,
// PackStep at a time; a record stored later updates its rollups and the
// packs in one transaction. See store/postgres/packs.go and
// store/sqlite/packs.go.
const (
	// PackBlock is how many series share one packed row.
	PackBlock = 16

	// SealDelay is how long after a bucket ends its cells are packed:
	// records usually arrive within it, and appending to a pack costs
	// more than updating a rollup.
	SealDelay = 10 * time.Minute

	// PackInterval is how often an open store runs its packer.
	PackInterval = time.Minute

	// PackStep is the most time the packer seals in one transaction, so
	// that writers wait at most that long while a backlog (a first start
	// on an old database, a long outage) is packed.
	PackStep = 86400
)
