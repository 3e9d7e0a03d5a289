"""The archive benchmark's section of BENCHMARKS.md: figures, targets, CPU shares, gaps."""

from __future__ import annotations

import os
import platform
from datetime import date
from typing import Any

TARGETS = {"p99": 50.0, "rate": 200.0, "picklist": 1000.0, "history": 50.0}


def missed(result: dict[str, Any], rate: float) -> bool:
    return bool(_gaps(result, rate))


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _triple(figures: dict[str, float]) -> str:
    return " / ".join(_ms(figures[key]) for key in ("p50", "p95", "p99")) + " ms"


def _load(values: list[float]) -> str:
    return " → ".join(f"{value:.2f}" for value in values[:2])


def _cpu(run: dict[str, Any]) -> str:
    cpu = run["cpu"]
    capacity = cpu["wall"] * cpu["cores"]
    database = (f", PostgreSQL serving it {100 * cpu['database'] / capacity:.0f} %"
                if cpu["database"] else "")
    return (f"machine {100 * cpu['machine_share']:.0f} % busy; of the {cpu['cores']} cores' "
            f"time: gunicorn {100 * cpu['server'] / capacity:.0f} %{database}, load generator "
            f"{100 * cpu['generator'] / capacity:.0f} %, everything else on the machine (other "
            f"work included) {100 * cpu['other'] / capacity:.0f} %")


def per_scan(run: dict[str, Any]) -> dict[str, float]:
    """CPU milliseconds per scan, and the scans/s two otherwise idle cores would allow
    for the server and database alone (the load generator would run elsewhere)."""
    cpu, scans = run["cpu"], max(1, run["scans"])
    server = 1000 * cpu["server"] / scans
    database = 1000 * cpu["database"] / scans
    generator = 1000 * cpu["generator"] / scans
    return {"server": server, "database": database, "generator": generator,
            "idle_rate": cpu["cores"] * 1000 / max(1e-9, server + database)}


def _per_scan_line(run: dict[str, Any]) -> str:
    figures = per_scan(run)
    database = (f" + PostgreSQL {figures['database']:.1f} ms" if figures["database"]
                else " (SQLite's work is in it)")
    return (f"CPU per scan (mode changes and their page reloads included): gunicorn "
            f"{figures['server']:.1f} ms{database}; load generator {figures['generator']:.1f} "
            f"ms. Two otherwise idle cores would serve about {figures['idle_rate']:.0f} scans/s "
            "at that cost.")


def _gaps(result: dict[str, Any], rate: float) -> list[str]:
    paced, capacity = result["paced"], result["capacity"]
    gaps = []
    if paced["latency"]["p99"] > TARGETS["p99"]:
        gaps.append(f"scan p99 {_ms(paced['latency']['p99'])} ms at {paced['rate']:.0f} "
                    f"scans/s against {TARGETS['p99']:.0f} ms")
    if max(capacity["rate"], paced["rate"]) < TARGETS["rate"] * 0.98:
        gaps.append(f"{capacity['rate']:.0f} scans/s at most against {TARGETS['rate']:.0f}")
    for key, label in (("desk", "pick list on screen"), ("pdf", "pick list PDF")):
        if result[key]["p95"] > TARGETS["picklist"]:
            gaps.append(f"{label} p95 {_ms(result[key]['p95'])} ms against 1 s")
    if result["history"]["p95"] > TARGETS["history"]:
        gaps.append(f"history page p95 {_ms(result['history']['p95'])} ms against "
                    f"{TARGETS['history']:.0f} ms")
    if result.get("consistency"):
        gaps.append("derived columns disagree with the movements: "
                    + "; ".join(result["consistency"]))
    return gaps


def _run_rows(result: dict[str, Any]) -> list[str]:
    capacity, paced = result["capacity"], result["paced"]
    rate_met = max(capacity["rate"], paced["rate"]) >= TARGETS["rate"] * 0.98
    return [
        f"| Scans/s, {capacity['clients']} clerks as fast as the answers come "
        f"| {capacity['rate']:.0f} ({capacity['scans']:,} in {capacity['seconds']:.0f} s); "
        f"latency {_triple(capacity['latency'])} | >= {TARGETS['rate']:.0f} scans/s "
        f"| {_verdict(rate_met)} |",
        f"| Scan latency paced at {paced['rate_target']:.0f} scans/s, p50 / p95 / p99 "
        f"| {_triple(paced['latency'])} (achieved {paced['rate']:.0f} scans/s, "
        f"{paced['scans']:,} scans; max {_ms(paced['latency']['max'])} ms) "
        f"| p99 <= {TARGETS['p99']:.0f} ms "
        f"| {_verdict(paced['latency']['p99'] <= TARGETS['p99'])} |",
        f"| Mode change (post + station page reload), p50 / p95 "
        f"| {_ms(paced['modes']['p50'])} / {_ms(paced['modes']['p95'])} ms "
        f"({paced['modes']['n']:.0f}) | | not a scan |",
    ]


