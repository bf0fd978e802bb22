#!/usr/bin/env bash
# A short walk-through of the leaderboard service (until `podium demo`
# exists): builds podium, starts `podium serve` on a temporary SQLite database
# with a random secret, signs and posts sample test results stamped a few
# minutes ago, prints the aggregated_stats JSON and stops the server cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin
go build -o bin/podium ./cmd/podium

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

PODIUM_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export PODIUM_SECRET

echo "== podium serve --listen 127.0.0.1:0 --db $tmp/podium.db"
./bin/podium serve --listen 127.0.0.1:0 --db "$tmp/podium.db" 2>"$tmp/serve.log" &
pid=$!
addr=
for _ in $(seq 100); do
	addr=$(sed -n 's/.*msg=listening component=serve addr=\([^ ]*\).*/\1/p' "$tmp/serve.log")
	[ -n "$addr" ] && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
	sleep 0.1
done
[ -n "$addr" ] || { echo "podium serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
url="http://$addr"
echo "listening on $url"

echo "== podium post --leaderboard $url (5 sample records, timestamps near now)"
now=$(date +%s)
awk -v now="$now" '{ while (match($0, /NOW-[0-9]+/)) {
	ago = substr($0, RSTART + 4, RLENGTH - 4)
	$0 = substr($0, 1, RSTART - 1) (now - ago) substr($0, RSTART + RLENGTH) } print }' \
	scripts/testdata/sample-stats.jsonl >"$tmp/stats.jsonl"
./bin/podium post --leaderboard "$url" "$tmp/stats.jsonl"

echo "== posting the same records again is idempotent"
./bin/podium post --leaderboard "$url" "$tmp/stats.jsonl" | tail -n 1

echo "== GET $url/api/aggregated_stats (last 24 h; scores on 0-1, people see them x10)"
curl -fsS "$url/api/aggregated_stats" | python3 -m json.tool

echo "== stopping the server"
kill -TERM "$pid"
wait "$pid"
pid=
grep -q 'msg="shutting down"' "$tmp/serve.log" && echo "stopped cleanly"
