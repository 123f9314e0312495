#!/usr/bin/env python3
"""Steady load from independent clients: a new TCP connection per request, at a fixed rate.

Not wrk (which keeps connections alive and stops a connection at its first hung request) and not
the sample's own load generator: this is a client any user could write. Each request is an HTTP/1.1
GET with `Connection: close`, sent at its scheduled time whatever happened to the earlier ones
(open loop), on its own connection. A request not answered within --timeout is hung.

    docs/bench/steady-load.py --rate 300 --duration 10 --url http://127.0.0.1:8080/api/items/1
    docs/bench/steady-load.py --rate 300 --duration 10 --json > result.json

Prints per-second counts (sent, answered, hung) and the totals; with --ports, the local ports of the
hung requests (what `routerctl dump-stuck` shows as their remote addresses). Exit 0, or 2 on bad
arguments, 3 if the server refuses connections.
"""
import argparse
import asyncio
import json
import sys
import time
import urllib.parse


async def one_request(host, port, path, token, timeout, record):
    """Sends one request on a fresh connection; records its outcome."""
    started = time.monotonic()
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        record["port"] = writer.get_extra_info("sockname")[1]
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                   f"Connection: close\r\n\r\n")
        writer.write(request.encode("ascii"))
        await writer.drain()
        remaining = timeout - (time.monotonic() - started)
        status_line = await asyncio.wait_for(reader.readline(), max(remaining, 0.001))
        if not status_line:
            record["outcome"] = "closed"
            return
        record["status"] = int(status_line.split()[1])
        record["outcome"] = "answered"
    except asyncio.TimeoutError:
        record["outcome"] = "hung"
    except ConnectionRefusedError:
        record["outcome"] = "refused"
    except OSError as e:
        record["outcome"] = "error"
        record["error"] = str(e)
    finally:
        record["seconds"] = time.monotonic() - started
        if writer is not None:
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass


async def run(args):
    url = urllib.parse.urlsplit(args.url)
    host, port = url.hostname, url.port or 80
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    records = []
    tasks = []
    start = time.monotonic()
    total = int(args.rate * args.duration)
    for i in range(total):
        due = start + i / args.rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        record = {"i": i, "sent_at": time.monotonic() - start, "outcome": "pending"}
        records.append(record)
        tasks.append(asyncio.create_task(one_request(host, port, path, args.token, args.timeout, record)))
    await asyncio.gather(*tasks)
    return records, time.monotonic() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8080/api/items/1")
    p.add_argument("--rate", type=float, default=300, help="requests per second (default 300)")
    p.add_argument("--duration", type=float, default=10, help="seconds of sending (default 10)")
    p.add_argument("--timeout", type=float, default=5, help="seconds before a request counts as hung (default 5)")
    p.add_argument("--token", default="tok-1", help="the bearer token (default tok-1)")
    p.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    p.add_argument("--ports", action="store_true", help="list the local ports of the hung requests")
    args = p.parse_args()
    if args.rate <= 0 or args.duration <= 0 or args.timeout <= 0:
        print("steady-load: --rate, --duration and --timeout must be positive", file=sys.stderr)
        return 2
    records, took = asyncio.run(run(args))
    by_second = {}
    for r in records:
        s = by_second.setdefault(int(r["sent_at"]), {"sent": 0, "answered": 0, "hung": 0, "other": 0})
        s["sent"] += 1
        key = r["outcome"] if r["outcome"] in ("answered", "hung") else "other"
        s[key] += 1
    totals = {k: sum(s[k] for s in by_second.values()) for k in ("sent", "answered", "hung", "other")}
    refused = sum(1 for r in records if r["outcome"] == "refused")
    hung_ports = sorted(r["port"] for r in records if r["outcome"] == "hung" and "port" in r)
    if args.json:
        print(json.dumps({"rate": args.rate, "duration_s": args.duration, "took_s": round(took, 3),
                          "totals": totals, "by_second": by_second, "hung_ports": hung_ports}, indent=1))
    else:
        print(f"{'second':>6} {'sent':>6} {'answered':>9} {'hung':>5} {'hung %':>7}")
        for sec in sorted(by_second):
            s = by_second[sec]
            print(f"{sec:>6} {s['sent']:>6} {s['answered']:>9} {s['hung']:>5} {100.0 * s['hung'] / s['sent']:>6.1f}%")
        pct = 100.0 * totals["hung"] / totals["sent"] if totals["sent"] else 0
        print(f"total: sent {totals['sent']}, answered {totals['answered']}, hung {totals['hung']} ({pct:.1f}%), "
              f"other {totals['other']}; {args.rate:g} req/s for {args.duration:g}s, one connection per request")
        if args.ports:
            print("hung local ports: " + " ".join(map(str, hung_ports)))
    return 3 if refused == len(records) else 0


if __name__ == "__main__":
    sys.exit(main())
