#!/usr/bin/env python3
"""Turns kiosk-bench --json output (one <suite>.jsonl per suite in OUT) into one markdown table:
figure, value, same-run baseline, ratio, goal, met. Goals live here, one line each, with the
issue that set them; docs/PERFORMANCE.md explains every figure.
Usage: bench-table.py OUT [--write-doc docs/PERFORMANCE.md]"""

import json
import math
import pathlib
import re
import sys

# (suite, metric regex, what the goal applies to: "value" or "ratio", operator, threshold, source)
GOALS = [
    ("store", r"tap_to_durable_p50_us", "ratio", "<=", 1.5, "issue 2"),
    ("store", r"tap_to_durable_p99_us", "value", "<=", 3000, "issue 2"),
    ("frame", r"frame_cpu_rate_us", "value", "<=", 50, "issue 3"),
    ("frame", r"idle_cpu_rate_percent", "value", "<=", 0.5, "issue 3"),
    ("frame", r"kiosk_own_rss_beyond_bare_window_mib", "value", "<=", 40, "issue 19"),
    ("frame", r"kiosk_rss_growth_last_90pct_customers_mib", "value", "<=", 2, "issue 19"),
    ("ingest", r"sqlite_e2e_unique_rows_per_s", "ratio", ">=", 0.6, "issue 5"),
    ("ingest", r"postgres_e2e_unique_rows_per_s", "ratio", ">=", 0.7, "issue 5"),
    ("ingest", r".*_backlog_drain_30000_ms", "value", "<=", 2000, "issue 5"),
    ("ingest", r"postgres_e2e_8_kiosks_rows_per_s", "ratio", ">=", 1.5, "issue 21"),
    ("ingest", r".*_mixed_.*_p99_ms", "value", "<=", 250, "issue 13"),
    ("dashboard", r"period_switch_1m_(today|7d|30d)_ms", "value", "<=", 5, "issue 6"),
    ("dashboard", r"dashboard_frame.*_us", "value", "<=", 1000, "issue 6"),
    ("dashboard", r"dashboard_frame.*_ms", "value", "<=", 1, "issue 6"),
    ("dashboard", r"manager_frame_cpu.*_us", "value", "<=", 1000, "issue 6"),
    ("reports", r".*_p99_ms", "value", "<=", 50, "issue 9"),
    # issue 13 (the fleet's served/p99 goals need group commit as well as the HTTP layer)
    ("fleet", r"(pg_)?n5000_p99_ms", "value", "<=", 250, "issue 13"),
    ("fleet", r"(pg_)?n(100|1000|5000)_timeouts", "value", "<=", 0, "issue 13"),
    ("fleet", r"(pg_)?n(100|1000|5000)_busy_503", "value", "<=", 0, "issue 13"),
    ("fleet", r"(pg_)?(slow200|bomb)_(healthz|batch)_ms", "value", "<=", 1000, "issue 13"),
    ("fleet", r"(pg_)?(slow200|bomb)_rss_growth_mib", "value", "<=", 64, "issue 13"),
    ("fleet", r"(pg_)?desync_next_request_misparsed", "value", "<=", 0, "issue 13"),
    ("fleet", r"(pg_)?n(100|1000|5000)_sigterm_stop_ms", "value", "<=", 2000, "issue 13"),
]


def fmt(x):
    if x is None:
        return ""
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return "n/a"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def goal_for(suite, metric):
    for g_suite, pattern, kind, op, threshold, source in GOALS:
        if g_suite == suite and re.fullmatch(pattern, metric):
            return kind, op, threshold, source
    return None


def build(out):
    out = pathlib.Path(out)
    machine = {}
    for line in (out / "machine.txt").read_text().splitlines():
        key, _, value = line.partition("=")
        machine[key] = value
    rows = []
    order = [line.split("=", 1)[0][5:] for line in (out / "machine.txt").read_text().splitlines()
             if line.startswith("load_") and line not in ("load_before", "load_after")]
    suites = [s for s in order if s not in ("before", "after")]
    for suite in suites:
        path = out / f"{suite}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            f = json.loads(line)
            value = f.get("value")
            goal = goal_for(f["bench"], f["metric"])
            goal_text, met = "", ""
            if goal:
                kind, op, threshold, source = goal
                subject = f.get("ratio") if kind == "ratio" else value
                unit = "" if kind == "ratio" else " " + f.get("unit", "")
                goal_text = f"{'ratio ' if kind == 'ratio' else ''}{op} {fmt(threshold)}{unit} ({source})"
                if subject is None:
                    met = "no figure"
                else:
                    ok = subject <= threshold if op == "<=" else subject >= threshold
                    met = "met" if ok else "NOT MET"
            baseline = ""
            if f.get("baseline_metric"):
                baseline = f"{fmt(f.get('baseline'))} ({f['baseline_metric']})"
            rows.append((f"{f['bench']}: {f['metric']}", f"{fmt(value)} {f.get('unit', '')}".strip(), baseline,
                         fmt(f.get("ratio")), goal_text, met))
    lines = [
        f"Run {machine.get('date', '?')} at commit {machine.get('commit', '?')} on {machine.get('nproc', '?')} cores "
        f"({machine.get('cpu', '?')}); load average before {machine.get('load_before', '?')}, "
        f"after {machine.get('load_after', '?')}" + (" (--quick inputs)" if machine.get("quick") == "1" else "") + ".",
        "Load at each suite's start: " + ", ".join(f"{s} {machine.get('load_' + s, '?').split()[0]}" for s in suites) + ".",
        "",
        "| figure | value | same-run baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append("| " + " | ".join(r) + " |")
    met = sum(1 for r in rows if r[5] == "met")
    missed = sum(1 for r in rows if r[5] == "NOT MET")
    lines.append("")
    lines.append(f"{len(rows)} figures, {met + missed} with goals: {met} met, {missed} not met.")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    table = build(sys.argv[1])
    if len(sys.argv) >= 4 and sys.argv[2] == "--write-doc":
        doc = pathlib.Path(sys.argv[3])
        text = doc.read_text()
        begin, end = "<!-- bench-table:begin -->", "<!-- bench-table:end -->"
        if begin not in text or end not in text:
            print(f"{doc}: markers {begin} / {end} not found", file=sys.stderr)
            return 1
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        doc.write_text(head + begin + "\n" + table + end + tail)
        return 0
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
