#!/usr/bin/env bash
# End-to-end cost of tracking: wrk against the sample router, configurations alternated in one run.
#
#   docs/bench/e2e.sh                              3 rounds of every configuration, 10 s warmup, 20 s measured
#   docs/bench/e2e.sh --rounds 5 --duration 30     longer
#   docs/bench/e2e.sh --configs "a b" --rounds 1 --duration 5 --warmup 2    a quick check
#
# Configurations (the sample router with --auth-adapter fixed --auth-latency 0, so CPU is the limit):
#   a  --tracking off --step-trace none            the reference
#   b  --tracking on  --step-trace none
#   c  --tracking on, `routerctl top` attached (in a detached tmux session on a private tmux socket;
#      while the console has no top, the AttachLoad subscription below stands in for it) and
#      `routerctl dump-stuck --json` run every second: each call starts a client JVM on this same
#      machine, which is part of what an engineer attaching during an incident costs
#   f  --tracking on, one long-lived attach client (io.routerctl.probes.bench.AttachLoad) that
#      subscribes like top and asks a stuck query every second: (c) without a JVM start per second
#   d  --tracking off --step-trace log             the status quo: a log line per step (Logback, file)
#   e  --tracking off --step-trace jfr             a JFR event per step, recorded by the sample
#
# Each round runs every configuration once, starting one further along the list each round so no
# configuration always runs first. Each run: start the router, wait until it answers, warm up with
# wrk, measure with wrk (--latency, docs/bench/latency.lua), read the router's CPU time, stop it.
# Results: one line per run in OUT/runs.tsv, the table (medians over rounds, ratios to a) on stdout
# and in OUT/table.md. Loopback only; every process started here is stopped here.
#
# Options: --rounds N (3) --duration SECONDS (20) --warmup SECONDS (10) --connections N (50)
#          --wrk-threads N (1) --port P (28471) --configs "a b c f d e" --out DIR (a new temp dir)
#          --sample-jar PATH (samples/target/routerctl-samples.jar, built if missing)
#          --e-jvm-opts "OPTIONS" extra JVM options for (e) (default none: the sample starts its own
#          recording, to --step-log, which this script points into OUT)
set -euo pipefail

rounds=3
duration=20
warmup=10
connections=50
wrk_threads=1
port=28471
configs="a b c f d e"
out=""
e_jvm_opts="__default__"
sample_jar=samples/target/routerctl-samples.jar

while (( $# > 0 )); do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --wrk-threads) wrk_threads=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --configs) configs=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --e-jvm-opts) e_jvm_opts=$2; shift 2 ;;
        --sample-jar) sample_jar=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "e2e.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[[ -n "$out" ]] || out=$(mktemp -d /tmp/routerctl-e2e.XXXXXX)
mkdir -p "$out"
[[ "$e_jvm_opts" != "__default__" ]] || e_jvm_opts=""

console_jar=console/target/routerctl.jar
url="http://127.0.0.1:$port/api/bench"
lua="$root/docs/bench/latency.lua"

say() { echo "# $*" >&2; }
load() { sed 's/.*load average: *//' <<<"$(uptime)"; }

command -v wrk >/dev/null || { echo "e2e.sh: wrk not found (Debian: apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "e2e.sh: curl not found" >&2; exit 2; }

# ---- build what is missing (never installs into ~/.m2) ----
if [[ ! -f "$sample_jar" && "$sample_jar" == samples/target/routerctl-samples.jar ]]; then
    say "building $sample_jar"
    mvn -B -q -Dstyle.color=never -pl samples -am package -DskipTests
fi
need_console=false
need_attach_load=false
for c in $configs; do
    [[ "$c" == c ]] && need_console=true
    [[ "$c" == f ]] && need_attach_load=true
done
top_available=false
if $need_console; then
    if [[ ! -f "$console_jar" ]]; then
        say "building $console_jar"
        mvn -B -q -Dstyle.color=never -pl console -am package -DskipTests
    fi
    command -v tmux >/dev/null || { echo "e2e.sh: tmux not found (needed for configuration c)" >&2; exit 2; }
    if java -jar "$console_jar" top --help 2>/dev/null | grep -q 'routerctl top'; then
        top_available=true
    else
        say "routerctl top is not available in $console_jar: configuration c attaches the AttachLoad subscription instead"
        need_attach_load=true
    fi
fi
attach_load_cp=""
if $need_attach_load; then
    mvn -B -q -Dstyle.color=never -pl probes test-compile
    mvn -B -q -Dstyle.color=never -pl probes dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$root/probes/target/bench-classpath.txt" >/dev/null
    attach_load_cp="probes/target/test-classes:probes/target/classes:$(cat probes/target/bench-classpath.txt)"
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "e2e.sh: port $port is in use; pick another with --port" >&2
    exit 2
fi

# A private attach directory: the clients see only the router started here.
attach_dir="$out/attach"
mkdir -p "$attach_dir"
chmod 700 "$attach_dir"
export ROUTERCTL_ATTACH_DIR="$attach_dir"

tmux_socket="routerctl-e2e-$$"
router_pid=""
observer_pids=()

# Observers end by themselves shortly after the measured time; wait for them (bounded), then stop.
stop_observers() {
    local p deadline=$((SECONDS + 10))
    for p in "${observer_pids[@]}"; do
        while kill -0 "$p" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    observer_pids=()
    tmux -L "$tmux_socket" kill-server 2>/dev/null || true
}

stop_router() {
    [[ -n "$router_pid" ]] || return 0
    kill "$router_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while kill -0 "$router_pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    kill -9 "$router_pid" 2>/dev/null || true
    wait "$router_pid" 2>/dev/null || true
    router_pid=""
}

cleanup() { stop_observers; stop_router; }
trap cleanup EXIT
trap 'exit 130' INT TERM

describe() {
    case "$1" in
        a) echo "tracking off" ;;
        b) echo "tracking on" ;;
        c) if $top_available; then echo "tracking on + top + dump-stuck/s"; else echo "tracking on + subscription + dump-stuck/s"; fi ;;
        f) echo "tracking on + one attach client" ;;
        d) echo "log line per step, tracking off" ;;
        e) echo "JFR event per step, tracking off" ;;
        *) echo "?" ;;
    esac
}

