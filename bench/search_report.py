"""The search benchmark's section of BENCHMARKS.md: figures, targets, gaps and profiles."""

from __future__ import annotations

import os
import platform
from datetime import date
from typing import Any

BACKEND_NAMES = {"whoosh": "Whoosh", "postgres": "PostgreSQL full-text search"}


def targets(backend: str, documents: int) -> dict[str, float]:
    """docs/DESIGN.md, settled point 5: Whoosh gets 200 ms at 100,000, 100 ms at 20,000."""
    if backend == "postgres":
        return {"build": 1000, "query": 50, "http": 150}
    return {"build": 400, "query": 100 if documents <= 20_000 else 200, "http": 150}


def machine(load_before: float | None = None) -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    start = f"{load_before:.2f} at the start, " if load_before is not None else ""
    return (f"`{platform.machine()}`, {os.cpu_count()} cores, host `{platform.node()}`, "
            f"Python {platform.python_version()}, load average {start}{load} at the end")


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _triple(figures: dict[str, float]) -> str:
    return " / ".join(_ms(figures[key]) for key in ("p50", "p95", "p99")) + " ms"


def _figure_rows(result: dict[str, Any], aim: dict[str, float]) -> list[str]:
    build, queries = result["build"], result["queries"]
    rows = [
        f"| Index build, `search.rebuild()` | {build['rate']:,.0f} docs/s "
        f"({build['documents']:,} in {build['seconds']:.1f} s; CPU {build['cpu_seconds']:.0f} s "
        "in this process and its workers) "
        f"| >= {aim['build']:,.0f} docs/s "
        f"| {_verdict(build['rate'] >= aim['build'])} |",
        f"| Query p50 / p95 / p99, `search.search()` as `sales` | {_triple(queries['all'])} "
        f"| p95 <= {aim['query']:.0f} ms | {_verdict(queries['all']['p95'] <= aim['query'])} |",
        f"| CPU time of this process per query, p50 / p95 / p99 | {_triple(queries['cpu'])} "
        "| | the database server's time is not in it |",
    ]
    http = result.get("http")
    if http:
        rows.append(f"| HTTP `GET /search?q=...` p50 / p95 / p99 (gunicorn, 1 worker) "
                    f"| {_triple(http['all'])} | p95 <= {aim['http']:.0f} ms "
                    f"| {_verdict(http['all']['p95'] <= aim['http'])} |")
    elif result.get("http_error"):
        first = result["http_error"].splitlines()[0]
        rows.append(f"| HTTP `GET /search?q=...` (gunicorn, 1 worker) | failed: `{first}` "
                    f"| p95 <= {aim['http']:.0f} ms | **missed** |")
    leaks = queries["out_of_scope_hits"]
    rows += [
        f"| Hits outside the `sales` scope | {leaks} | 0 | {_verdict(leaks == 0)} |",
        f"| Noise reference: indexed SQL lookup, same process | {_triple(queries['baseline'])}"
        f" | | query p50 = {queries['all']['p50'] / queries['baseline']['p50']:.0f}x it |",
        f"| Audit event commit after each search, p50 | {_ms(queries['commit_p50'])} ms | | |",
    ]
    if http:
        overhead = http["all"]["p50"] - queries["all"]["p50"]
        rows.append(f"| HTTP baseline: `GET /search` without a query | "
                    f"{_triple(http['baseline'])} | | page - search() p50: "
                    f"{_ms(overhead)} ms |")
    return rows


def _memory_rows(result: dict[str, Any]) -> list[str]:
    build, queries = result["build"], result["queries"]
    rows = [f"| Peak RSS during the build (process and children) | "
            f"{build['peak_tree_mb']:,.0f} MB (before: {build['rss_before_mb']:,.0f} MB) | | |",
            f"| Peak RSS of the process after the queries | {queries['peak_rss_mb']:,.0f} MB "
            "| | |"]
    if result.get("http"):
        rows.append(f"| gunicorn (master + worker) RSS after the HTTP run | "
                    f"{result['http']['gunicorn_rss_mb']:,.0f} MB | | |")
    sizes = ", ".join(f"{name} {size:,.1f} MB" for name, size in build["index_mb"].items())
    rows.append(f"| Index on disk | {sizes} | | |")
    return rows


