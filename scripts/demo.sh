#!/usr/bin/env bash
# README command one: builds podium and runs `podium demo`, a whole compressed
# round on this machine — reference orchestrators (one cheats) on a local dev
# chain, probers in three regions behind real added delay, the leaderboard and
# web UI, the snapshot, rewards, results report and payout, then verification.
# Arguments go to `podium demo` (e.g. --exit, --round 5m, --dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_packages ffmpeg:ffmpeg ffprobe:ffmpeg
if ! command -v go >/dev/null 2>&1; then
	echo "missing: Go 1.26 or later; install it from https://go.dev/dl/ and put it on PATH" >&2
	exit 1
fi

mkdir -p bin
echo "building podium…"
go build -o bin/podium ./cmd/podium
exec bin/podium demo "$@"
