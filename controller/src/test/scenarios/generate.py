#!/usr/bin/env python3
"""Writes the labelled scenario corpus (controller/src/test/resources/scenarios/*.ndjson).

Each file is one scenario type played by five independent fleets (seeds), each fleet on its own chip
generation so that control hosts never cross fleets. Every candidate run carries its expected verdict per
concurrency level in an extra "expect" field (and "expect_factors"); the interchange format ignores unknown
fields, so the files are also ordinary input for `macfleet analyze`. Deterministic: run it again and the
files do not change.  Usage: generate.py [OUT_DIR]
"""
import json, math, os, random, sys
from datetime import datetime, timedelta, timezone

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "scenarios")
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
D1, D2 = "a" * 64, "b" * 64
MODEL = "qwen3.5:35b-a3b-nvfp4"
BASE = dict(ollama_version="0.19.0", os_build="24E263", backend="mlx", digest=D1)


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Fleet:
    def __init__(self, seed, gen):
        self.rnd = random.Random(seed * 7919)
        self.seed, self.gen, self.lines, self.n = seed, gen, [], 0

    def emit(self, **rec):
        self.lines.append(json.dumps(rec, separators=(",", ":")))

    def host(self, name, role="fleet"):
        self.emit(kind="host", host=name, chip="Apple " + self.gen + " Pro", chip_generation=self.gen,
                  memory_bytes=48 << 30, role=role, labels={})

    def run(self, host, start, triple, purpose="scheduled", levels=(1,), n=24, ttft=200.0, decode=110.0,
            prefill=1800.0, slow4=1.0, cold_ttft=900.0, expect=None, factors=None, errors=0, model=MODEL,
            error="hung", errors_at=None, symptom=None, scope=None):
        # errors: failed steady requests per level (errors_at: per level instead), each of class error
        self.n += 1
        rid = "r-%d-%d" % (self.seed, self.n)
        end = start + timedelta(minutes=4)
        rec = dict(kind="run", run=rid, host=host, started_at=ts(start), ended_at=ts(end), model=model,
                   ollama_version=triple["ollama_version"], os_build=triple["os_build"], backend=triple["backend"],
                   digest=triple["digest"], prompt_set="coding", purpose=purpose, baseline=False)
        if expect:
            rec["expect"] = {str(k): v for k, v in expect.items()}
            rec["expect_factors"] = {str(k): v for k, v in (factors or {}).items()}
            if symptom:
                rec["expect_symptom"] = {str(k): v for k, v in symptom.items()}
                rec["expect_scope"] = {str(k): v for k, v in scope.items()}
        self.emit(**rec)
        at = start
        for level in levels:
            self.emit(kind="sample", run=rid, at=ts(at), concurrency=level, cold=True,
                      ttft_ms=round(cold_ttft * self.rnd.lognormvariate(0, 0.05), 1), prefill_tps=None,
                      decode_tps=None, load_ms=800.0, error=None)
            for i in range(n):
                f = slow4 if level > 1 else 1.0
                fail = i < (errors if errors_at is None else errors_at.get(level, 0))
                self.emit(kind="sample", run=rid, at=ts(at + timedelta(seconds=2 + i)), concurrency=level, cold=False,
                          ttft_ms=None if fail else round(ttft * f * self.rnd.lognormvariate(0, 0.08), 1),
                          prefill_tps=None if fail else round(prefill * self.rnd.gauss(1, 0.04), 1),
                          decode_tps=None if fail else round(decode * self.rnd.gauss(1, 0.03), 2),
                          error=error if fail else None)
        return rid

    def telemetry(self, host, start, minutes=5, every_s=60, **over):
        t = start
        while t <= start + timedelta(minutes=minutes):
            rec = dict(kind="telemetry", host=host, at=ts(t), thermal_pressure="nominal", power_source="ac",
                       battery_percent=None, lid_closed=False, external_display=True,
                       swap_used_bytes=64 << 20, memory_pressure="normal")
            rec.update(over)
            self.emit(**rec)
            t += timedelta(seconds=every_s)


def history(f, host, triple, runs=3, **kw):
    """Baseline runs, hourly, a day before the candidate, with calm telemetry before each."""
    for i in range(runs):
        start = T0 + timedelta(hours=i)
        f.telemetry(host, start - timedelta(minutes=1), minutes=6)
        f.run(host, start, triple, **kw)


