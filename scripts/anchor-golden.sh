#!/usr/bin/env bash
# anchor-golden.sh records leaderboard-serverless's answers (the "anchor")
# as golden files for web/anchor_golden_test.go: it builds the anchor from a
# checkout of its source (scripts/anchor.sh), starts it on a fresh local
# PostgreSQL database, posts web/testdata/anchor/records.jsonl signed as the
# anchor checks posts, asks every request of requests.tsv and writes each
# answer (status and body) to web/testdata/anchor/NAME.json, the answers to
# the posts to posts.json and manifest.json naming the anchor's commit and
# each file's request. Run it again after changing records.jsonl or
# requests.tsv; never edit the answers by hand.
#
#   ANCHOR_SRC=/path/to/leaderboard-serverless scripts/anchor-golden.sh
#
# It needs Go and PostgreSQL 15 (started if down, as scripts/test.sh does);
# it uses the database ANCHOR_DB (default anchor_golden; dropped and made
# anew; the anchor also
# tries CREATE DATABASE leaderboard on the server) and the loopback port
# ANCHOR_PORT (default 18190). Set ANCHOR_COMMIT when ANCHOR_SRC is an
# export without .git.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

[ -n "${ANCHOR_SRC:-}" ] || { echo "set ANCHOR_SRC to a checkout of github.com/livepeer/leaderboard-serverless" >&2; exit 2; }
need_packages curl:curl
start_postgres

commit=${ANCHOR_COMMIT:-}
if git -C "$ANCHOR_SRC" rev-parse HEAD >/dev/null 2>&1; then
	commit=$(git -C "$ANCHOR_SRC" rev-parse HEAD)
	if [ -n "$(git -C "$ANCHOR_SRC" status --porcelain)" ]; then
		echo "ANCHOR_SRC=$ANCHOR_SRC has local changes: the golden files must come from a commit" >&2
		exit 1
	fi
fi
[ -n "$commit" ] || { echo "ANCHOR_SRC has no .git: set ANCHOR_COMMIT to the commit it is an export of" >&2; exit 2; }

work=$(mktemp -d /tmp/anchor-golden.XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

scripts/anchor.sh build "$work/anchor"
db=${ANCHOR_DB:-anchor_golden}
drop_database "$db" && create_database "$db"
dsn="postgres://podium:podium@127.0.0.1:${PGPORT:-5432}/$db?sslmode=disable"
port=${ANCHOR_PORT:-18190}
url="http://127.0.0.1:$port"
if curl -s -o /dev/null "$url/api/regions"; then
	echo "port $port is taken: stop what listens there or set ANCHOR_PORT" >&2
	exit 1
fi
export PODIUM_SECRET
PODIUM_SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
scripts/anchor.sh serve "$work/anchor" "127.0.0.1:$port" "$dsn" >"$work/anchor.log" 2>&1 &
pid=$!
# Its first request runs its migrations: tables and seeded regions.
for _ in $(seq 600); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/regions")" = 200 ] && break
	kill -0 "$pid" 2>/dev/null || { cat "$work/anchor.log" >&2; exit 1; }
	sleep 0.1
done

dir=web/testdata/anchor
find "$dir" -name '*.json' -delete
go run ./internal/anchorgolden --url "$url" --dsn "$dsn" --dir "$dir" --commit "$commit"
echo "golden files of leaderboard-serverless $commit written to $dir"
