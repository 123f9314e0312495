#!/usr/bin/env bash
# Soak: the sample router at a steady fraction of its saturation for a long while, with consoles
# attaching and detaching every second, then the questions a user would ask of a tool that watches
# production: was any request lost, is the registry back to empty, did the service's memory grow?
#
#   docs/bench/soak.sh                      10 minutes at 70% of saturation
#   docs/bench/soak.sh --duration 60        a one-minute smoke run
#
# What runs:
#   - the router: `routerctl sample --auth-adapter fixed` (the fixed adapter loses nothing, so any
#     lost request is the tool's), heap fixed (-Xms = -Xmx, pre-touched) so that RSS measures leaks,
#     not heap sizing;
#   - load: wrk, first flat out to find saturation (after a warm-up), then at --fraction of it: each
#     connection waits 10 ms between requests (docs/bench/soak.lua) and the number of connections is
#     calibrated so the offered rate is the target;
#   - consoles, every second: one `routerctl shell` (one JVM, fed through a pipe) runs
#     `attach --pid P`, `dump-stuck --older-than 2s`, `detach`, and every 60 s `dump-stuck --gc`;
#     and a raw protocol client (python3) connects, subscribes, reads two updates and hangs up.
#
# Pass when: wrk counted no error of any kind (a lost request is a timeout), every console cycle
# succeeded, the registry holds 0 tasks within 30 s of the load stopping, and the router's RSS at
# the end is at most 5% over its RSS at 10% of the run. Exit 0 pass, 1 fail, 2 usage, 3 when the
# machine was busy with other work (over 10% of its CPU during the run): then nothing is concluded.
#
# Options: --duration SECONDS (600) --fraction F (0.7) --port P (28472) --out DIR (a new temp dir)
# Results: OUT/summary.md (also printed), OUT/rss.tsv, OUT/wrk.txt, OUT/shell.out, OUT/raw.out.
set -euo pipefail

duration=600
fraction=0.7
port=28472
out=""
while (( $# > 0 )); do
    case "$1" in
        --duration) duration=$2; shift 2 ;;
        --fraction) fraction=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$duration" =~ ^[0-9]+$ ]] && (( duration >= 30 )) || { echo "soak.sh: --duration must be 30 seconds or more" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[[ -n "$out" ]] || out=$(mktemp -d /tmp/routerctl-soak.XXXXXX)
