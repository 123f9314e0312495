#!/usr/bin/env python3
"""Summarises a JMH JSON result (micro.sh ... -rf json -rff FILE): per benchmark, the mean JMH
reports, the best (min) and median iteration, and the bytes allocated per operation when the run
had -prof gc. On a machine shared with other work, the best iteration is the closest to the cost
on an unloaded core; the mean carries the load. Usage: docs/bench/jmh-summary.py FILE..."""
import json
import statistics
import sys


def name(result):
    bench = result["benchmark"].rsplit(".", 2)
    label = bench[-2] + "." + bench[-1]
    params = result.get("params") or {}
    if params:
        label += " [" + ",".join(f"{k}={v}" for k, v in params.items()) + "]"
    return label


def rows(result):
    primary = result["primaryMetric"]
    yield name(result), primary
    for key, metric in (result.get("secondaryMetrics") or {}).items():
        if not key.startswith("gc."):
            yield name(result) + " :" + key, metric


def main(paths):
    print(f"{'benchmark':70s} {'mean':>14s} {'best':>14s} {'median':>14s} {'unit':>8s} {'alloc B/op':>11s}")
    for path in paths:
        with open(path) as f:
            results = json.load(f)
        for result in results:
            alloc = (result.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
            alloc_text = f"{alloc['score']:.2f}" if alloc else "-"
            for label, metric in rows(result):
                samples = [x for fork in metric.get("rawData", []) for x in fork]
                best = min(samples) if samples else float("nan")
                median = statistics.median(samples) if samples else float("nan")
                print(f"{label:70s} {metric['score']:14.3f} {best:14.3f} {median:14.3f} {metric['scoreUnit']:>8s} {alloc_text:>11s}")
                alloc_text = ""


if __name__ == "__main__":
    main(sys.argv[1:])
