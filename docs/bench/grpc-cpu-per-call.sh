#!/usr/bin/env bash
# CPU per call of the attach tests' gRPC service (RatesService on grpc-netty-shaded) at a fixed rate,
# without routerctl and with the agent attached before the load, alternated round by round. At a
# fixed rate below saturation the service's CPU per call is what tracking costs, without the
# throughput swings of a saturated 2-core machine.
#
#   docs/bench/grpc-cpu-per-call.sh [--rounds N (3)] [--rate CALLS_PER_S_PER_CONNECTION (500)] [--port P (28481)]
#
# Needs h2load (Debian: nghttp2-client) and the built tests (mvn -DskipTests package).
# Prints one line per run and the medians; the load average before and after.
set -euo pipefail
rounds=3
rate=500
port=28481
while (( $# > 0 )); do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "grpc-cpu-per-call.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
command -v h2load >/dev/null || { echo "grpc-cpu-per-call.sh: h2load not found (Debian: apt-get install nghttp2-client)" >&2; exit 2; }
libs=router-runtime/agent/tests/target/service-libs/grpc-shaded
classes=router-runtime/agent/tests/target/test-classes
console=console/target/routerctl.jar
[[ -d "$libs" && -f "$console" ]] || { echo "grpc-cpu-per-call.sh: build first: mvn -B -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/routerctl-grpc-cpu.XXXXXX)
chmod 700 "$work"
export ROUTERCTL_ATTACH_DIR="$work"
printf '\x00\x00\x00\x00\x04ACME' >"$work/quote.grpc"
hz=$(getconf CLK_TCK)
pid=""
trap '[[ -z "$pid" ]] || kill "$pid" 2>/dev/null || true' EXIT

load() {
    h2load -D "$1" -c 8 -m 4 --rps "$rate" -d "$work/quote.grpc" -H 'content-type: application/grpc' \
        -H 'te: trailers' "http://127.0.0.1:$port/example.Rates/Quote" >"$2" 2>&1
}

one() {
    local config=$1 log="$work/$1-$2.log"
    java -Xmx256m -cp "$classes:$(ls "$libs"/*.jar | tr '\n' ':')" com.example.rates.RatesService "$port" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do grep -qs listening "$log" && break; sleep 0.2; done
    [[ "$config" == attached ]] && java -jar "$console" attach "$pid" >>"$work/attach.log"
    load 12 "$work/warmup.txt"
    local j0 j1 n
    j0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    load 15 "$work/measured.txt"
    j1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    n=$(awk '/^requests:/ { print $8 }' "$work/measured.txt")
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    awk -v j=$((j1 - j0)) -v n="$n" -v hz="$hz" -v c="$config" -v r="$2" \
        'BEGIN { printf "%s\t%d\t%d\t%.1f\n", c, r, n, j / hz * 1e6 / n }' | tee -a "$work/runs.tsv"
}

echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $((8 * rate)) calls/s; runs in $work" >&2
for (( r = 1; r <= rounds; r++ )); do
    one none "$r"
    one attached "$r"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
awk -F'\t' '{ v[$1] = v[$1] " " $4 }
    END { for (c in v) { n = split(substr(v[c], 2), a, " ");
              for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
              printf "%s: median %.1f us of CPU per call (%.1f-%.1f), %d runs\n", c, (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2, a[1], a[n], n } }' "$work/runs.tsv"