CAND = T0 + timedelta(days=1)


def fleet_with_control(f, levels=(1,), suspect_triple=BASE, control_triple=BASE):
    f.host("mac-%d" % f.seed)
    f.host("ctl-%d" % f.seed, role="control")
    history(f, "mac-%d" % f.seed, BASE, levels=levels)
    history(f, "ctl-%d" % f.seed, BASE, levels=levels)


def control_replay(f, triple=BASE, levels=(1,), **kw):
    f.telemetry("ctl-%d" % f.seed, CAND - timedelta(minutes=1), minutes=14)
    f.run("ctl-%d" % f.seed, CAND + timedelta(minutes=6), triple, purpose="control_replay", levels=levels, **kw)


def noise_only(f):
    fleet_with_control(f, levels=(1, 4))
    f.run("mac-%d" % f.seed, CAND, BASE, levels=(1, 4), expect={1: "no_change", 4: "no_change"})


def noise_harmless_telemetry(f):
    fleet_with_control(f)
    f.telemetry("mac-%d" % f.seed, CAND - timedelta(minutes=1), minutes=6, battery_percent=100,
                swap_used_bytes=200 << 20)
    f.run("mac-%d" % f.seed, CAND, BASE, expect={1: "no_change"})
    control_replay(f)


def environment(factor, **telemetry):
    def play(f):
        fleet_with_control(f)
        s = "mac-%d" % f.seed
        f.telemetry(s, CAND - timedelta(minutes=1), minutes=6, **telemetry)
        if factor == "sleep":
            f.emit(kind="event", host=s, at=ts(CAND + timedelta(minutes=2)), event="sleep")
            f.emit(kind="event", host=s, at=ts(CAND + timedelta(minutes=3)), event="wake")
        f.run(s, CAND, BASE, ttft=330.0, decode=80.0, expect={1: "environment"}, factors={1: [factor]})
        control_replay(f)
    play.__name__ = "environment_" + factor
    return play


def software(factor, changed):
    def play(f):
        fleet_with_control(f)
        s = "mac-%d" % f.seed
        f.telemetry(s, CAND - timedelta(minutes=1), minutes=6)
        f.run(s, CAND, changed, ttft=290.0, decode=85.0, expect={1: "software_regression"}, factors={1: [factor]})
        control_replay(f, triple=changed, ttft=290.0, decode=85.0)
    play.__name__ = "software_regression_" + factor
    return play


def digest_drift(f):
    fleet_with_control(f)
    for other in ("mac-%d-b" % f.seed, "mac-%d-c" % f.seed):
        f.host(other)
        history(f, other, BASE)
    drifted = dict(BASE, digest=D2)
    f.run("mac-%d" % f.seed, CAND, drifted, expect={1: "digest_drift"}, factors={1: ["digest"]})
    control_replay(f)


def concurrency(f):
    fleet_with_control(f, levels=(1, 4))
    f.telemetry("mac-%d" % f.seed, CAND - timedelta(minutes=1), minutes=6)
    f.run("mac-%d" % f.seed, CAND, BASE, levels=(1, 4), slow4=1.8, expect={1: "no_change", 4: "concurrency"})
    control_replay(f, levels=(1, 4))


def concurrency_ratio(f):
    # an MLX runner serving one request at a time: 4-way TTFT p95 far over 2.8 x 1-way, before and after
    fleet_with_control(f, levels=(1, 4))
    f.lines = [l for l in f.lines if '"kind":"run"' not in l and '"kind":"sample"' not in l]
    for h in ("mac-%d" % f.seed, "ctl-%d" % f.seed):
        for i in range(3):
            f.run(h, T0 + timedelta(hours=i), BASE, levels=(1, 4), slow4=4.0)
    f.run("mac-%d" % f.seed, CAND, BASE, levels=(1, 4), slow4=4.0, expect={1: "no_change", 4: "concurrency"})


def cold_start(f):
    fleet_with_control(f)
    f.run("mac-%d" % f.seed, CAND, BASE, cold_ttft=2600.0, expect={1: "cold_start"})


def insufficient(f):
    fleet_with_control(f)
    f.run("mac-%d" % f.seed, CAND, BASE, n=10, ttft=400.0, expect={1: "insufficient_data"})


