#!/usr/bin/env bash
# End-to-end cost of tracking: wrk against the sample router, configurations alternated round by
# round, each ratio paired with the reference run of its own round.
#
#   docs/bench/e2e.sh                                  5 rounds of a b c d e, 20 s warmup, 10 s measured
#   docs/bench/e2e.sh --configs "a b" --rounds 9       tracking off against on, more rounds
#   docs/bench/e2e.sh --configs "a b oa ob" --old-jar /tmp/old/routerctl-samples.jar
#                                                      before and after a change, side by side
#
# Configurations (the sample router with --auth-adapter fixed --auth-latency 0, so CPU is the limit):
#   a   --tracking off                             the reference
#   b   --tracking on
#   c   --tracking on, `routerctl top` attached (1 s refresh, in a detached tmux session)
#   d   --tracking off --step-trace log            the status quo: a log line per step (Logback, file)
#   e   --tracking off --step-trace jfr            a JFR event per step, recorded by the sample
#   m   --tracking on --metrics-port, scraped      routerctl's Micrometer meters, /metrics read every second
#   jb  --tracking on, a JFR recording (default)   the reference of j: JFR's own cost
#   j   as jb, plus docs/jfr/routerctl.jfc         routerctl's JFR events on (the stuck summary every 10 s)
#   oa  as a, with --old-jar                       the same, built from other code (e.g. the last release)
#   ob  as b, with --old-jar
# and, on a plain Netty 4.2 service that never heard of routerctl (the attach tests' ticket service,
# `com.example.tickets.TicketService PORT fixed`: its own pipeline, its adapter without the bug):
#   n   no routerctl                               the reference of na and ns
#   na  the agent attached (routerctl attach PID)  handlers, futures and channels observed
#   ns  the agent with deep sites (attach --sites) a stack walk per future a request waits on
# and on a gRPC service on gRPC's default transport, grpc-netty-shaded (the attach tests'
# `com.example.rates.RatesService PORT`: unary example.Rates/Quote through its future adapter),
# loaded by h2load (nghttp2-client) instead of wrk, so without latency percentiles:
#   g   no routerctl                               the reference of ga
#   ga  the agent attached                         calls, service method steps, futures on gRPC's executor
#   gp  the agent attached before the load         the same, without the attach under load (steady state)
# and on a Reactor Netty service (the attach tests' `com.example.reactive.ReactiveService PORT`,
# GET /quotes/ACME: a Mono.create around a callback feed that answers 1 ms later on its own thread):
#   r   no routerctl                               the reference of ra and rp
#   ra  the agent attached under load              requests, the Mono.create's learned site
#   rp  the agent attached before the load         the same, without the attach under load
# and on a Vert.x 5 web service (the attach tests' `com.example.prices.PriceService PORT`,
# GET /prices/ACME: a route completing a Promise from a callback feed that answers 1 ms later):
#   x   no routerctl                               the reference of xa and xp
#   xa  the agent attached under load              requests (labelled from the request line), the Promise linked
#   xp  the agent attached before the load         the same, without the attach under load
# and on a Spring Boot 4 WebFlux app run from its fat jar (the attach tests' `webflux-app`,
# GET /quotes/ACME: a controller returning a `Mono.create` its client completes from a feed's callback):
#   w   no routerctl                               the reference of wp
#   wp  the agent attached before the load         requests, controller and filter steps, the Mono's sink delegated
# and on a Netty 4.2 service that hands every request to a virtual thread (the attach tests'
# `com.example.bars.BarsService PORT fixed`, on the first JDK 21+ under /usr/lib/jvm, or --vt-java):
#   v   no routerctl                               the reference of va and vp
#   va  the agent attached under load              a thread task per request, swept on its loop
#   vp  the agent attached before the load         the same, without the attach under load
#
# Why paired ratios: on a shared or virtual machine throughput drifts by several percent over
# minutes, the same way for every configuration. Each round runs every configuration once, in an
# order rotated by one each round; a configuration's ratio in a round is its figure over the
# reference's (a, or oa for ob) in that same round, and the table gives the median ratio and its
# min-max over the rounds. The drift cancels in the pair; what is left is the configuration.
#
# A quiet machine is a precondition, checked, not assumed: before each run the whole machine's CPU
# use over one second must be under 15% (nothing else running), and during the measured time the
# CPU used by processes other than the router, wrk and the observers must stay under 10% of the
# machine. A run that fails either check is marked busy; if any run was busy the script says so
# and calls no result ("NOT A RESULT"), and exits 3. Load averages before and after are printed.
#
# Options: --rounds N (5) --duration SECONDS (10) --warmup SECONDS (20) --connections N (32)
#          --wrk-threads N (1) --port P (28471) --configs "a b c d e" --out DIR (a new temp dir)
#          --sample-jar PATH (samples/target/routerctl-samples.jar, built if missing)
#          --old-jar PATH (needed for oa and ob) --vt-java PATH (a JDK 21+ java, for v va vp)
# Results: one line per run in OUT/runs.tsv, the table in OUT/table.md and on stdout.
set -euo pipefail

