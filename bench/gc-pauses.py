#!/usr/bin/env python3
"""Stop-the-world GC pauses inside a wall-clock window, from JVM logs written with -Xlog:gc:file=F:time.

    bench/gc-pauses.py START_EPOCH END_EPOCH NAME=LOG [NAME=LOG ...]

A pause on either side of the wire shows up in the measured ack latency: the controller stops answering,
or the load generator stops reading its answers."""
import datetime
import re
import sys

PAUSE = re.compile(r'^\[([^\]]+)\].*\bPause\b.*?([\d.]+)ms$')


def pauses(path, start, end):
    out = []
    try:
        with open(path) as f:
            for line in f:
                m = PAUSE.match(line.strip())
                if not m:
                    continue
                at = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
                if start <= at <= end:
                    out.append(float(m.group(2)))
    except OSError:
        pass
    return out


def main():
    start, end = float(sys.argv[1]), float(sys.argv[2])
    for arg in sys.argv[3:]:
        name, path = arg.split("=", 1)
        p = sorted(pauses(path, start, end))
        if not p:
            print("gc %s: no stop-the-world pause in the %.0f s window" % (name, end - start))
            continue
        print("gc %s: %d pauses in %.0f s, %.0f ms in all (%.1f%% of the time), median %.0f ms, longest %.0f ms"
              % (name, len(p), end - start, sum(p), sum(p) / (end - start) / 10, p[len(p) // 2], p[-1]))


if __name__ == "__main__":
    main()
