#!/usr/bin/env bash
# sidebyside.sh measures podium against leaderboard-serverless (the anchor),
# side by side on this machine, with the same client and the same records,
# and prints issue 20's table as Markdown with ratios and the load average:
#
#   - bulk load of the history (100 orchestrators × 10 regions, one test
#     every 5 minutes): the anchor by COPY into its events table, podium by
#     `podium import` into SQLite and into PostgreSQL, one at a time;
#   - GET /api/aggregated_stats p50, last 7 days and last 24 h of the data,
#     each system on a freshly started server;
#   - that both systems answer aggregated_stats alike (to 1e-10);
#   - signed ingest: podium-load, 16 posters, one record per POST,
#     keep-alive, records acknowledged = stored, on freshly started servers,
#     the systems interleaved in each round.
#
#   ANCHOR_SRC=/path/to/leaderboard-serverless scripts/sidebyside.sh [options]
#
# options:
#   --records N   history size (default 2016000, the full week)
#   --posts N     posts per ingest run (default 20000)
#   --rounds N    ingest rounds, each running the three systems (default 2)
#   --reads N     requests per read window, after one warm-up (default 7)
#   --podium BIN  the podium binary to measure (default: built from this tree)
#   --work DIR    where data, databases and logs go (default: a new temp dir)
#
# It needs Go, PostgreSQL 15 (started if down, as scripts/test.sh does) and
# psql; it uses the databases sbs_anchor and sbs_podium (dropped and made
# anew) and the loopback ports 18180-18182. Set ANCHOR_COMMIT to record the
# anchor's commit when ANCHOR_SRC is an export without .git.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

records=2016000 posts=20000 rounds=2 reads=7 podium="" work=""
while [ $# -gt 0 ]; do
	case "$1" in
	--records) records=$2; shift 2 ;;
	--posts) posts=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--reads) reads=$2; shift 2 ;;
	--podium) podium=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	*) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
[ -n "${ANCHOR_SRC:-}" ] || { echo "set ANCHOR_SRC to a checkout of github.com/livepeer/leaderboard-serverless" >&2; exit 2; }
need_packages psql:postgresql-client-15 curl:curl
start_postgres

work=${work:-$(mktemp -d /tmp/sidebyside.XXXXXX)}
mkdir -p "$work"
results=$work/results.tsv
: >"$results"
echo "work directory: $work"

# Servers this script started, stopped on exit (by their own PIDs only).
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT

loadavg() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
result() { echo "$1 $2 $3 $(loadavg)" | tee -a "$results"; }

echo "== build"
go build -o "$work/podium-load" ./cmd/podium-load
if [ -z "$podium" ]; then
	go build -o "$work/podium" ./cmd/podium
	podium=$work/podium
fi
scripts/anchor.sh build "$work/anchor" | tee "$work/anchor-build.txt"
load=$work/podium-load

export PODIUM_SECRET
PODIUM_SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
pg="postgres://podium:podium@127.0.0.1:${PGPORT:-5432}"
anchor_dsn="$pg/sbs_anchor?sslmode=disable"
podium_dsn="$pg/sbs_podium?sslmode=disable"
sqlite_db=$work/podium.db
regions=MDW,FRA,SIN,NYC,LAX,LON,PRG,SAO,ATL,HND
declare -A port=([anchor]=18180 [sqlite]=18181 [postgres]=18182)

# start SYSTEM starts its server and waits until it answers.
start() {
	local sys=$1 url="http://127.0.0.1:${port[$1]}"
	if curl -s -o /dev/null "$url/api/regions"; then
		echo "port ${port[$sys]} is taken: stop what listens there" >&2
		exit 1
	fi
	case "$sys" in
	anchor) scripts/anchor.sh serve "$work/anchor" "127.0.0.1:${port[anchor]}" "$anchor_dsn" >>"$work/anchor.log" 2>&1 & ;;
	sqlite) "$podium" serve --listen "127.0.0.1:${port[sqlite]}" --db "$sqlite_db" --regions "$work/regions.yaml" >>"$work/sqlite.log" 2>&1 & ;;
	postgres) "$podium" serve --listen "127.0.0.1:${port[postgres]}" --db "$podium_dsn" --regions "$work/regions.yaml" >>"$work/postgres.log" 2>&1 & ;;
	esac
	pids+=($!)
	for _ in $(seq 600); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/regions")" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "$sys did not answer on $url within 60 s; see $work/$sys.log" >&2
	exit 1
}

