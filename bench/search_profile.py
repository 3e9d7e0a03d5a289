"""Where a missed target goes: cProfile of the production calls, and time per SQL statement.

On PostgreSQL most of a search is spent waiting for the server, which cProfile shows only
as `wait`; the statement table says which statement that was.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bench.search_queries import Query
from dossier import search
from dossier.extensions import db

PROFILE_LINES = 22
STATEMENT_LINES = 8


def profile_text(profile: cProfile.Profile, sort: str, lines: int = PROFILE_LINES) -> str:
    """pstats' table, paths shortened to file names, the header trimmed."""
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort).print_stats(lines)
    text = out.getvalue()
    start = text.find("   ncalls")
    return text[start:].rstrip() if start >= 0 else text.strip()


def statement_shape(statement: str) -> str:
    """The statement without its values, on one line, cut to a readable length."""
    flat = re.sub(r"\s+", " ", statement).strip()
    flat = re.sub(r"\((?:\s*(?:%\(\w+\)s|\?|\$\d+|:\w+)\s*,?)+\)", "(...)", flat)
    return flat if len(flat) <= 150 else flat[:147] + "..."


@contextmanager
def statement_times() -> Iterator[dict[str, list[float]]]:
    """Milliseconds per executed statement, grouped by its shape, while in the block."""
    times: dict[str, list[float]] = {}
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        took = (time.perf_counter() - started.pop()) * 1000 if started else 0.0
        times.setdefault(statement_shape(statement), []).append(took)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield times
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def statement_table(times: dict[str, list[float]], runs: int) -> str:
    """The statements that took longest in total, with their time per run (search/build)."""
    ranked = sorted(times.items(), key=lambda item: -sum(item[1]))[:STATEMENT_LINES]
    rows = [" total ms  per run ms   count  statement"]
    rows += [f"{sum(t):9.1f} {sum(t) / runs:11.2f} {len(t):7d}  {shape}" for shape, t in ranked]
    return "\n".join(rows)


BACKEND_FILES = ("search/backends/whoosh.py", "search/backends/postgres.py")
# (label, files the function is in, function): the parts of one search.
PHASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("whole search, `run_search()`", ("search/service.py",), "run_search"),
    ("backend: documents, counts and facets", BACKEND_FILES, "search_documents"),
    ("backend: snippets", BACKEND_FILES, "snippets"),
    ("backend: customers", BACKEND_FILES, "search_customers"),
    ("hits loaded from the database, with snippets", ("search/hits.py",), "load_hits"),
    ("visibility (scopes, policy rules)", ("search/service.py",), "visibility_for"),
    ("audit event", ("compliance/audit.py",), "record"),
)


def phase_table(profile: cProfile.Profile, runs: int) -> str:
    """Cumulative time per part of a search (under the profiler), per search and in %."""
    stats = pstats.Stats(profile).stats  # {(file, line, function): (.., cumulative, ..)}
    spent = {label: sum(row[3] for (path, _line, name), row in stats.items()
                        if name == function and path.endswith(files))
             for label, files, function in PHASES}
    whole = spent[PHASES[0][0]] or 1.0
    rows = [" per search ms   share  part"]
    rows += [f"{seconds * 1000 / runs:13.1f} {seconds / whole:6.0%}  {label}"
             for label, seconds in spent.items()]
    return "\n".join(rows)


def profiled(call: Callable[[], object], runs: int, sort: str,
             phases: bool = False) -> dict[str, str]:
    profiler = cProfile.Profile()
    with statement_times() as times:
        profiler.runcall(call)
    result = {"python": profile_text(profiler, sort), "sql": statement_table(times, runs)}
    if phases:
        result["phases"] = phase_table(profiler, runs)
    return result


def profile_build() -> dict[str, Any]:
    """A second full `rebuild()` under cProfile (this process only, not workers it starts)."""
    began = time.perf_counter()

    def rebuild() -> None:
        search.rebuild()
        db.session.commit()

    result = profiled(rebuild, 1, "tottime")
    return {"profile_seconds": time.perf_counter() - began, "profile": result}


def profile_queries(queries: list[Query], actor: Any, slowest_kind: str) -> dict[str, Any]:
    """The whole mix by own time, and the slowest kind by cumulative time."""
    profiles: dict[str, Any] = {}
    for label, chosen, sort in (
            ("mix", queries, "tottime"),
            (slowest_kind, [q for q in queries if q.kind == slowest_kind], "cumulative")):
        def run(chosen: list[Query] = chosen) -> None:
            for query in chosen:
                search.search(query.text, actor)
                db.session.commit()

        profiles[label] = profiled(run, len(chosen), sort, phases=True)
    return profiles
