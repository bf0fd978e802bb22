package postgres

// semaphore is a sync.Locker that admits cap(s) holders at once.
type semaphore chan struct{}

// Lock waits for a free place.
func (s semaphore) Lock() { s <- struct{}{} }

// Unlock frees a place.
func (s semaphore) Unlock() { <-s }
