#!/usr/bin/env bash
# `make run` from a fresh clone: seconds until the first page (/login/ answers 200) and the
# number of lines it printed by then (issue 16). Each line of the log is also time-stamped in
# <out>.tslog so that the phases (venv, install, migrate, demo, serve) can be read off.
#   benchmarks/make_run_first_page.sh [REPO] [LABEL] [PORT]
# It clones REPO (default: this checkout) to /tmp/serviceloop-first-run-LABEL, starts
# `make run PORT=PORT` in its own process group, polls the login page, then stops the group.
set -u
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}; label=${2:-now}; port=${3:-8000}
dir=/tmp/serviceloop-first-run-$label; out=/tmp/serviceloop-first-run-$label.log
rm -rf "$dir"; git clone -q "$src" "$dir"; cd "$dir" || exit 1
start=$(date +%s.%N)
setsid bash -c "make run PORT=$port 2>&1 | tee $out | while IFS= read -r l; do echo \"\$(date +%s.%N | cut -c1-14) \$l\"; done > $out.tslog" &
pid=$!
for _ in $(seq 1 1800); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login/")" = 200 ] && break
  sleep 0.5
done
end=$(date +%s.%N)
echo "$label: first page after $(echo "$end - $start" | bc) s; log lines: $(wc -l < "$out")"
awk 'NR==1{s=$1} {printf "%7.1f s  %s\n", $1-s, substr($0, index($0," ")+1)}' "$out.tslog" \
  | grep -v -e "send_notification_emails" -e "^ *[0-9.]* s  WARNING: Location" | head -40
kill -TERM -- -"$pid" 2>/dev/null; sleep 2; kill -KILL -- -"$pid" 2>/dev/null
true