rounds=5
duration=10
warmup=20
connections=32
wrk_threads=1
port=28471
configs="a b c d e"
out=""
sample_jar=samples/target/routerctl-samples.jar
old_jar=""
vt_java=""

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
        --sample-jar) sample_jar=$2; shift 2 ;;
        --old-jar) old_jar=$2; shift 2 ;;
        --vt-java) vt_java=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "e2e.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[[ -n "$out" ]] || out=$(mktemp -d /tmp/routerctl-e2e.XXXXXX)
mkdir -p "$out"
console_jar=console/target/routerctl.jar
url="http://127.0.0.1:$port/api/bench"
ticket_url="http://127.0.0.1:$port/tickets/bench"
reactive_url="http://127.0.0.1:$port/quotes/ACME"
vertx_url="http://127.0.0.1:$port/prices/ACME"
webflux_jar=router-runtime/agent/tests/webflux-app/target/quotes.jar
ticket_classes=router-runtime/agent/tests/target/test-classes
ticket_libs=router-runtime/agent/tests/target/service-libs
grpc_body="$out/quote.grpc"
printf '\x00\x00\x00\x00\x04ACME' >"$grpc_body"
grpc_url="http://127.0.0.1:$port/example.Rates/Quote"
lua="$root/docs/bench/latency.lua"

