"""Loads what the comparison charts draw from OUTDIR/comparison.json and each
OUTDIR/<model>/report.json (written by `consim compare`, analysis/report/comparison.cc
and analysis/report/run_report.cc), checking every field it uses.

Invariants: models keep the order of comparison.json's "models"; phases keep
the order in which they first appear in its "rows" (before, during ...,
after ...), with their time range from the first report that has them. A
report whose model, scenario or seed differs from the comparison is an error,
since the charts would then compare different runs.
"""

import os

from plot_common import Doc, InputError, load_json

ROW_NUMBERS = [
    "availability",
    "read_availability",
    "write_availability",
    "stale_rate",
    "read_p50_ms",
    "read_p99_ms",
    "write_p50_ms",
    "write_p99_ms",
]


class Comparison:
    def __init__(self):
        self.scenario, self.seed = "", 0
        self.models = []  # names, in comparison order
        self.phases = []  # names, in time order
        self.phase_times = {}  # name -> (start_ms, end_ms)
        self.rows = {}  # (model, phase) -> {field: number or None}
        self.visibility = {}  # model -> {"during_partition": bins, "outside_partition": bins}
        self.cap = {}  # model -> {"sides": [...], "else": {...} or None}
        self.convergence = {}  # model -> list of {"label", "converged_ms", ...} or None
        self.checkers = {}  # model -> {checker: {"verdict", "rate", "count", "of", "unit"}}
        self.outdir = ""


def load_comparison(outdir):
    if not os.path.isdir(outdir):
        raise InputError(f"{outdir}: no such folder (run consim compare SCENARIO --out {outdir})")
    path = os.path.join(outdir, "comparison.json")
    doc = Doc(load_json(path), path)
    if doc.raw("format") != "consim-comparison":
        doc.fail('expected "format": "consim-comparison"')
    data = Comparison()
    data.outdir = outdir
    data.scenario = doc.string("scenario")
    data.seed = doc.integer("seed")
    for row in doc.items("rows"):
        read_row(row, data)
    for entry in doc.items("models"):
        read_model(entry, data)
    if not data.models:
        doc.fail("no models to compare")
    for model in data.models:
        read_report(outdir, model, data)
    return data


def read_row(row, data):
    model, phase = row.string("model"), row.string("phase")
    if phase not in data.phases:
        data.phases.append(phase)
    data.rows[(model, phase)] = {f: row.number(f, optional=True) for f in ROW_NUMBERS}


def read_model(entry, data):
    model = entry.string("model")
    if not model or "/" in model or "\\" in model or model in (".", ".."):
        entry.fail(f'model name "{model}" cannot name a folder')
    data.models.append(model)
    vis = entry.at("t_visibility")
    data.visibility[model] = {
        side: [read_bin(b) for b in vis.items(side)]
        for side in ("during_partition", "outside_partition")
    }
    data.cap[model] = read_cap(entry.at("cap"))
    data.convergence[model] = read_convergence(entry)
    data.checkers[model] = read_checkers(entry)


def read_checkers(entry):
    """Each checker's verdict and, where it has one, its violation rate:
    session guarantees per read checked, linearizability per key; other
    checkers count violations (no denominator: rate None)."""
    out = {}
    raw = entry.raw("checkers")
    if raw is None:
        return out
    for name in sorted(entry.at("checkers").value):
        c = entry.at("checkers").at(name)
        verdict = c.string("verdict")
        count = c.number("violation_count", optional=True)
        rate, of, unit = None, None, None
        if c.raw("reads_checked") is not None:
            of, unit = c.number("reads_checked"), "reads"
            rate = c.number("rate", optional=True)
            count = c.number("violating", optional=True) if c.raw("violating") is not None \
                else count
        elif c.raw("valid_keys") is not None:
            bad = c.number("invalid_keys")
            of = bad + c.number("valid_keys") + (c.number("unknown_keys", optional=True) or 0)
            unit, count = "keys", bad
            rate = bad / of if of else None
        out[name] = {"verdict": verdict, "rate": rate, "count": count, "of": of, "unit": unit}
    return out


def read_bin(b):
    return {
        "from_ms": b.number("from_ms"),
        "to_ms": b.number("to_ms", optional=True),
        "count": b.number("count"),
        "probability": b.number("probability", optional=True),
        "fresh": b.number("fresh", optional=True),
    }


def read_cap(cap):
    sides = []
    for p in cap.items("partitions"):
        fault = p.string("fault")
        for i, side in enumerate(p.items("sides")):
            nodes = [n.value for n in side.items("nodes")]
            sides.append(
                {
                    "fault": fault,
                    "side": i,
                    "nodes": [str(n) for n in nodes],
                    "availability": side.number("availability", optional=True),
                    "fresh_fraction": side.number("fresh_fraction", optional=True),
                    "reads_ok": side.number("reads_ok"),
                }
            )
    other = cap.raw("else")
    return {"sides": sides, "else": read_else(cap.at("else")) if other else None}


def read_else(e):
    reads, writes = e.at("read_latency_ms"), e.at("write_latency_ms")
    return {
        "read_p50": reads.number("p50", optional=True),
        "read_p99": reads.number("p99", optional=True),
        "write_p50": writes.number("p50", optional=True),
        "write_p99": writes.number("p99", optional=True),
        "reads_ok": e.number("reads_ok"),
        "stale_rate": e.number("stale_rate", optional=True),
    }


def read_convergence(entry):
    conv = entry.at("convergence")
    if not conv.boolean("available"):
        return None
    out = []
    for w in conv.items("after_faults"):
        out.append(
            {
                "event": w.string("event"),
                "fault": w.string("fault"),
                "node": w.raw("node"),
                "time_ms": w.number("time_ms"),
                "divergent_keys": w.number("divergent_keys"),
                "converged_ms": w.number("converged_ms", optional=True),
                "all_agree_ms": w.number("all_agree_ms", optional=True),
            }
        )
    return out


def read_report(outdir, model, data):
    path = os.path.join(outdir, model, "report.json")
    doc = Doc(load_json(path), path)
    if doc.raw("format") != "consim-report":
        doc.fail('expected "format": "consim-report"')
    for field, want in (("model", model), ("scenario", data.scenario)):
        if doc.string(field) != want:
            doc.fail(f'{field} is "{doc.string(field)}" but comparison.json says "{want}"')
    if doc.integer("seed") != data.seed:
        doc.fail(f"seed is {doc.integer('seed')} but comparison.json says {data.seed}")
    for phase in doc.items("phases"):
        times = (phase.number("start_ms"), phase.number("end_ms"))
        data.phase_times.setdefault(phase.string("name"), times)
