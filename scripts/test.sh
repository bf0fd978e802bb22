#!/usr/bin/env bash
# Runs podium's whole test suite on a Debian machine with Go: installs or
# starts what the tests need (ffmpeg, chromium, PostgreSQL 15), creates a
# throwaway database, checks gofmt, runs vet and a pinned staticcheck, the
# tests (PostgreSQL included) and a short fuzzing pass. Set PODIUM_TEST_POSTGRES_DSN to use a server of your own.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_packages ffmpeg:ffmpeg ffprobe:ffmpeg chromium:chromium

if [ -z "${PODIUM_TEST_POSTGRES_DSN:-}" ]; then
	start_postgres
	db="podium_test_$$_$(date +%s)"
	create_database "$db"
	trap 'drop_database "$db"' EXIT
	export PODIUM_TEST_POSTGRES_DSN="postgres://podium:podium@127.0.0.1:${PGPORT:-5432}/$db?sslmode=disable"
fi

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "not gofmt-formatted (run gofmt -w on them):" >&2
	echo "$unformatted" >&2
	exit 1
fi
echo "== go vet"
go vet ./...
echo "== staticcheck ${STATICCHECK_VERSION:=v0.8.2}"
go run "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}" ./...
echo "== go test"
go test -count=1 -timeout 30m ./...
echo "== fuzz (brief)"
fuzz_briefly "${PODIUM_FUZZTIME:-5s}"