router_args() {
    case "$1" in
        a) echo "--tracking off --step-trace none" ;;
        b|c|f) echo "--tracking on --step-trace none" ;;
        d) echo "--tracking off --step-trace log" ;;
        e) echo "--tracking off --step-trace jfr" ;;
        *) echo "e2e.sh: unknown configuration $1 (a b c d e f)" >&2; exit 2 ;;
    esac
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
    local ticks
    ticks=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0)
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

start_router() {
    local config=$1 log=$2 run=$3 jvm_opts="" trace_args=()
    [[ "$config" == e ]] && jvm_opts=$e_jvm_opts
    [[ "$config" == d ]] && trace_args=(--step-log "$out/$run-steps.log")
    [[ "$config" == e ]] && trace_args=(--step-log "$out/$run-steps.jfr")
    # shellcheck disable=SC2086 # option lists
    java $jvm_opts -jar "$sample_jar" sample --port "$port" --auth-adapter fixed --auth-latency 0 \
        $(router_args "$config") "${trace_args[@]}" >"$log" 2>&1 &
    router_pid=$!
    local deadline=$((SECONDS + 60))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer bench' "$url" || true)" == 200 ]]; do
        if ! kill -0 "$router_pid" 2>/dev/null; then
            echo "e2e.sh: the sample router exited while starting; its log: $log" >&2
            tail -20 "$log" >&2
            exit 1
        fi
        if (( SECONDS > deadline )); then
            echo "e2e.sh: the sample router did not answer 200 on $url within 60 s; its log: $log" >&2
            exit 1
        fi
        sleep 0.2
    done
}

