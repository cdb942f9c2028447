#!/usr/bin/env python3
"""CPU by thread group for running JVMs, read from /proc over a window.

    bench/thread-cpu.py SECONDS NAME=PID [NAME=PID ...]

Prints, per process, the cores it used on average and the share of each thread group (thread names with
their numbers stripped, so the 2 gRPC network threads count as one group)."""
import os
import re
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
    return out


def group(name):
    return re.sub(r"[-#]?\d+", "", name).strip("-# ") or name


def main():
    seconds = float(sys.argv[1])
    procs = [a.split("=", 1) for a in sys.argv[2:]]
    before = {pid: threads(pid) for _, pid in procs}
    time.sleep(seconds)
    for label, pid in procs:
        after = threads(pid)
        by_group = {}
        for tid, (name, ticks) in after.items():
            used = ticks - before[pid].get(tid, (name, 0))[1]
            by_group[group(name)] = by_group.get(group(name), 0) + used / TICK / seconds
        total = sum(by_group.values())
        top = sorted(by_group.items(), key=lambda kv: -kv[1])[:6]
        print(f"cpu {label}: {total:.2f} cores ("
              + ", ".join(f"{g} {c:.2f}" for g, c in top if c >= 0.01) + ")")


if __name__ == "__main__":
    main()
