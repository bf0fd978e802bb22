#!/usr/bin/env bash
# anchor.sh builds and runs leaderboard-serverless (the "anchor" podium is
# measured against) from its public source, on net/http and a local
# PostgreSQL. No code of it is kept in this repository: ANCHOR_SRC is a
# checkout (or an export) of github.com/livepeer/leaderboard-serverless,
# and a small main.go of our own routes its handler functions.
#
#   ANCHOR_SRC=/path/to/leaderboard-serverless scripts/anchor.sh build BIN
#   PODIUM_SECRET=… scripts/anchor.sh serve BIN 127.0.0.1:18080 postgres://…/db?sslmode=disable
#
# The anchor creates its tables itself (its embedded migrations, run at its
# first request: CREATE DATABASE leaderboard is tried on the connected
# server, then the events, regions and job_types tables with its seeded
# regions). It signs posts as podium's Authorization header does: lowercase
# hex HMAC-SHA256(SECRET, body).
set -euo pipefail

usage() {
	sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

build() {
	local bin=$1
	[ -n "${ANCHOR_SRC:-}" ] || { echo "set ANCHOR_SRC to a checkout of github.com/livepeer/leaderboard-serverless" >&2; exit 2; }
	[ -f "$ANCHOR_SRC/api/post_stats.go" ] && [ -f "$ANCHOR_SRC/go.sum" ] ||
		{ echo "ANCHOR_SRC=$ANCHOR_SRC is not a leaderboard-serverless source tree (no api/post_stats.go or go.sum)" >&2; exit 2; }
	local src wrap
	src=$(cd "$ANCHOR_SRC" && pwd)
	wrap=$(mktemp -d)
	trap 'rm -rf "$wrap"' RETURN
	# The anchor's own go.mod pins every dependency (through the replace,
	# its requirements are the build's); its go.sum holds their checksums.
	cat >"$wrap/go.mod" <<-MOD
		module podium.local/anchorserver

		go 1.22

		require github.com/livepeer/leaderboard-serverless v0.0.0

		replace github.com/livepeer/leaderboard-serverless => $src
	MOD
	cp "$src/go.sum" "$wrap/go.sum"
	cat >"$wrap/main.go" <<-'GO'
		// Command anchorserver serves leaderboard-serverless's API handlers on
		// the address given as its one argument.
		package main

		import (
			"log"
			"net/http"
			"os"

			handler "github.com/livepeer/leaderboard-serverless/api"
		)

		func main() {
			if len(os.Args) != 2 {
				log.Fatal("usage: anchorserver LISTEN-ADDRESS (with $POSTGRES and $SECRET set)")
			}
			mux := http.NewServeMux()
			mux.HandleFunc("/api/post_stats", handler.PostStatsHandler)
			mux.HandleFunc("/api/aggregated_stats", handler.AggregatedStatsHandler)
			mux.HandleFunc("/api/raw_stats", handler.RawStatsHandler)
			mux.HandleFunc("/api/regions", handler.RegionsHandler)
			mux.HandleFunc("/api/pipelines", handler.PipelinesHandler)
			mux.HandleFunc("/api/top_ai_score", handler.TopAiScoreHandler)
			log.Fatal(http.ListenAndServe(os.Args[1], mux))
		}
	GO
	(cd "$wrap" && go build -mod=mod -o "$bin" .)
	local commit=unknown
	if git -C "$src" rev-parse HEAD >/dev/null 2>&1; then
		commit=$(git -C "$src" rev-parse HEAD)
	elif [ -n "${ANCHOR_COMMIT:-}" ]; then
		commit=$ANCHOR_COMMIT
	fi
	echo "anchor built: $bin (leaderboard-serverless $commit)"
}

serve() {
	local bin=$1 listen=$2 dsn=$3
	[ -n "${PODIUM_SECRET:-}" ] || { echo "set PODIUM_SECRET: the anchor checks posts with it" >&2; exit 2; }
	POSTGRES=$dsn SECRET=$PODIUM_SECRET LOG_LEVEL=${LOG_LEVEL:-warn} exec "$bin" "$listen"
}

case "${1:-}" in
build) [ $# -eq 2 ] || usage; build "$2" ;;
serve) [ $# -eq 4 ] || usage; serve "$2" "$3" "$4" ;;
*) usage ;;
esac
