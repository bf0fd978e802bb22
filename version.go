package podium

import (
	"runtime/debug"
	"strings"
)

// Version is podium's version: the module version it was built as, without
// its "v", or 0.0.0-devel when built from a work tree. It is semver, as
// go-livepeer expects a node's version in its capabilities to be.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := strings.TrimPrefix(bi.Main.Version, "v"); v != "" && v != "(devel)" {
			return v
		}
	}
	return "0.0.0-devel"
}