def insufficient_errors(f):
    # 24 requests, 16 of them hung, as in every run before: not a new failure, and 8 steady-state samples are not
    # enough to claim anything about speed
    f.host("mac-%d" % f.seed)
    f.host("ctl-%d" % f.seed, role="control")
    history(f, "mac-%d" % f.seed, BASE, errors=16)
    history(f, "ctl-%d" % f.seed, BASE)
    f.run("mac-%d" % f.seed, CAND, BASE, errors=16, expect={1: "insufficient_data"})


SIBLING = "qwen3.5:35b-a3b-q4_K_M"


def failure_quant_specific(f):
    # the nvfp4 tag stops loading on the MLX path; the q4_K_M tag of the same model, probed beside it, is clean
    fleet_with_control(f)
    s = "mac-%d" % f.seed
    f.run(s, CAND, BASE, errors=24, error="load_failed", expect={1: "failure"}, factors={1: ["mlx"]},
          symptom={1: "load_failure"}, scope={1: "quant_specific"})
    f.run(s, CAND + timedelta(minutes=5), dict(BASE, backend="llama.cpp"), model=SIBLING)


def failure_concurrency_only(f):
    # Metal transients under parallel streams: a crash mid-stream at 4-way, clean at 1-way in the same run
    fleet_with_control(f, levels=(1, 4))
    f.run("mac-%d" % f.seed, CAND, BASE, levels=(1, 4), errors_at={4: 9}, error="midstream_error",
          expect={1: "no_change", 4: "failure"}, symptom={4: "midstream_crash"}, scope={4: "concurrency_only"})


def failure_host_local(f):
    # the runbook's solo reproduction: hangs on one host, the control replay under the same triple is clean
    fleet_with_control(f)
    f.run("mac-%d" % f.seed, CAND, BASE, errors=10, error="hung", expect={1: "failure"},
          symptom={1: "hung"}, scope={1: "host_local"})
    control_replay(f)


def failure_fleet(f):
    # reproduced on a second same-generation Mac with the same digest
    fleet_with_control(f)
    f.run("mac-%d" % f.seed, CAND, BASE, errors=10, error="midstream_error", expect={1: "failure"},
          symptom={1: "midstream_crash"}, scope={1: "fleet"})
    control_replay(f, errors=9, error="midstream_error")


def failure_unknown(f):
    # nothing answers, and there is no control host to ask
    f.host("mac-%d" % f.seed)
    history(f, "mac-%d" % f.seed, BASE)
    f.run("mac-%d" % f.seed, CAND, BASE, errors=12, error="refused", expect={1: "failure"},
          symptom={1: "refused"}, scope={1: "unknown"})


def no_control(f):
    f.host("mac-%d" % f.seed)
    history(f, "mac-%d" % f.seed, BASE)
    f.telemetry("mac-%d" % f.seed, CAND - timedelta(minutes=1), minutes=6, thermal_pressure="heavy")
    f.run("mac-%d" % f.seed, CAND, BASE, ttft=330.0, decode=80.0, expect={1: "unattributed"})


def improvement(f):
    fleet_with_control(f)
    f.run("mac-%d" % f.seed, CAND, BASE, ttft=150.0, decode=140.0, expect={1: "improvement"})


SCENARIOS = [noise_only, noise_harmless_telemetry,
             environment("thermal", thermal_pressure="heavy"), environment("sleep"),
             environment("battery", power_source="battery", battery_percent=61),
             environment("mobile", external_display=False),
             environment("swap", swap_used_bytes=2 << 30), environment("memory_pressure", memory_pressure="critical"),
             software("ollama_version", dict(BASE, ollama_version="0.20.0")), software("digest", dict(BASE, digest=D2)),
             software("os_build", dict(BASE, os_build="24F74")), software("backend", dict(BASE, backend="llama.cpp")),
             digest_drift, concurrency, concurrency_ratio, cold_start, insufficient, insufficient_errors, no_control,
             improvement, failure_quant_specific, failure_concurrency_only, failure_host_local, failure_fleet,
             failure_unknown]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for play in SCENARIOS:
        lines = []
        for seed in range(1, 6):
            f = Fleet(seed * 100 + SCENARIOS.index(play), "M%d" % seed)
            play(f)
            lines += f.lines
        with open(os.path.join(OUT, play.__name__ + ".ndjson"), "w") as out:
            out.write("\n".join(lines) + "\n")
    print("wrote %d scenario files to %s" % (len(SCENARIOS), os.path.normpath(OUT)))
