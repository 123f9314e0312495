#!/usr/bin/env bash
# How long a one-question routerctl command takes, beside `jcmd PID Thread.print` on the same
# target: wall time and CPU (user + sys) of each, median of N runs taken in turns, and the time
# `top` takes to show its first screen (in tmux). The target is the sample router, which carries
# the probes. Uses the release archive (run `mvn -B -DskipTests package` first).
#
#   docs/bench/startup.sh [runs]        (default 31: the differences left are a few percent)
#
# Say the load average: a figure taken on a busy machine is not a result.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-31}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
tarball=$(ls console/dist/target/routerctl-*.tar.gz)
work=$(mktemp -d)
trap 'kill "$sample" 2>/dev/null || true; tmux kill-session -t startup-bench 2>/dev/null || true; rm -rf "$work"' EXIT
tar xzf "$tarball" -C "$work"
release=$(ls -d "$work"/routerctl-*)
export ROUTERCTL_ATTACH_DIR=$work/attach XDG_CACHE_HOME=$work/cache
mkdir -m 700 "$ROUTERCTL_ATTACH_DIR"

"$java" -jar "$release/lib/routerctl-samples.jar" sample --port 0 >"$work/sample.out" 2>&1 &
sample=$!
for _ in $(seq 1 200); do [ -S "$ROUTERCTL_ATTACH_DIR/$sample.sock" ] && break; sleep 0.1; done
[ -S "$ROUTERCTL_ATTACH_DIR/$sample.sock" ] || { echo "the sample never became attachable" >&2; exit 1; }
# One idle connection: a task for `task` to show.
for _ in $(seq 1 100); do
  port=$(sed -n 's|^  router *http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/sample.out")
  [ -n "$port" ] && break
  sleep 0.1
done
exec 3<>"/dev/tcp/127.0.0.1/$port"
for _ in $(seq 1 50); do
  "$release/bin/routerctl" snapshot --pid "$sample" -o "$work/snap.json" >/dev/null 2>&1
  task=$(sed -n 's/^ *"id" *: *\([0-9]*\).*/\1/p' "$work/snap.json" | head -1)
  [ -n "$task" ] && break
  sleep 0.1
done
[ -n "$task" ] || { echo "the idle connection never showed as a task" >&2; exit 1; }

declare -A cmd=(
  [jcmd]="$jcmd $sample Thread.print"
  [list]="$release/bin/routerctl list"
  [dump-stuck]="$release/bin/routerctl dump-stuck --pid $sample"
  [task]="$release/bin/routerctl task $task --pid $sample"
  [loops]="$release/bin/routerctl loops --pid $sample"
  [jar-plain]="$java -jar $release/lib/routerctl.jar dump-stuck --pid $sample"
)
order=(jcmd list dump-stuck task loops jar-plain)
# Warm the file cache, and let each command's first run list its classes; the launcher writes
# the class-data sharing archive in the background: wait for it (and for every command in it).
for c in "${order[@]}"; do ${cmd[$c]} >/dev/null 2>&1 || true; done
for _ in $(seq 1 600); do
  ready=1
  for c in list dump-stuck task loops; do
    ls "$XDG_CACHE_HOME"/routerctl/*.has-$c >/dev/null 2>&1 || ready=
  done
  ls "$XDG_CACHE_HOME"/routerctl/*.lock >/dev/null 2>&1 && ready=
  [ -n "$ready" ] && break
  # A command whose list came after the archive's last round lists again and asks again.
  for c in list dump-stuck task loops; do
    ls "$XDG_CACHE_HOME"/routerctl/*.has-$c >/dev/null 2>&1 || ${cmd[$c]} >/dev/null 2>&1 || true
  done
  sleep 0.1
done
ls "$XDG_CACHE_HOME"/routerctl/*.jsa >/dev/null 2>&1 || { echo "no class-data archive was written" >&2; exit 1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# In turns, timed to the millisecond (wall: a monotonic clock; CPU: the child's user + sys time);
# /usr/bin/time's 10 ms steps are as large as the differences measured here.
args=()
for c in "${order[@]}"; do args+=("$c" "${cmd[$c]}"); done
python3 - "$runs" "${args[@]}" <<'PY'
import resource, statistics, subprocess, sys, time
runs = int(sys.argv[1])
pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
times = {name: ([], []) for name, _ in pairs}
for _ in range(runs):
    for name, line in pairs:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(line.split(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            sys.exit(f"{name} failed: {done.stderr.decode(errors='replace').strip()}")
        times[name][0].append(wall)
        times[name][1].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
jw, jc = (statistics.median(v) for v in times["jcmd"])
print(f"{'command':<12} {'wall_s':>8} {'cpu_s':>8} {'wall/jcmd':>9} {'cpu/jcmd':>9}")
for name, _ in pairs:
    w, c = (statistics.median(v) for v in times[name])
    print(f"{name:<12} {w:8.3f} {c:8.3f} {w / jw:9.2f} {c / jc:9.2f}")
PY
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# top: from start until its table header is on the screen, at 120 columns.
if command -v tmux >/dev/null; then
  firsts=()
  for _ in 1 2 3 4 5 6 7; do
    tmux kill-session -t startup-bench 2>/dev/null || true
    # The clock starts inside the pane, as the command starts (not with tmux's own start-up);
    # reading the pane adds about 30 ms.
    tmux new-session -d -s startup-bench -x 120 -y 40 "sh -c 'date +%s%N > $work/t0; \
      ROUTERCTL_ATTACH_DIR=$ROUTERCTL_ATTACH_DIR XDG_CACHE_HOME=$XDG_CACHE_HOME exec $release/bin/routerctl top --pid $sample'"
    until tmux capture-pane -p -t startup-bench 2>/dev/null | grep -q 'LAST STEP'; do sleep 0.005; done
    firsts+=($(( ($(date +%s%N) - $(cat "$work/t0")) / 1000000 )))
    tmux send-keys -t startup-bench q
    while tmux has-session -t startup-bench 2>/dev/null; do sleep 0.05; done
  done
  echo "top, first screen (ms): ${firsts[*]}; median $(printf '%s\n' "${firsts[@]}" | median)"
fi