# stop_all stops every server started.
stop_all() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}

url() { echo "http://127.0.0.1:${port[$1]}"; }

echo "== databases"
drop_database sbs_anchor && create_database sbs_anchor
drop_database sbs_podium && create_database sbs_podium
rm -f "$sqlite_db" "$sqlite_db"-*
for r in ${regions//,/ }; do echo "- {id: $r, name: $r}"; done >"$work/regions.yaml"
start anchor # its first request runs its migrations: tables and seeded regions
stop_all
region_ids=$(psql "$anchor_dsn" -qtA -F= -R, -c \
	"SELECT r.name, r.id FROM regions r JOIN job_types j ON j.id = r.job_type_id WHERE j.name = 'transcoding'")

echo "== generate $records records"
"$load" gen --records "$records" --out "$work/records.jsonl"
"$load" gen --records "$records" --format anchor-copy --region-ids "$region_ids" --out "$work/anchor.copy"

echo "== bulk load (one at a time)"
t0=$(now)
psql "$anchor_dsn" -q -v ON_ERROR_STOP=1 -c "\\copy events(event_time, orchestrator, region_id, payload) FROM '$work/anchor.copy'"
result bulk anchor "$(secs "$t0" "$(now)")"
psql "$anchor_dsn" -q -c "ANALYZE events" # untimed: the planner's statistics, as autovacuum would
t0=$(now)
"$podium" import --db "$sqlite_db" --regions "$work/regions.yaml" "$work/records.jsonl" 2>"$work/import-sqlite.log"
result bulk sqlite "$(secs "$t0" "$(now)")"
t0=$(now)
"$podium" import --db "$podium_dsn" --regions "$work/regions.yaml" "$work/records.jsonl" 2>"$work/import-postgres.log"
result bulk postgres "$(secs "$t0" "$(now)")"

echo "== reads: aggregated_stats p50 ($reads requests per window, freshly started servers)"
for sys in anchor sqlite postgres; do
	start "$sys"
	"$load" read --url "$(url "$sys")" --records "$records" --n "$reads" | while read -r figure p50; do
		result "$figure" "$sys" "$p50"
	done
	stop_all
done

echo "== answers agree"
start anchor; start sqlite; start postgres
agree=ok
for sys in sqlite postgres; do
	if ! "$load" compare --url "$(url anchor)" --against "$(url "$sys")" --records "$records" | sed "s/^/anchor vs $sys: /"; then
		agree=DIFFER
	fi
done
stop_all

echo "== ingest: $rounds rounds × 3 systems, $posts posts each, freshly started servers"
for round in $(seq "$rounds"); do
	for sys in anchor sqlite postgres; do
		start "$sys"
		anchor_flag=()
		[ "$sys" = anchor ] && anchor_flag=(--anchor)
		"$load" --url "$(url "$sys")" "${anchor_flag[@]}" --posts "$posts" --duration 30m --posters 16 --readers 0 \
			--orchestrators 100 --regions "$regions" --seed "$((round * 100))" --summary "$work/ingest.json" >"$work/ingest-$sys-$round.txt"
		rate=$(sed -n 's/.*"records_per_s":\([0-9.e+-]*\).*/\1/p' "$work/ingest.json")
		echo "round $round $sys: $(tail -n 1 "$work/ingest-$sys-$round.txt")"
		result ingest "$sys" "$rate"
		stop_all
	done
done

echo
echo "## Side by side: podium vs leaderboard-serverless"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
	"$("$podium" version 2>/dev/null | head -n 1 || echo podium) ($podium);" \
	"$(sed -n 's/.*(\(leaderboard-serverless [^)]*\)).*/\1/p' "$work/anchor-build.txt"); PostgreSQL $(psql "$pg/postgres" -qtAc 'SHOW server_version');" \
	"$records records, $posts posts × $rounds rounds; aggregated_stats answers: $agree."
echo
"$load" table --records "$records" --posts "$posts" "$results"
[ "$agree" = ok ]
