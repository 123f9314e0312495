#!/usr/bin/env bash
# The service's latency while careless or hostile attach clients do their worst, each attack on a
# freshly started sample router under the same steady load, beside runs with no attack.
#
#   docs/bench/attacks.sh                               this build
#   docs/bench/attacks.sh --sample-jar /tmp/old.jar     another build, e.g. before a change
#
# Attacks (docs/bench/attack.py): regex (15 clients looping a filter that backtracks for
# minutes), idle (200 connections that never speak), gc (15 clients looping the gc op), halfsent
# (15 clients sending half a line each). During each, a well-behaved client (the 16th) queries every 200 ms
# and its answer times are reported. Load: wrk, 16 connections, 5 ms between a connection's
# requests (docs/bench/soak.lua), well below saturation.
#
# A quiet machine is a precondition: the CPU used by other processes during each measured window
# must stay under 10% of the machine, else the table says NOT A RESULT and the script exits 3.
#
# Options: --sample-jar PATH --seconds N (20) --port P (28473) --out DIR
set -euo pipefail

sample_jar=samples/target/routerctl-samples.jar
seconds=20
port=28473
out=""
while (( $# > 0 )); do
    case "$1" in
        --sample-jar) sample_jar=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "attacks.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[[ -n "$out" ]] || out=$(mktemp -d /tmp/routerctl-attacks.XXXXXX)
mkdir -p "$out"
[[ -f "$sample_jar" ]] || { echo "attacks.sh: no $sample_jar (mvn -pl samples -am package -DskipTests)" >&2; exit 2; }
for tool in wrk curl python3 java; do
    command -v "$tool" >/dev/null || { echo "attacks.sh: $tool not found" >&2; exit 2; }
done
url="http://127.0.0.1:$port/api/attack"
lua="$root/docs/bench/soak.lua"
attack="$root/docs/bench/attack.py"
attach_dir="$out/attach"
mkdir -p "$attach_dir"
chmod 700 "$attach_dir"
export ROUTERCTL_ATTACH_DIR="$attach_dir"
export SOAK_DELAY_MS=5
say() { echo "# $*" >&2; }
machine_jiffies() { awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6; exit }' /proc/stat; }
proc_jiffies() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
router=""
stop_router() {
    [[ -n "$router" ]] || return 0
    kill "$router" 2>/dev/null || true
    wait "$router" 2>/dev/null || true
    router=""
}
trap stop_router EXIT

printf '| attack | req/s | p50 ms | p99 ms | max ms | wrk errors | attackers got | a plain query meanwhile | other CPU |\n' >"$out/table.md"
printf '|---|---|---|---|---|---|---|---|---|\n' >>"$out/table.md"
busy=0
for a in none regex idle gc halfsent none; do
    java -Xms256m -Xmx256m -jar "$sample_jar" sample --port "$port" --auth-adapter fixed >"$out/router-$a.log" 2>&1 &
    router=$!
    deadline=$((SECONDS + 60))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer soak' "$url" || true)" == 200 ]]; do
        (( SECONDS < deadline )) || { echo "attacks.sh: the router did not start" >&2; exit 1; }
        sleep 0.2
    done
    socket="$attach_dir/$router.sock"
    wrk -t1 -c16 -d15s -s "$lua" "$url" >/dev/null 2>&1 # warm-up
    say "$a: measuring $seconds s"
    read -r t0 i0 < <(machine_jiffies)
    r0=$(proc_jiffies "$router")
    TIMEFORMAT='%U %S'
    { time wrk -t1 -c16 -d"${seconds}s" --timeout 10s -s "$lua" "$url" >"$out/wrk-$a.txt" 2>&1 ; } 2>"$out/wrk-$a.time" &
    wrk_job=$!
    attackers=""
    if [[ "$a" != none ]]; then
        case "$a" in idle) n=200 ;; *) n=15 ;; esac # 15: the 16th slot is for the plain client
        { time python3 "$attack" "$socket" "$a" "$n" "$seconds" >"$out/attack-$a.txt" 2>&1 ; } 2>"$out/attack-$a.time" &
        attackers=$!
    fi
    { time python3 "$attack" "$socket" probe 1 "$seconds" >"$out/probe-$a.txt" 2>&1 ; } 2>"$out/probe-$a.time" &
    probe=$!
    wait "$wrk_job"
    read -r t1 i1 < <(machine_jiffies)
    r1=$(proc_jiffies "$router")
    [[ -z "$attackers" ]] || wait "$attackers" || true
    wait "$probe" || true
    hz=$(getconf CLK_TCK)
    py_j=0
    for f in "$out/attack-$a.time" "$out/probe-$a.time"; do
        [[ -f "$f" ]] && py_j=$(( py_j + $(awk -v hz="$hz" '{ printf "%d", ($1 + $2) * hz }' "$f") ))
    done
    wrk_j=$(awk -v hz="$hz" '{ printf "%d", ($1 + $2) * hz }' "$out/wrk-$a.time")
    foreign=$(awk -v used="$(( (t1 - t0) - (i1 - i0) ))" -v ours="$(( r1 - r0 + wrk_j + py_j ))" -v total="$((t1 - t0))" \
        'BEGIN { f = used - ours; if (f < 0) f = 0; printf "%.1f", (total > 0 ? 100 * f / total : 0) }')
    awk -v f="$foreign" 'BEGIN { exit !(f > 10) }' && busy=1
    stop_router
    line=$(grep '^RESULT' "$out/wrk-$a.txt")
    get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
    errors=$(( $(get connect) + $(get read) + $(get write) + $(get timeout) + $(get status) ))
    ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
    got="-"
    [[ "$a" == none ]] || got=$(sed -n 's/^ATTACK [a-z]* //p' "$out/attack-$a.txt" | sed 's/|/\\|/g')
    probe_line=$(sed -n 's/^ATTACK probe clients=1 //p' "$out/probe-$a.txt" | sed 's/|/\\|/g')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "$a" "$(get rps)" "$(ms "$(get p50_us)")" \
        "$(ms "$(get p99_us)")" "$(ms "$(get max_us)")" "$errors" "$got" "$probe_line" "$foreign" >>"$out/table.md"
done
echo "sample: $sample_jar; $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores" | tee -a "$out/table.md"
cat "$out/table.md"
if (( busy )); then
    echo "NOT A RESULT: other processes used over 10% of the machine in some window (last column)."
    exit 3
fi
