#!/usr/bin/env bash
# Runs `podium demo` on the embedded defaults: installs ffmpeg when missing
# (as root) and builds podium first. Extra arguments go to `podium demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_packages ffmpeg:ffmpeg ffprobe:ffmpeg
mkdir -p bin
go build -o bin/podium ./cmd/podium
exec ./bin/podium demo "$@"