mkdir -p "$out"
sample_jar=samples/target/routerctl-samples.jar
console_jar=console/target/routerctl.jar
url="http://127.0.0.1:$port/api/soak"
lua="$root/docs/bench/soak.lua"
say() { echo "# $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }
machine_jiffies() { awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6; exit }' /proc/stat; }
tree_jiffies() { # utime+stime of the processes given and their children (reaped ones included)
    local total=0 p
    for p in "$@"; do
        total=$(( total + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
    done
    echo "$total"
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

for tool in wrk curl python3 java; do
    command -v "$tool" >/dev/null || { echo "soak.sh: $tool not found" >&2; exit 2; }
done
if [[ ! -f "$sample_jar" || ! -f "$console_jar" ]]; then
    say "building the jars"
    mvn -B -q -Dstyle.color=never -pl samples,console -am package -DskipTests
fi

attach_dir="$out/attach"
mkdir -p "$attach_dir"
chmod 700 "$attach_dir"
export ROUTERCTL_ATTACH_DIR="$attach_dir"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

load_before=$(loadavg)
java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -jar "$sample_jar" sample --port "$port" --auth-adapter fixed \
    >"$out/router.log" 2>&1 &
router=$!
pids+=("$router")
deadline=$((SECONDS + 60))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer soak' "$url" || true)" == 200 ]]; do
    kill -0 "$router" 2>/dev/null || { echo "soak.sh: the router exited; see $out/router.log" >&2; exit 1; }
    (( SECONDS < deadline )) || { echo "soak.sh: the router did not answer within 60 s" >&2; exit 1; }
    sleep 0.2
done
say "router pid $router, load $load_before; warming up 20 s"
wrk -t1 -c32 -d20s -s "$lua" "$url" >"$out/warmup.txt" 2>&1
wrk -t1 -c32 -d10s -s "$lua" "$url" >"$out/saturation.txt" 2>&1
saturation=$(sed -n 's/^RESULT .* rps=\([0-9.]*\).*/\1/p' "$out/saturation.txt")
target=$(awk -v s="$saturation" -v f="$fraction" 'BEGIN { printf "%d", s * f }')
connections=$(awk -v t="$target" 'BEGIN { c = int(t * 0.0105 + 0.5); print (c < 1 ? 1 : c) }')
export SOAK_DELAY_MS=10
for attempt in 1 2; do
    wrk -t1 -c"$connections" -d5s -s "$lua" "$url" >"$out/calibrate-$attempt.txt" 2>&1
    offered=$(sed -n 's/^RESULT .* rps=\([0-9.]*\).*/\1/p' "$out/calibrate-$attempt.txt")
    connections=$(awk -v c="$connections" -v t="$target" -v o="$offered" 'BEGIN { n = int(c * t / o + 0.5); print (n < 1 ? 1 : n) }')
done
say "saturation $saturation req/s; target $target req/s ($fraction): $connections connections, 10 ms apart"

# Consoles, every second.
mkfifo "$out/shell.in"
java -jar "$console_jar" shell <"$out/shell.in" >"$out/shell.out" 2>"$out/shell.err" &
shell=$!
pids+=("$shell")
exec 7>"$out/shell.in"
cat >"$out/raw.py" <<'PY'
import json, socket, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
ok = failed = 0
end = time.time() + seconds
while time.time() < end:
    started = time.time()
    try:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(10)
        s.connect(path)
        f = s.makefile("rb")
        hello = json.loads(f.readline())
        assert hello.get("type") == "hello", hello
        s.sendall(b'{"v":1,"id":1,"op":"subscribe","interval_ms":200,"query":{"limit":5}}\n')
        updates = 0
        while updates < 2:
            m = json.loads(f.readline())
            assert "error" not in m, m
            updates += m.get("type") == "update"
        s.close()
        ok += 1
    except Exception as e:
        failed += 1
        print("failed:", repr(e), flush=True)
    time.sleep(max(0, 1 - (time.time() - started)))
print(f"RAW ok={ok} failed={failed}", flush=True)
PY
python3 "$out/raw.py" "$attach_dir/$router.sock" "$duration" >"$out/raw.out" 2>&1 &
raw=$!
pids+=("$raw")
(
    for ((i = 1; i <= duration; i++)); do
        echo "attach --pid $router"
        if (( i % 60 == 0 )); then echo "dump-stuck --gc --older-than 2s"; else echo "dump-stuck --older-than 2s"; fi
        echo "detach"
        sleep 1
    done
) >&7 &
feeder=$!
pids+=("$feeder")

say "soaking for $duration s"
printf 'second\trss_kb\n' >"$out/rss.tsv"
read -r t0 i0 < <(machine_jiffies)
ours0=$(tree_jiffies "$router" "$shell" "$raw")
TIMEFORMAT='%U %S'
{ time wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$lua" "$url" >"$out/wrk.txt" 2>&1 ; } 2>"$out/wrk.time" &
wrk_job=$!
start=$SECONDS
while kill -0 "$wrk_job" 2>/dev/null; do
    printf '%d\t%s\n' "$((SECONDS - start))" "$(rss_kb "$router")" >>"$out/rss.tsv"
    sleep 10
done
wait "$wrk_job"
read -r t1 i1 < <(machine_jiffies)
hz=$(getconf CLK_TCK)
wrk_j=$(awk -v hz="$hz" '{ printf "%d", ($1 + $2) * hz }' "$out/wrk.time")
ours=$(( $(tree_jiffies "$router" "$shell" "$raw") - ours0 + wrk_j ))
foreign=$(awk -v used="$(( (t1 - t0) - (i1 - i0) ))" -v ours="$ours" -v total="$((t1 - t0))" \
    'BEGIN { f = used - ours; if (f < 0) f = 0; printf "%.1f", (total > 0 ? 100 * f / total : 0) }')
printf '%d\t%s\n' "$((SECONDS - start))" "$(rss_kb "$router")" >>"$out/rss.tsv"
wait "$feeder" 2>/dev/null || true
echo "exit" >&7
exec 7>&-
wait "$raw" 2>/dev/null || true
wait "$shell" 2>/dev/null || true

# The registry, back to empty once wrk's connections are gone.
tasks=""
deadline=$((SECONDS + 30))
while (( SECONDS < deadline )); do
    tasks=$(java -jar "$console_jar" loops --pid "$router" --json 2>/dev/null \
        | python3 -c 'import json,sys; print(sum(l["tasks"] for l in json.load(sys.stdin)["loops"]))' || true)
    [[ "$tasks" == 0 ]] && break
    sleep 1
done
load_after=$(loadavg)

line=$(grep '^RESULT' "$out/wrk.txt")
get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
errors=$(( $(get connect) + $(get read) + $(get write) + $(get timeout) + $(get status) ))
cycles=$(grep -c 'detached from pid' "$out/shell.out" || true)
shell_errors=$(cat "$out/shell.out" "$out/shell.err" | grep -c '^routerctl [a-z-]*: ' || true)
raw_line=$(grep '^RAW' "$out/raw.out" || echo "RAW ok=0 failed=?")
raw_failed=$(sed -n 's/.*failed=\([0-9?]*\).*/\1/p' <<<"$raw_line")
baseline_row=$(( duration / 10 / 10 + 2 )) # the sample at ~10% of the run (header is row 1)
rss_base=$(awk -F'\t' -v r="$baseline_row" 'NR == r { print $2 }' "$out/rss.tsv")
rss_end=$(tail -1 "$out/rss.tsv" | cut -f2)
growth=$(awk -v a="$rss_base" -v b="$rss_end" 'BEGIN { printf "%.1f", 100 * (b - a) / a }')

verdict=pass
(( errors == 0 )) || verdict=fail
[[ "$raw_failed" == 0 ]] || verdict=fail
(( shell_errors == 0 )) || verdict=fail
[[ "$tasks" == 0 ]] || verdict=fail
awk -v g="$growth" 'BEGIN { exit !(g <= 5) }' || verdict=fail
busy=no
awk -v f="$foreign" 'BEGIN { exit !(f > 10) }' && busy=yes

{
    echo "| measure | value |"
    echo "|---|---|"
    echo "| run | $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores |"
    echo "| load average before / after | $load_before / $load_after |"
    echo "| other processes' CPU during the run | ${foreign}% of the machine (over 10%: not a result) |"
    echo "| saturation (wrk flat out, 32 connections) | $saturation req/s |"
    echo "| offered | $(get rps) req/s for $duration s ($fraction of saturation, $connections connections) |"
    echo "| requests answered | $(get requests) |"
    echo "| errors (connect/read/write/timeout/non-2xx) | $(get connect)/$(get read)/$(get write)/$(get timeout)/$(get status) |"
    echo "| latency p50 / p99 / max | $(get p50_us) / $(get p99_us) / $(get max_us) us |"
    echo "| shell attach/dump-stuck/detach cycles | $cycles, $shell_errors errors |"
    echo "| raw subscribe/detach cycles | ${raw_line#RAW } |"
    echo "| registry after the load | $tasks tasks |"
    echo "| router RSS at 10% / end | $rss_base / $rss_end kB ($growth%) |"
    echo "| verdict | $verdict$([[ $busy == yes ]] && echo ', but the machine was busy: NOT A RESULT') |"
} | tee "$out/summary.md"
say "details in $out"
[[ "$busy" == no ]] || exit 3
[[ "$verdict" == pass ]] || exit 1
