package postgres

// SetSealPage makes Pack read n cells at a time until the test ends.
func SetSealPage(t interface{ Cleanup(func()) }, n int) {
	old := sealPage
	sealPage = n
	t.Cleanup(func() { sealPage = old })
}
