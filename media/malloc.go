package media

import (
	"os"
	"strings"
)

// ffmpegMalloc tunes glibc's allocator in ffmpeg children. ffmpeg
// allocates a fresh buffer of about a frame (1.4 MB at 720p) for many
// packets and frames; glibc serves each from a new mapping or a trimmed
// heap, so every frame's pages fault in again. On a virtual machine a page
// fault costs microseconds, and verifying the stock ladder took ~23,000 of
// them. Keeping freed memory (no trim, large allocations from the heap with
// 128 MB of padding) and backing the heap with transparent huge pages
// (hugetlb=1, used where the kernel allows madvise) cut that to ~4,000 and
// ffmpeg's CPU time by about a third (docs/benchmarks.md). glibc ignores
// tunables it does not know, and other C libraries ignore the variable.
const ffmpegMalloc = "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:" +
	"glibc.malloc.trim_threshold=2147483647:glibc.malloc.top_pad=134217728"

// ffmpegEnv is the environment of ffmpeg children: this process's, with
// ffmpegMalloc unless GLIBC_TUNABLES is already set (the operator's choice
// wins).
func ffmpegEnv() []string {
	env := os.Environ()
	for _, kv := range env {
		if strings.HasPrefix(kv, "GLIBC_TUNABLES=") {
			return env
		}
	}
	return append(env, "GLIBC_TUNABLES="+ffmpegMalloc)
}