say() { echo "# $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }

# Every configuration, in the table's order: the one list the check below and the table use.
all_configs="a b c d e m jb j oa ob n na ns g ga gp v va vp r ra rp x xa xp w wp"

command -v wrk >/dev/null || { echo "e2e.sh: wrk not found (Debian: apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "e2e.sh: curl not found" >&2; exit 2; }
for c in $configs; do
    case "$c" in
        a|b|c|d|e|m|jb|j) ;;
        oa|ob) [[ -f "$old_jar" ]] || { echo "e2e.sh: configuration $c needs --old-jar PATH" >&2; exit 2; } ;;
        n|na|ns|r|ra|rp|x|xa|xp) ;;
        w|wp) [[ -f "$webflux_jar" ]] || { echo "e2e.sh: $webflux_jar not built (mvn -pl router-runtime/agent/tests/webflux-app -am package -DskipTests)" >&2; exit 2; } ;;
        v|va|vp)
            if [[ -z "$vt_java" ]]; then
                for j in /usr/lib/jvm/*/bin/java; do
                    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(dirname "$j")")/release" 2>/dev/null || true)
                    if [[ -n "$v" ]] && (( v >= 21 )); then vt_java=$j; break; fi
                done
            fi
            [[ -x "$vt_java" ]] || { echo "e2e.sh: no JDK 21+ java found for $c; name one with --vt-java PATH" >&2; exit 2; } ;;
        g|ga|gp) command -v h2load >/dev/null || { echo "e2e.sh: h2load not found (Debian: apt-get install nghttp2-client), needed for $c" >&2; exit 2; } ;;
        *) echo "e2e.sh: unknown configuration $c ($all_configs)" >&2; exit 2 ;;
    esac
done
if [[ ! -f "$sample_jar" && "$sample_jar" == samples/target/routerctl-samples.jar ]]; then
    say "building $sample_jar"
    mvn -B -q -Dstyle.color=never -pl samples -am package -DskipTests
fi
if [[ " $configs " == *" n"* || " $configs " == *" g"* || " $configs " == *" v"* || " $configs " == *" r"* || " $configs " == *" x"* ]] \
        && [[ ! -d "$ticket_classes/com/example/bars" || ! -f "$console_jar" ]]; then
    say "building the ticket service and the agent"
    mvn -B -q -Dstyle.color=never -pl router-runtime/agent/tests -am package -DskipTests
fi
if [[ " $configs " == *" c "* ]]; then
    command -v tmux >/dev/null || { echo "e2e.sh: tmux not found (needed for configuration c)" >&2; exit 2; }
    if [[ ! -f "$console_jar" ]]; then
        say "building $console_jar"
        mvn -B -q -Dstyle.color=never -pl console -am package -DskipTests
    fi
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "e2e.sh: port $port is in use; pick another with --port" >&2
    exit 2
fi

# A private attach directory: observers see only the router started here.
attach_dir="$out/attach"
mkdir -p "$attach_dir"
chmod 700 "$attach_dir"
export ROUTERCTL_ATTACH_DIR="$attach_dir"
tmux_socket="routerctl-e2e-$$"
router_pid=""

stop_router() {
    [[ -n "$router_pid" ]] || return 0
    kill "$router_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while kill -0 "$router_pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    kill -9 "$router_pid" 2>/dev/null || true
    wait "$router_pid" 2>/dev/null || true
    router_pid=""
}
stop_observers() { tmux -L "$tmux_socket" kill-server 2>/dev/null || true; }
scraper_pid=""
cleanup() { stop_observers; [[ -z "$scraper_pid" ]] || kill "$scraper_pid" 2>/dev/null || true; stop_router; }
trap cleanup EXIT
trap 'exit 130' INT TERM

describe() {
    case "$1" in
        a) echo "tracking off" ;;
        b) echo "tracking on" ;;
        c) echo "tracking on + top attached" ;;
        d) echo "log line per step, tracking off" ;;
        e) echo "JFR event per step, tracking off" ;;
        oa) echo "old code, tracking off" ;;
        ob) echo "old code, tracking on" ;;
        n) echo "plain Netty service, no routerctl" ;;
        na) echo "plain Netty service, agent attached" ;;
        ns) echo "plain Netty service, agent + deep sites" ;;
        g) echo "gRPC service (grpc-netty-shaded), no routerctl" ;;
        ga) echo "gRPC service (grpc-netty-shaded), agent attached under load" ;;
        gp) echo "gRPC service (grpc-netty-shaded), agent attached before the load" ;;
        v) echo "virtual-thread service, no routerctl" ;;
        va) echo "virtual-thread service, agent attached under load" ;;
        vp) echo "virtual-thread service, agent attached before the load" ;;
        r) echo "Reactor Netty service, no routerctl" ;;
        ra) echo "Reactor Netty service, agent attached under load" ;;
        rp) echo "Reactor Netty service, agent attached before the load" ;;
        x) echo "Vert.x 5 service, no routerctl" ;;
        xa) echo "Vert.x 5 service, agent attached under load" ;;
        xp) echo "Vert.x 5 service, agent attached before the load" ;;
        w) echo "Spring Boot WebFlux app, no routerctl" ;;
        wp) echo "Spring Boot WebFlux app, agent attached before the load" ;;
        m) echo "tracking on + Micrometer meters scraped every second" ;;
        jb) echo "tracking on + JFR recording (default settings)" ;;
        j) echo "tracking on + JFR recording with routerctl's events" ;;
    esac
}
reference_of() { case "$1" in oa|ob) echo oa ;; n|na|ns) echo n ;; g|ga|gp) echo g ;; v|va|vp) echo v ;; r|ra|rp) echo r ;; x|xa|xp) echo x ;; w|wp) echo w ;; m) echo b ;; j) echo jb ;; *) echo a ;; esac; }
url_of() { case "$1" in n|na|ns|v|va|vp) echo "$ticket_url" ;; r|ra|rp|w|wp) echo "$reactive_url" ;; x|xa|xp) echo "$vertx_url" ;; *) echo "$url" ;; esac; }
jar_of() { case "$1" in oa|ob) echo "$old_jar" ;; *) echo "$sample_jar" ;; esac; }
router_args() {
    case "$1" in
        a|oa) echo "--tracking off --step-trace none" ;;
        b|c|ob|jb|j) echo "--tracking on --step-trace none" ;;
        m) echo "--tracking on --step-trace none --metrics-port $((port + 1))" ;;
        d) echo "--tracking off --step-trace log" ;;
        e) echo "--tracking off --step-trace jfr" ;;
    esac
}

jvm_args() {
    case "$1" in
        jb) echo "-XX:StartFlightRecording:settings=default,filename=$out/$2.jfr" ;;
        j) echo "-XX:StartFlightRecording:settings=default,settings=$root/docs/jfr/routerctl.jfc,filename=$out/$2.jfr" ;;
    esac
}

# Scrapes /metrics every second, as a (busy) Prometheus would; prints the loop's pid.
start_scraper() {
    ( while :; do curl -s -o /dev/null "http://127.0.0.1:$((port + 1))/metrics"; sleep 1; done ) >/dev/null 2>&1 &
    echo $!
}

# CPU jiffies of the whole machine: total and idle (idle + iowait).
machine_jiffies() { awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6; exit }' /proc/stat; }
# utime + stime jiffies of a process and its reaped children, 0 if gone.
proc_jiffies() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
jiffies_to_s() { awk -v j="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", j / hz }'; }

# Percent of the machine busy over one second, with nothing of ours running.
busy_now() {
    local t0 i0 t1 i1
    read -r t0 i0 < <(machine_jiffies)
    sleep 1
    read -r t1 i1 < <(machine_jiffies)
    awk -v t="$((t1 - t0))" -v i="$((i1 - i0))" 'BEGIN { if (t > 0) printf "%.1f", 100 * (t - i) / t; else print 0 }'
}

start_router() {
    local config=$1 log=$2 run=$3 trace_args=()
    [[ "$config" == d ]] && trace_args=(--step-log "$out/$run-steps.log")
    [[ "$config" == e ]] && trace_args=(--step-log "$out/$run-steps.jfr")
    case "$config" in
        n|na|ns)
            java -cp "$ticket_classes:$(ls "$ticket_libs"/netty-4.2/*.jar "$ticket_libs"/jackson/*.jar | tr '\n' ':')" \
                com.example.tickets.TicketService "$port" fixed >"$log" 2>&1 & ;;
        w|wp)
            java -jar "$webflux_jar" --server.port="$port" --server.address=127.0.0.1 --spring.main.banner-mode=off \
                >"$log" 2>&1 & ;;
        x|xa|xp)
            java -cp "$ticket_classes:$(ls "$ticket_libs"/netty-4.2/*.jar "$ticket_libs"/vertx/*.jar | tr '\n' ':')" \
                com.example.prices.PriceService "$port" >"$log" 2>&1 & ;;
        r|ra|rp)
            java -cp "$ticket_classes:$(ls "$ticket_libs"/netty-4.2/*.jar "$ticket_libs"/reactor/*.jar | tr '\n' ':')" \
                com.example.reactive.ReactiveService "$port" >"$log" 2>&1 & ;;
        v|va|vp)
            "$vt_java" -cp "$ticket_classes:$(ls "$ticket_libs"/netty-4.2/*.jar | tr '\n' ':')" \
                com.example.bars.BarsService "$port" fixed >"$log" 2>&1 & ;;
        g|ga|gp)
            java -cp "$ticket_classes:$(ls "$ticket_libs"/grpc-shaded/*.jar | tr '\n' ':')" \
                com.example.rates.RatesService "$port" >"$log" 2>&1 & ;;
        *)
            # shellcheck disable=SC2046 # option lists
            java $(jvm_args "$config" "$run") -jar "$(jar_of "$config")" sample --port "$port" --auth-adapter fixed --auth-latency 0 \
                $(router_args "$config") "${trace_args[@]}" >"$log" 2>&1 & ;;
    esac
    router_pid=$!
    local deadline=$((SECONDS + 60))
    until [[ "$(probe "$config")" == 200 ]]; do
        kill -0 "$router_pid" 2>/dev/null || { echo "e2e.sh: the router exited while starting; its log: $log" >&2; tail -20 "$log" >&2; exit 1; }
        (( SECONDS < deadline )) || { echo "e2e.sh: the router did not answer 200 on $url within 60 s; its log: $log" >&2; exit 1; }
        sleep 0.2
    done
}

# The HTTP status of one request to the configuration's service (000 while it does not answer).
probe() {
    case "$1" in
        g|ga|gp) curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge -H 'content-type: application/grpc' \
                  -H 'te: trailers' --data-binary @"$grpc_body" "$grpc_url" || true ;;
        *) curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer bench' "$(url_of "$1")" || true ;;
    esac
}

# Load on the configuration's service for $2 seconds, into $3; with --latency for the measured run.
# For gRPC, h2load (4 streams per connection), its figures written as the RESULT line wrk's script prints.
load() {
    local config=$1 seconds=$2 file=$3 latency=${4:-}
    case "$config" in
        g|ga|gp)
            h2load -D "$seconds" -c "$connections" -m 4 -t "$wrk_threads" -d "$grpc_body" \
                -H 'content-type: application/grpc' -H 'te: trailers' "$grpc_url" >"$file" 2>&1 || true
            awk '/^finished in/ { rps = $4 } /^requests:/ { n = $8; bad = $10 + $12 + $14 }
                 END { printf "RESULT requests=%d rps=%.1f p50_us=- p99_us=- p999_us=- errors=%d\n", n, rps, bad }' "$file" >>"$file" ;;
        *)
            wrk -t "$wrk_threads" -c "$connections" -d "${seconds}s" --timeout 5s $latency -s "$lua" "$(url_of "$config")" >"$file" 2>&1 ;;
    esac
}

# The attach options of a configuration that attaches the agent (nothing printed for the others).
attach_args_of() {
    case "$1" in
        na|ga|va|ra|xa) echo "attach" ;;
        ns) echo "attach --sites" ;;
    esac
}

# Attaches the agent while the warm-up's load runs (2 s into it): the time an engineer waits on a
# service at saturation. Prints the attach command's wall time in seconds.
attach_under_load() {
    local config=$1 log=$2 start end
    sleep 2
    start=$(date +%s.%N)
    # shellcheck disable=SC2046 # option list
    java -jar "$console_jar" $(attach_args_of "$config") "$router_pid" >>"$log" 2>&1 \
        || { echo "e2e.sh: attach failed; see $log" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

# Starts top for configuration c; prints the pid of its JVM (or nothing).
start_top() {
    local run=$1
    tmux -L "$tmux_socket" new-session -d -s top -x 160 -y 48 \
        "ROUTERCTL_ATTACH_DIR='$attach_dir' java -jar '$console_jar' top --pid $router_pid --interval 1s 2>'$out/$run-top.err'"
    local p deadline=$((SECONDS + 10)) javapid=""
    p=$(tmux -L "$tmux_socket" list-panes -t top -F '#{pane_pid}' 2>/dev/null || true)
    while [[ -z "$javapid" ]] && (( SECONDS < deadline )); do
        javapid=$(pgrep -n -P "$p" java || true)
        [[ -n "$javapid" ]] || sleep 0.2
    done
    echo "$javapid"
}

runs="$out/runs.tsv"
printf 'config\tround\trps\tp50_us\tp99_us\tp999_us\terrors\trouter_cpu_us_per_req\tobserver_cpu_s\tbusy_before_pct\tforeign_pct\tload_before\tload_after\tattach_s\n' >"$runs"
read -r -a list <<<"$configs"
n=${#list[@]}
say "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(loadavg)"
say "rounds $rounds, warmup ${warmup}s, measured ${duration}s, wrk -t$wrk_threads -c$connections, results in $out"
hz=$(getconf CLK_TCK)

for (( r = 1; r <= rounds; r++ )); do
    for (( k = 0; k < n; k++ )); do
        config=${list[$(( (k + r - 1) % n ))]}
        run="$config-$r"
        load_before=$(loadavg)
        busy_before=$(busy_now)
        say "round $r, $config ($(describe "$config")): load $load_before, machine busy ${busy_before}% before"
        start_router "$config" "$out/$run-router.log" "$run"
        # Observers start before the warm-up: their own start-up (a JVM, its JIT) belongs to attaching,
        # which an engineer does once, not to each second of watching.
        top_pid=""
        [[ "$config" == c ]] && top_pid=$(start_top "$run")
        scraper_pid=""
        [[ "$config" == m ]] && scraper_pid=$(start_scraper)
        attach_s="-"
        if [[ "$config" == gp || "$config" == vp || "$config" == rp || "$config" == xp || "$config" == wp ]]; then
            java -jar "$console_jar" attach "$router_pid" >>"$out/$run-attach.txt" 2>&1 \
                || { echo "e2e.sh: attach failed; see $out/$run-attach.txt" >&2; exit 1; }
        fi
        if [[ -n "$(attach_args_of "$config")" ]]; then
            (( warmup >= 4 )) || { echo "e2e.sh: $config attaches under the warm-up's load: --warmup must be 4 s or more" >&2; exit 2; }
            load "$config" "$warmup" "$out/$run-warmup.txt" &
            wrk_pid=$!
            attach_s=$(attach_under_load "$config" "$out/$run-router.log")
            wait "$wrk_pid"
        else
            load "$config" "$warmup" "$out/$run-warmup.txt"
        fi
        read -r t0 i0 < <(machine_jiffies)
        router0=$(proc_jiffies "$router_pid")
        top0=0
        [[ -n "$top_pid" ]] && top0=$(proc_jiffies "$top_pid")
        TIMEFORMAT='%U %S'
        { time load "$config" "$duration" "$out/$run-wrk.txt" --latency ; } 2>"$out/$run-wrk.time"
        read -r t1 i1 < <(machine_jiffies)
        router1=$(proc_jiffies "$router_pid")
        top1=0
        [[ -n "$top_pid" ]] && top1=$(proc_jiffies "$top_pid")
        [[ -n "$top_pid" ]] && tmux -L "$tmux_socket" capture-pane -p -t top >"$out/$run-top.screen" 2>/dev/null || true
        stop_observers
        if [[ -n "$scraper_pid" ]]; then
            [[ "$(curl -s "http://127.0.0.1:$((port + 1))/metrics" | grep -c '^routerctl_')" -gt 0 ]] \
                || echo "e2e.sh: $run: the scrape had no routerctl_ meters" >&2
            kill "$scraper_pid" 2>/dev/null || true
            wait "$scraper_pid" 2>/dev/null || true
        fi
        stop_router
        load_after=$(loadavg)
        wrk_j=$(awk -v hz="$hz" '{ printf "%d", ($1 + $2) * hz }' "$out/$run-wrk.time")
        ours=$(( router1 - router0 + top1 - top0 + wrk_j ))
        used=$(( (t1 - t0) - (i1 - i0) ))
        foreign=$(awk -v used="$used" -v ours="$ours" -v total="$((t1 - t0))" \
            'BEGIN { f = used - ours; if (f < 0) f = 0; printf "%.1f", (total > 0 ? 100 * f / total : 0) }')
        line=$(grep '^RESULT' "$out/$run-wrk.txt" || true)
        [[ -n "$line" ]] || { echo "e2e.sh: wrk printed no result for $run; see $out/$run-wrk.txt" >&2; exit 1; }
        get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
        requests=$(get requests)
        cpu_per_req=$(awk -v j="$((router1 - router0))" -v n="$requests" -v hz="$hz" \
            'BEGIN { if (n > 0) printf "%.1f", j / hz * 1e6 / n; else print "nan" }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$config" "$r" "$(get rps)" "$(get p50_us)" \
            "$(get p99_us)" "$(get p999_us)" "$(get errors)" "$cpu_per_req" "$(jiffies_to_s "$((top1 - top0))")" \
            "$busy_before" "$foreign" "$load_before" "$load_after" "$attach_s" >>"$runs"
        attached=""
        [[ "$attach_s" == - ]] || attached=", attach under load $attach_s s"
        say "round $r, $config: $(get rps) req/s, p50 $(get p50_us) us, p99 $(get p99_us) us, router CPU $cpu_per_req us/req, other processes ${foreign}% of the machine$attached"
    done
done

# ---- the table: per configuration, its ratio to its reference in the same round ----
busy_runs=$(awk -F'\t' 'NR > 1 && ($10 > 15 || $11 > 10) { n++ } END { print n + 0 }' "$runs")
total_runs=$(( $(wc -l <"$runs") - 1 ))
{
    if (( busy_runs > 0 )); then
        echo "NOT A RESULT: the machine was busy during $busy_runs of $total_runs runs (other work over 15% before a run or 10% during it; see busy_before_pct and foreign_pct in $runs). Rerun on a quiet machine."
        echo
    fi
    echo "| config | what | req/s (median) | ratio req/s: median (min-max) | ratio p99 | ratio p99.9 | ratio CPU/req | rounds |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for config in $all_configs; do
        [[ " $configs " == *" $config "* ]] || continue
        ref=$(reference_of "$config")
        awk -F'\t' -v c="$config" -v ref="$ref" -v what="$(describe "$config")" '
            NR > 1 { rps[$1, $2] = $3; p99[$1, $2] = $5; p999[$1, $2] = $6; cpu[$1, $2] = $8; if ($1 == c) rounds[$2] = 1 }
            function isort(v, n,   i, j, t) {
                for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
            }
            function stats(arr, name,   n, i, r, v, s, med) {
                n = 0
                for (r in rounds) if ((c, r) in arr && (ref, r) in arr && arr[ref, r] > 0) v[++n] = arr[c, r] / arr[ref, r]
                if (n == 0) return "-"
                isort(v, n)
                med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
                return sprintf("%.3f (%.3f-%.3f)", med, v[1], v[n])
            }
            END {
                n = 0
                for (r in rounds) x[++n] = rps[c, r]
                isort(x, n)
                medrps = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
                printf "| %s | %s | %.0f | %s | %s | %s | %s | %d |\n", c, what, medrps, stats(rps), stats(p99), stats(p999), stats(cpu), n
            }' "$runs"
    done
    echo
    echo "Each ratio is the configuration's figure over its reference's (a; oa for ob; n for na and ns; g for ga and gp; v for va and vp; r for ra and rp; x for xa and xp; w for wp; b for m; jb for j) in the same round; median and min-max over the rounds."
    awk -F'\t' 'NR > 1 && $14 != "-" && $14 != "" { a[$1] = a[$1] " " $14 }
        END { for (c in a) { n = split(substr(a[c], 2), v, " ");
                  for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > t + 0; j--) v[j + 1] = v[j]; v[j + 1] = t }
                  printf "Attach under load (%s, wall time of routerctl attach 2 s into the warm-up): median %.2f s (%.2f-%.2f) over %d runs.\n",
                      c, (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[1], v[n], n } }' "$runs"
    echo "$rounds rounds; ${duration}s measured after ${warmup}s warmup per run; wrk -t$wrk_threads -c$connections on the same machine."
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load at the end: $(loadavg)."
} | tee "$out/table.md"
say "per-run figures: $runs"
(( busy_runs == 0 )) || exit 3