def _kind_table(queries: dict[str, Any]) -> list[str]:
    lines = ["| Query kind | n | p50 ms | p95 ms | max ms | median hits |",
             "|---|---:|---:|---:|---:|---:|"]
    for kind, figures in sorted(queries["kinds"].items(), key=lambda item: item[1]["p95"]):
        lines.append(f"| {kind} | {figures['n']:.0f} | {_ms(figures['p50'])} "
                     f"| {_ms(figures['p95'])} | {_ms(figures['max'])} "
                     f"| {figures.get('hits', 0):,.0f} |")
    return lines


def _profile_block(heading: str, profile: dict[str, str]) -> list[str]:
    phases = (["Where the time goes (cumulative, under the profiler):", "", "```",
               profile["phases"], "```", ""] if "phases" in profile else [])
    return [*phases, f"{heading}:", "", "```", profile["python"], "```", "",
            "SQL statements by total time (per run: per search, or for the whole build):", "",
            "```", profile["sql"], "```", ""]


def _gaps(result: dict[str, Any], aim: dict[str, float]) -> list[str]:
    build, queries, http = result["build"], result["queries"], result.get("http")
    lines: list[str] = []
    if build["rate"] < aim["build"]:
        lines += ["", f"**Gap, build**: {build['rate']:,.0f} docs/s against "
                  f"{aim['build']:,.0f} ({build['rate'] / aim['build']:.2f}x of the target).", ""]
        lines += [f"CPU time of the build: {build['cpu_own']:.0f} s in the process that runs "
                  f"`rebuild()`, {build['cpu_workers']:.0f} s in worker processes it started, "
                  f"over {build['seconds']:.0f} s on {os.cpu_count()} cores. SQL statements of "
                  "the build by total time:", "", "```", build["sql"], "```", ""]
        if "profile" in build:
            lines += _profile_block(
                f"cProfile of a second `rebuild()` ({build['profile_seconds']:.0f} s under the "
                "profiler; this process only, not processes it starts), by own time",
                build["profile"])
    p95 = queries["all"]["p95"]
    kinds = queries["kinds"]
    worst = sorted(kinds, key=lambda kind: -kinds[kind]["p95"])[:3]
    slowest = ", ".join(f"{kind} (p95 {_ms(kinds[kind]['p95'])} ms)" for kind in worst)
    if p95 > aim["query"]:
        lines += ["", f"**Gap, queries**: p95 {_ms(p95)} ms against {aim['query']:.0f} ms "
                  f"(+{_ms(p95 - aim['query'])} ms); slowest kinds: {slowest}."]
    if result.get("http_error"):
        lines += ["", "**HTTP failed**: the search page answered with an error; the end of "
                  "gunicorn's log:", "", "```", result["http_error"][-2500:], "```"]
    if http and http["all"]["p95"] > aim["http"]:
        lines += ["", f"**Gap, HTTP**: p95 {_ms(http['all']['p95'])} ms against "
                  f"{aim['http']:.0f} ms (+{_ms(http['all']['p95'] - aim['http'])} ms); the "
                  "page's own share (page p50 - search() p50) is "
                  f"{_ms(http['all']['p50'] - queries['all']['p50'])} ms, the rest is the "
                  f"search: slowest kinds in process {slowest}."]
    for label, profile in result.get("query_profiles", {}).items():
        lines += ["", *_profile_block(
            "cProfile of the whole mix, by own time" if label == "mix"
            else f"cProfile of the {label} queries, by cumulative time", profile)]
    return lines


def markdown(result: dict[str, Any], command: str) -> str:
    backend, documents = result["backend"], result["documents"]
    aim = targets(backend, documents)
    load = result["load"]
    lines = [
        f"**{BACKEND_NAMES[backend]}** ({result['engine']}) on {result['database']}, "
        f"{documents:,} documents, {date.today().isoformat()}, "
        f"{machine(result.get('load_before'))}.",
        "",
        f"Command: `{command}`. Corpus: {documents:,} documents ({load['files']:,} with OCR "
        f"text, {load['paper_only']:,} paper only) over {load['customers']:,} customers, "
        f"loaded in {load['seconds']:.0f} s ({documents / load['seconds']:,.0f} docs/s); "
        f"{result['queries']['all']['n']:.0f} timed queries after "
        f"{result['warm_up']} to warm up; median total hits per query "
        f"{result['queries']['total_median']:,.0f}, queries finding nothing "
        f"{result['queries']['empty']}.",
        "",
        "| Measure | Figure | Target | |",
        "|---|---|---|---|",
        *_figure_rows(result, aim),
        *_memory_rows(result),
        "",
        *_kind_table(result["queries"]),
        *_gaps(result, aim),
    ]
    return "\n".join(lines).rstrip()