def _page_rows(result: dict[str, Any]) -> list[str]:
    plan = result["plan"]
    rows = []
    for key, label, target in (
            ("desk", f"Pick list on screen, `GET /archive/requests` ({plan.pickable} to pick)",
             TARGETS["picklist"]),
            ("pdf", f"Pick list PDF, `GET /archive/requests/picklist.pdf` ({plan.pickable} "
                    "rows)", TARGETS["picklist"]),
            ("history", f"Full history, `GET /archive/items/{plan.history_item}` "
                        f"({plan.history_entries} movements)", TARGETS["history"]),
            ("typical", "An original with a short history (reference)", None)):
        figures = result[key]
        verdict = (f"| p95 <= {target:.0f} ms | {_verdict(figures['p95'] <= target)} |"
                   if target else "| | |")
        rows.append(f"| {label}, p50 / p95 | {_ms(figures['p50'])} / {_ms(figures['p95'])} ms "
                    f"(max {_ms(figures['max'])}; server and database CPU "
                    f"{_ms(figures.get('cpu_p50', 0.0))} ms; {figures['bytes'] / 1024:,.0f} KB) "
                    f"{verdict}")
    return rows


def _mix(run: dict[str, Any]) -> str:
    reasons = ", ".join(f"{reason or '?'} {count:,}" for reason, count in run["reasons"].items())
    return f"Scan outcomes in the paced run: {reasons}."


def machine(load_before: tuple[float, ...] | list[float]) -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"`{platform.machine()}`, {os.cpu_count()} cores, host `{platform.node()}`, "
            f"Python {platform.python_version()}, load average {load_before[0]:.2f} at the "
            f"start, {load} at the end")


def _profile(profile: dict[str, str]) -> list[str]:
    return ["", f"cProfile of {profile['scans']} scans of the same mix in process (Flask "
            f"test client, CSRF on; {profile['statements']} SQL statements per scan), by "
            "cumulative time:", "", "```", profile["python"], "```",
            "", "By own time:", "", "```", profile["own"], "```", "",
            "SQL statements by total time (per run = per scan):", "", "```", profile["sql"],
            "```"]


def markdown(result: dict[str, Any], command: str) -> str:
    plan = result["plan"]
    capacity, paced = result["capacity"], result["paced"]
    gaps = _gaps(result, paced["rate_target"])
    consistency = ("derived columns consistent with the movements before and after the "
                   "runs" if not result.get("consistency") else "**derived columns "
                   "inconsistent** after the runs")
    lines = [
        f"**{result['database']}**, {date.today().isoformat()}, {machine(result['load_before'])}.",
        "",
        f"Command: `{command}`. Archive: {plan.items:,} originals in {plan.boxes:,} boxes "
        f"({plan.locations:,} locations), {plan.movements:,} movements ({plan.box_movements:,}"
        f" of them of boxes), {plan.requests_open + plan.requests_closed:,} retrieval "
        f"requests ({plan.requests_open} open); loaded in {plan.seconds:.0f} s; "
        f"{consistency}. gunicorn with {result['workers']} sync workers; "
        f"{capacity['clients']} clerks logged in, each its own session.",
        "",
        "| Measure | Figure | Target | |",
        "|---|---|---|---|",
        *_run_rows(result),
        *_page_rows(result),
        "",
        f"CPU during the unpaced run: {_cpu(capacity)}. Load average "
        f"{_load(capacity['load'])}.",
        f"CPU during the paced run: {_cpu(paced)}. Load average {_load(paced['load'])}.",
        "",
        _per_scan_line(capacity),
        "",
        _mix(paced),
        "",
        "Latency by mode, paced: " + ", ".join(
            f"{mode} {_triple(figures)}" for mode, figures in paced["by_mode"].items()) + ".",
    ]
    if gaps:
        lines += ["", "**Gap**: " + "; ".join(gaps) + "."]
    if result.get("profile"):
        lines += _profile(result["profile"])
    return "\n".join(lines).rstrip()
