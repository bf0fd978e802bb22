# Shared helpers for podium's scripts. Sourced, not run.

# need_packages CMD:PKG ... installs PKG when CMD is missing (as root, with
# apt-get), or says exactly what to install and stops.
need_packages() {
	local missing=()
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	# shellcheck disable=SC2207
	missing=($(printf '%s\n' "${missing[@]}" | sort -u))
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing: ${missing[*]}"
		# Another install (unattended upgrades, a second script) may hold
		# dpkg's lock: apt waits for it, up to APT_LOCK_TIMEOUT seconds,
		# instead of failing at once.
		local wait=(-o "DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT:-600}")
		if ! apt-get "${wait[@]}" update -q >/dev/null ||
			! DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -q "${missing[@]}" >/dev/null; then
			echo "could not install ${missing[*]} (apt-get failed; if another install held dpkg's lock for ${APT_LOCK_TIMEOUT:-600} s, let it finish and run this again)" >&2
			exit 1
		fi
	else
		echo "missing: ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
		exit 1
	fi
}

# start_postgres starts the local PostgreSQL 15 cluster if it is down.
start_postgres() {
	if ! command -v pg_ctlcluster >/dev/null; then
		need_packages pg_ctlcluster:postgresql-15
	fi
	if ! pg_lsclusters -h 2>/dev/null | awk '$1==15 && $2=="main"' | grep -q online; then
		pg_ctlcluster 15 main start
	fi
	as_postgres psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname='podium'" | grep -q 1 ||
		as_postgres psql -qc "CREATE ROLE podium LOGIN SUPERUSER PASSWORD 'podium'"
}

as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		(cd /tmp && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

create_database() { as_postgres psql -qc "CREATE DATABASE \"$1\" OWNER podium"; }
drop_database() { as_postgres psql -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true; }

# fuzz_briefly runs every Fuzz target in the module for the given time. An
# input that fails is written under the package's testdata/fuzz and fails
# the run; a fuzzing run that fails without one (the fuzzing engine itself,
# e.g. a worker that does not answer in time on a loaded machine) is shown
# and tried up to twice more.
fuzz_briefly() {
	local t=$1 pkg name out try
	out=$(mktemp)
	while IFS=: read -r file name; do
		pkg="./$(dirname "$file")"
		name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"$name")
		for try in 1 2 3; do
			echo "fuzz $pkg $name ($t)"
			if go test -run='^$' -fuzz="^${name}\$" -fuzztime="$t" "$pkg" >"$out" 2>&1; then
				break
			fi
			cat "$out"
			if grep -q "Failing input written to" "$out" || [ "$try" = 3 ]; then
				rm -f "$out"
				return 1
			fi
			echo "fuzz $pkg $name: the fuzzing run failed without a failing input; trying again"
		done
	done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sort)
	rm -f "$out"
}
