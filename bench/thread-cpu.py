#!/usr/bin/env python3
"""CPU by thread group for running JVMs, read from /proc over a window.

    bench/thread-cpu.py SECONDS NAME=PID[+PID...] [NAME=PID ...]

PIDs joined by "+" count as one process (a PostgreSQL server's postmaster and its backends).

Prints, per process, the cores it used on average and the share of each thread group (thread names with
their numbers stripped, so the 2 gRPC network threads count as one group), and how long those groups were
ready to run but waited for a core (the scheduler's run delay, from /proc/…/schedstat): on a machine the
load generator shares, a thread that waits for a core is as late as one that works. A third line gives the share
of each group's CPU spent in the kernel (system time): for network threads that is the loopback TCP stack and the
poll and read/write calls, which the JVM's side does not control."""
import os
import re
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def threads(pids):
    out = {}
    for pid in pids.split("+"):
        try:
            out.update(threads_of(pid))
        except OSError:
            continue  # the process ended
    return out


def threads_of(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                waited = int(f.read().split()[1]) / 1e9  # run delay, ns
        except (OSError, IndexError, ValueError):
            waited = 0.0
        out[tid] = (name, int(fields[11]) + int(fields[12]), waited, int(fields[12]))  # utime + stime, stime
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
        by_group, waits, kernel = {}, {}, {}
        for tid, (name, ticks, waited, sys_ticks) in after.items():
            _, ticks0, waited0, sys0 = before[pid].get(tid, (name, 0, 0.0, 0))
            g = group(name)
            by_group[g] = by_group.get(g, 0) + (ticks - ticks0) / TICK / seconds
            waits[g] = waits.get(g, 0) + (waited - waited0) / seconds
            kernel[g] = kernel.get(g, 0) + (sys_ticks - sys0) / TICK / seconds
        total = sum(by_group.values())
        top = sorted(by_group.items(), key=lambda kv: -kv[1])[:6]
        print(f"cpu {label}: {total:.2f} cores ("
              + ", ".join(f"{g} {c:.2f}" for g, c in top if c >= 0.01) + ")")
        late = sorted(waits.items(), key=lambda kv: -kv[1])[:4]
        print(f"  waiting for a core (thread-seconds per second): "
              + ", ".join(f"{g} {w:.2f}" for g, w in late if w >= 0.005))
        print(f"  of that in the kernel: "
              + ", ".join(f"{g} {kernel[g] / c:.0%}" for g, c in top if c >= 0.05))


if __name__ == "__main__":
    main()
