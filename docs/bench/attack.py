#!/usr/bin/env python3
"""Careless or hostile attach clients, for docs/bench/attacks.sh.

    attack.py SOCKET MODE CLIENTS SECONDS

MODE is one of:
  regex     each client loops a query whose filter backtracks for minutes: (.*) x16 then Z
  gc        each client loops the gc op
  idle      each client connects and never says anything (reconnecting if closed)
  halfsent  each client sends half a request line and waits (reconnecting if closed)
  probe     one well-behaved client: a plain query every 200 ms, timed

Prints one line: MODE clients=N requests=R answers={code: count} answer_ms p50/max, and for
probe the latency of its queries. Standard library only.
"""
import json
import socket
import statistics
import sys
import threading
import time

HOSTILE = "(.*)" * 16 + "Z"


def connect(path):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(60)
    s.connect(path)
    f = s.makefile("rb")
    hello = f.readline()
    return s, f, hello


def run(path, mode, seconds, stats, lock):
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        try:
            s, f, hello = connect(path)
        except OSError as e:
            with lock:
                stats["connect_failed"] = stats.get("connect_failed", 0) + 1
            time.sleep(0.05)
            continue
        if b'"error"' in hello:
            with lock:
                code = json.loads(hello)["error"]["code"]
                stats["refused:" + code] = stats.get("refused:" + code, 0) + 1
            s.close()
            time.sleep(0.05)
            continue
        try:
            if mode in ("idle", "halfsent"):
                if mode == "halfsent":
                    s.sendall(b'{"v":1,"id":1,')
                line = f.readline()  # blocks until the target gives up on us
                with lock:
                    key = "closed_by_target" if line == b"" else "said:" + json.loads(line).get("error", {}).get("code", "?")
                    stats[key] = stats.get(key, 0) + 1
                s.close()
                continue
            while time.time() < end:
                n += 1
                if mode == "regex":
                    req = {"v": 1, "id": n, "op": "query", "query": {"older_than_ms": 0, "filter": HOSTILE}}
                elif mode == "gc":
                    req = {"v": 1, "id": n, "op": "gc"}
                else:
                    req = {"v": 1, "id": n, "op": "query", "query": {"stuck_only": True, "older_than_ms": 2000, "limit": 10}}
                t0 = time.time()
                s.sendall((json.dumps(req) + "\n").encode())
                line = f.readline()
                ms = (time.time() - t0) * 1000
                if not line:
                    break
                reply = json.loads(line)
                code = reply["error"]["code"] if "error" in reply else "ok"
                with lock:
                    stats.setdefault("answers", {}).setdefault(code, 0)
                    stats["answers"][code] += 1
                    stats.setdefault("ms", []).append(ms)
                if mode == "probe":
                    time.sleep(0.2)
            s.close()
        except (OSError, ValueError):
            with lock:
                stats["broken"] = stats.get("broken", 0) + 1
            s.close()


def main():
    path, mode, clients, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    stats, lock = {}, threading.Lock()
    threads = [threading.Thread(target=run, args=(path, mode, seconds, stats, lock), daemon=True)
               for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 90)
    ms = sorted(stats.pop("ms", []))
    timing = ""
    if ms:
        timing = " answer_ms p50=%.1f max=%.1f" % (statistics.median(ms), ms[-1])
    answers = stats.pop("answers", {})
    print("ATTACK %s clients=%d answers=%s other=%s%s" % (mode, clients, json.dumps(answers, sort_keys=True),
                                                        json.dumps(stats, sort_keys=True), timing), flush=True)


if __name__ == "__main__":
    main()
