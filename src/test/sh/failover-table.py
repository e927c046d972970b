#!/usr/bin/env python3
"""Prints each run's failover stages next to their predicted windows, from the runs' metrics.json,
and the spread (max - min) of failover_time.probe and failover_time.client.
    src/test/sh/failover-table.py target/pgcert-runs/primary-crash-async-*"""
import json, sys

STAGES = ["fault_returned", "leader_key_gone", "leader_key_acquired", "promoted", "router_up",
          "pooler_connected", "probe_wrote", "client_wrote"]

def fmt(v):
    return "unknown" if v is None else f"{v:.2f}"

rows, probe, client = [], [], []
import os
for run in [r for r in sys.argv[1:] if os.path.exists(r.rstrip("/") + "/metrics.json")]:
    d = json.load(open(run.rstrip("/") + "/metrics.json"))
    m = {}
    for c in d["checks"]:
        m.update({k: v for k, v in c.get("metrics", {}).items() if k not in m})
    stages, predicted = m.get("stages", {}), m.get("predicted", {})
    cells = []
    for s in STAGES:
        w = predicted.get(s)
        cells.append(fmt(stages.get(s)) + (f" [{w['earliest']:.1f}, {w['latest']:.1f}]" if w else ""))
    p, c = m.get("probe"), m.get("client")
    if p is not None: probe.append(p)
    if c is not None: client.append(c)
    rows.append("| " + run.rstrip("/").split("/")[-1] + " | " + " | ".join(cells) + f" | {fmt(p)} | {fmt(c)} | "
                + ("pass" if d["passed"] else "FAIL") + f" | {m.get('stages_outside_window', '?')} |")
print("| run | " + " | ".join(STAGES) + " | failover_time.probe | failover_time.client | verdict | outside window |")
print("|---" * (len(STAGES) + 5) + "|")
print("\n".join(rows))
for name, xs in (("failover_time.probe", probe), ("failover_time.client", client)):
    if xs:
        print(f"{name}: {len(xs)} runs, min {min(xs):.2f} s, max {max(xs):.2f} s, spread {max(xs) - min(xs):.2f} s")