start_observers() {
    local config=$1 run=$2 seconds=$3
    local socket="$attach_dir/$router_pid.sock"
    if [[ "$config" == c ]] && $top_available; then
        tmux -L "$tmux_socket" new-session -d -s top -x 160 -y 48 \
            "ROUTERCTL_ATTACH_DIR='$attach_dir' java -jar '$console_jar' top --pid $router_pid --interval 1s 2>'$out/$run-top.err'"
    fi
    if [[ "$config" == f ]] || { [[ "$config" == c ]] && ! $top_available; }; then
        java -cp "$attach_load_cp" io.routerctl.probes.bench.AttachLoad "$socket" "$seconds" \
            >"$out/$run-attach.out" 2>&1 &
        observer_pids+=($!)
    fi
    if [[ "$config" == c ]]; then
        # dump-stuck every second, as an engineer's watch loop would, for the measured time only.
        (
            ok=0 failed=0 end=$((SECONDS + seconds))
            while (( SECONDS < end )); do
                rc=0
                java -jar "$console_jar" dump-stuck --pid "$router_pid" --json >/dev/null 2>>"$out/$run-dump.err" || rc=$?
                if (( rc <= 1 )); then ok=$((ok + 1)); else failed=$((failed + 1)); fi
                sleep 1
            done
            # The CPU the dump-stuck JVMs used: the children's user and system times (`times` must
            # run in this shell, not in a pipeline's subshell, to see them).
            times >"$out/$run-dump.times"
            cpu=$(tail -1 "$out/$run-dump.times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
            echo "dump-stuck: $ok answered, $failed failed, cpu=$cpu" >"$out/$run-dump.count"
        ) &
        observer_pids+=($!)
    fi
}

# The observers' CPU seconds; their evidence of having been attached (top's last screen, the
# dump-stuck answer count, AttachLoad's line) is kept beside the run. Stops the observers.
observer_report() {
    local config=$1 run=$2 cpu=0 p f extra
    if [[ "$config" == c ]] && $top_available; then
        p=$(tmux -L "$tmux_socket" list-panes -t top -F '#{pane_pid}' 2>/dev/null || true)
        if [[ -n "$p" ]]; then
            tmux -L "$tmux_socket" capture-pane -p -t top >"$out/$run-top.screen" 2>/dev/null || true
            local javapid
            javapid=$(pgrep -n -P "$p" java || echo "$p")
            cpu=$(cpu_seconds "$javapid")
        fi
    fi
    stop_observers
    for f in "$out/$run-dump.count" "$out/$run-attach.out"; do
        [[ -f "$f" ]] || continue
        extra=$(sed -n 's/.*cpu=\([0-9.]*\).*/\1/p' "$f" | tail -1)
        [[ -n "$extra" ]] && cpu=$(awk -v a="$cpu" -v b="$extra" 'BEGIN { printf "%.3f", a + b }')
    done
    echo "$cpu"
}

wrk_run() {
    local seconds=$1 file=$2
    wrk -t "$wrk_threads" -c "$connections" -d "${seconds}s" --timeout 5s --latency -s "$lua" "$url" >"$file" 2>&1
}

runs="$out/runs.tsv"
printf 'config\tround\trps\tp50_us\tp99_us\tp999_us\terrors\trouter_cpu_us_per_req\tobserver_cpu_s\tload\n' >"$runs"
read -r -a list <<<"$configs"
n=${#list[@]}
say "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(load)"
say "rounds $rounds, warmup ${warmup}s, measured ${duration}s, wrk -t$wrk_threads -c$connections, results in $out"

for (( r = 1; r <= rounds; r++ )); do
    for (( k = 0; k < n; k++ )); do
        config=${list[$(( (k + r - 1) % n ))]}
        run="$config-$r"
        say "round $r, $config ($(describe "$config")): starting"
        start_router "$config" "$out/$run-router.log" "$run"
        wrk_run "$warmup" "$out/$run-warmup.txt"
        start_observers "$config" "$run" "$duration"
        cpu_before=$(cpu_seconds "$router_pid")
        wrk_run "$duration" "$out/$run-wrk.txt"
        cpu_after=$(cpu_seconds "$router_pid")
        observer_cpu=$(observer_report "$config" "$run")
        stop_router
        line=$(grep '^RESULT' "$out/$run-wrk.txt" || true)
        if [[ -z "$line" ]]; then
            echo "e2e.sh: wrk printed no result for $run; see $out/$run-wrk.txt" >&2
            exit 1
        fi
        get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
        requests=$(get requests)
        cpu_per_req=$(awk -v b="$cpu_before" -v a="$cpu_after" -v n="$requests" \
            'BEGIN { if (n > 0) printf "%.1f", (a - b) * 1e6 / n; else print "nan" }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$config" "$r" "$(get rps)" "$(get p50_us)" \
            "$(get p99_us)" "$(get p999_us)" "$(get errors)" "$cpu_per_req" "$observer_cpu" "$(load | cut -d, -f1)" >>"$runs"
        say "round $r, $config: $(get rps) req/s, p50 $(get p50_us) us, p99 $(get p99_us) us, p99.9 $(get p999_us) us, errors $(get errors), router CPU $cpu_per_req us/req"
    done
done

# ---- the table: medians over rounds, each as a ratio to (a) ----
median() { # config column
    awk -F'\t' -v c="$1" -v col="$2" 'NR > 1 && $1 == c { print $col }' "$runs" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { awk -v us="$1" 'BEGIN { if (us == us + 0) printf "%.3f", us / 1000; else print "-" }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0 && x == x + 0) printf "%.3f", x / y; else print "-" }'; }

declare -A ref
for col in 3 4 5 6 8; do ref[$col]=$(median a "$col"); done
{
    echo "| config | what | req/s | p50 | p99 | p99.9 | router CPU/req | req/s vs a | p50 vs a | p99 vs a | p99.9 vs a | CPU/req vs a |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for config in a b c f d e; do
        [[ " $configs " == *" $config "* ]] || continue
        rps=$(median "$config" 3); p50=$(median "$config" 4); p99=$(median "$config" 5)
        p999=$(median "$config" 6); cpu=$(median "$config" 8)
        printf '| %s | %s | %.0f | %s ms | %s ms | %s ms | %s us | %s | %s | %s | %s | %s |\n' \
            "$config" "$(describe "$config")" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$(ms "$p999")" "$cpu" \
            "$(ratio "$rps" "${ref[3]:-0}")" "$(ratio "$p50" "${ref[4]:-0}")" "$(ratio "$p99" "${ref[5]:-0}")" \
            "$(ratio "$p999" "${ref[6]:-0}")" "$(ratio "$cpu" "${ref[8]:-0}")"
    done
    echo
    echo "Medians over $rounds rounds; ${duration}s measured after ${warmup}s warmup per run; wrk -t$wrk_threads -c$connections on the same machine."
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load at the end: $(load)."
} | tee "$out/table.md"
for f in "$out"/*-dump.count "$out"/*-attach.out; do
    [[ -f "$f" ]] && say "$(basename "$f"): $(cat "$f")"
done
say "per-run figures: $runs"
