#!/usr/bin/env python3
"""The controller's own acknowledgement latency over a window, from two scrapes of its /metrics.

    bench/ack-histogram.py BEFORE.prom AFTER.prom

macfleet_report_ack_seconds runs from a report reaching the controller's handler (decrypted and parsed) to
its acknowledgement being handed to gRPC, so it leaves out the network, TLS and the load generator. The
buckets are Micrometer's, so a percentile is printed as the bucket bound it falls under."""
import re
import sys

LINE = re.compile(r'^macfleet_report_ack_seconds_bucket\{.*le="([^"]+)".*\}\s+(\S+)$')


def buckets(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                le = float("inf") if m.group(1) == "+Inf" else float(m.group(1))
                out[le] = out.get(le, 0.0) + float(m.group(2))  # summed over outcome tags
    return out


def main():
    before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
    if not after:
        print("controller ack latency: no macfleet_report_ack_seconds in the scrape")
        return
    bounds = sorted(after)
    cumulative = [after[b] - before.get(b, 0.0) for b in bounds]
    total = cumulative[-1]
    if total <= 0:
        print("controller ack latency: no report acknowledged in the window")
        return

    def under(p):
        for b, c in zip(bounds, cumulative):
            if c >= total * p / 100:
                return "≤ %.1f" % (b * 1000) if b != float("inf") else "> %.0f" % (bounds[-2] * 1000)
        return "?"

    print("controller ack latency ms (handler to ack, %d reports): p50 %s  p90 %s  p99 %s  p99.9 %s"
          % (total, under(50), under(90), under(99), under(99.9)))


if __name__ == "__main__":
    main()
