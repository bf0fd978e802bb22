// Package cputime reads the CPU time a process has used, with the
// children it waited for (ffmpeg), for benchmarks that must count the work
// they hand to other programs.
package cputime

import (
	"syscall"
	"time"
)

// Used returns the CPU time (user + system) used so far by this process
// and its waited-for children.
func Used() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}
