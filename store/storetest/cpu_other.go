//go:build !unix

package storetest

import "time"

// processCPU is not measured on this platform.
func processCPU() time.Duration { return 0 }
