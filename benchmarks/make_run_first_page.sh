#!/usr/bin/env bash
# `make run` from a fresh clone: seconds until the first page (/login/ answers 200) and the
# number of lines it printed by then (issue 16). Each line of the log is also time-stamped in
# <out>.tslog so that the phases (venv, install, migrate, demo, serve) can be read off.
#   benchmarks/make_run_first_page.sh [REPO] [LABEL] [PORT] [COMMIT]
# It clones REPO (default: this checkout; at COMMIT if given) to /tmp/serviceloop-first-run-LABEL, starts
# `make run PORT=PORT` in its own process group, polls the login page, then stops the group.
set -u
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}; label=${2:-now}; port=${3:-8000}; rev=${4:-}
dir=/tmp/serviceloop-first-run-$label; out=/tmp/serviceloop-first-run-$label.log
rm -rf "$dir"; git clone -q "$src" "$dir"; cd "$dir" || exit 1
[ -n "$rev" ] && git checkout -q "$rev"
start=$(date +%s.%N)
setsid bash -c "make run PORT=$port 2>&1 | tee $out | while IFS= read -r l; do echo \"\$(date +%s.%N | cut -c1-14) \$l\"; done > $out.tslog" &
pid=$!
for _ in $(seq 1 1800); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login/")" = 200 ] && break
  sleep 0.5
done
end=$(date +%s.%N)
# CPU seconds of the whole run so far (a fairer figure than wall time on a shared machine):
# every live process of the session, with the children each has reaped (pip, migrate, demo).
tck=$(getconf CLK_TCK)
cpu=$(for p in $(ps -s "$pid" -o pid=); do
  [ -r /proc/$p/stat ] && sed 's/.*) //' /proc/$p/stat | awk '{print $12+$13+$14+$15}'
done | awk -v t="$tck" '{s+=$1} END {printf "%.1f", s/t}')
echo "$label: first page after $(echo "$end - $start" | bc) s wall, $cpu s CPU; log lines: $(wc -l < "$out"); load $(cut -d' ' -f1-3 /proc/loadavg)"
awk 'NR==1{s=$1} {printf "%7.1f s  %s\n", $1-s, substr($0, index($0," ")+1)}' "$out.tslog" \
  | grep -v -e "send_notification_emails" -e "^ *[0-9.]* s  WARNING: Location" | head -40
kill -TERM -- -"$pid" 2>/dev/null; sleep 2; kill -KILL -- -"$pid" 2>/dev/null
true
