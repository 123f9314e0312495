#!/usr/bin/env bash
# Runs the probes microbenchmarks (JMH) from a clean clone; see docs/performance.md.
#
#   docs/bench/micro.sh                          every benchmark, with the annotated forks/iterations
#   docs/bench/micro.sh -prof gc ShardOperations  JMH options and a benchmark regex, passed through
#   docs/bench/micro.sh -f 1 -wi 1 -i 1 -w 100ms -r 100ms   a smoke run
#   docs/bench/micro.sh footprint [N ...]        heap bytes per tracked task (default N: 100k, 1M, 2^20, 2^20+1),
#                                                under the default collector; FOOTPRINT_JVM_OPTS="-XX:+UseSerialGC"
#                                                shows the columns' exact size (no G1 region rounding)
#   docs/bench/micro.sh -h                       JMH's own help (-lprof lists profilers)
#
# It compiles the probes module with its test sources (where the benchmarks live), then runs JMH
# on that class path. It never installs anything into ~/.m2.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

mvn -B -q -Dstyle.color=never -pl probes test-compile
classpath_file="$root/probes/target/bench-classpath.txt"
# The dependency class path changes only with the poms.
if [[ ! -s "$classpath_file" || probes/pom.xml -nt "$classpath_file" || pom.xml -nt "$classpath_file" ]]; then
    mvn -B -q -Dstyle.color=never -pl probes dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$classpath_file" >/dev/null
fi
classpath="probes/target/test-classes:probes/target/classes:$(cat "$classpath_file")"

if [[ "${1:-}" == "footprint" ]]; then
    shift
    # shellcheck disable=SC2086 # FOOTPRINT_JVM_OPTS is a list of options
    exec java -Xms4g -Xmx4g ${FOOTPRINT_JVM_OPTS:-} -cp "$classpath" io.routerctl.probes.bench.TaskFootprint "$@"
fi
# The machine's load decides how far the figures can be trusted: print it beside them.
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before:$(uptime | sed 's/.*load average://')"
status=0
java -cp "$classpath" org.openjdk.jmh.Main "$@" || status=$?
echo "# load after:$(uptime | sed 's/.*load average://')"
exit "$status"
