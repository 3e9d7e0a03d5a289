"""The measured process of the search benchmark: build, queries, HTTP, all on production code.

Runs in a process of its own per backend (started by `bench.search`), so that its peak
RSS is the backend's: the index build through `dossier.search.rebuild()`, the query mix
through `dossier.search.search()` as the demo `sales` user (audit event included,
committed after each search as the page does), and `GET /search?q=...` through a real
gunicorn with a logged-in session.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from bench.search_data import corpus_facts
from bench.search_memory import (
    PeakSampler,
    directory_mb,
    gunicorn_rss_mb,
    peak_rss_mb,
    postgres_index_sizes,
    rss_mb,
)
from bench.search_profile import (
    profile_build,
    profile_queries,
    statement_table,
    statement_times,
)
from bench.search_queries import WARM_UP_SEED, Query, query_mix
from dossier import search
from dossier.auth.services import find_user
from dossier.customers.models import Customer
from dossier.demo.names import DEMO_PASSWORD
from dossier.extensions import db
from dossier.search.backends import index_directory
from tests.support.live_server import running_gunicorn


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95),
            "p99": percentile(samples, 0.99), "max": max(samples), "n": len(samples)}


def index_size(app: Flask, backend: str) -> dict[str, float]:
    if backend == "whoosh":
        return {"whoosh index directory": directory_mb(index_directory(app))}
    return postgres_index_sizes()


def build(app: Flask, backend: str) -> dict[str, Any]:
    """`search.rebuild()` timed, with peak RSS, CPU time and SQL time of the build."""
    before, cpu_before = rss_mb(), os.times()
    with PeakSampler() as sampler, statement_times() as statements:
        began = time.perf_counter()
        documents = search.rebuild()
        seconds = time.perf_counter() - began
    db.session.commit()
    cpu = os.times()
    own = cpu.user + cpu.system - cpu_before.user - cpu_before.system
    workers = (cpu.children_user + cpu.children_system - cpu_before.children_user
               - cpu_before.children_system)
    return {"documents": documents, "seconds": seconds, "rate": documents / seconds,
            "cpu_seconds": own + workers, "cpu_own": own, "cpu_workers": workers,
            "sql": statement_table(statements, 1), "rss_before_mb": before,
            "peak_tree_mb": sampler.peak_mb, "index_mb": index_size(app, backend)}


def _baseline(number: str) -> float:
    """A trivial indexed lookup: what this machine needs for one database round trip."""
    began = time.perf_counter()
    db.session.execute(select(Customer.id).where(Customer.number == number)).scalar()
    return (time.perf_counter() - began) * 1000


def _one_search(query: Query, actor: Any) -> tuple[float, float, float, Any]:
    """(wall ms, CPU ms of this process, commit ms, results) of one search."""
    began, began_cpu = time.perf_counter(), time.process_time()
    results = search.search(query.text, actor)
    searched, cpu = time.perf_counter(), time.process_time() - began_cpu
    db.session.commit()  # the audit event, as the search page commits it
    return ((searched - began) * 1000, cpu * 1000, (time.perf_counter() - searched) * 1000,
            results)


def run_queries(queries: list[Query], warm_up: list[Query], numbers: list[str]) -> dict[str, Any]:
    actor = find_user("sales")
    assert actor is not None, "the demo user sales is missing"
    for query in warm_up:
        _one_search(query, actor)
    times: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    commits, cpus, baseline, totals, leaks, empty = [], [], [], [], 0, 0
    for index, query in enumerate(queries):
        baseline.append(_baseline(numbers[index % len(numbers)]))
        took, cpu, commit, results = _one_search(query, actor)
        if results.notice:  # the figures would be those of a broken or missing index
            raise RuntimeError(f"{query.text!r}: the search says {results.notice!r}")
        cpus.append(cpu)
        times.setdefault(query.kind, []).append(took)
        hits.setdefault(query.kind, []).append(results.total)
        commits.append(commit)
        totals.append(results.total)
        empty += results.total == 0 and not results.customers
        leaks += sum("sales" not in hit.document.scopes for hit in results.hits)
    every = [t for kind_times in times.values() for t in kind_times]
    kinds = {kind: summary(took) | {"hits": statistics.median(hits[kind])}
             for kind, took in times.items()}
    return {"all": summary(every), "kinds": kinds, "cpu": summary(cpus),
            "commit_p50": statistics.median(commits), "baseline": summary(baseline),
            "out_of_scope_hits": leaks, "empty": empty,
            "total_median": statistics.median(totals), "peak_rss_mb": peak_rss_mb()}


# The page's notice that the index is unusable, in English and Dutch.
REBUILDING = (b"The search index is being rebuilt", b"De zoekindex wordt opnieuw opgebouwd")


class Browser:
    """A logged-in session against the live server, cookies kept, one request at a time."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def login(self, username: str, password: str) -> None:
        _status, form = self.get("/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', form)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode({"csrf_token": token.group(1).decode(),
                                       "username": username, "password": password}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as response:
            assert "/login" not in response.url, "the login failed"

    def timed(self, path: str) -> float:
        began = time.perf_counter()
        try:
            status, body = self.get(path)
        except urllib.error.HTTPError as error:
            raise PageError(f"GET {path}: {error.code} {error.reason}") from error
        took = (time.perf_counter() - began) * 1000
        if status != 200:
            raise PageError(f"GET {path}: {status}")
        if any(notice in body for notice in REBUILDING):
            raise PageError(f"GET {path}: the page says the index is being rebuilt")
        return took


class PageError(RuntimeError):
    """The live server answered a page with an error (its log says why)."""


def run_http(url: str, data_dir: Path, queries: list[Query],
             warm_up: list[Query]) -> dict[str, Any]:
    """GET /search?q=... through gunicorn, after logging in as sales; /search bare as baseline."""
    def path(query: Query) -> str:
        return "/search?" + urllib.parse.urlencode({"q": query.text})

    with running_gunicorn(url, data_dir) as base:
        browser = Browser(base)
        browser.login("sales", DEMO_PASSWORD)
        for query in warm_up:
            browser.timed(path(query))
        pages, baseline = [], []
        for query in queries:
            baseline.append(browser.timed("/search"))
            pages.append(browser.timed(path(query)))
        server_mb = gunicorn_rss_mb()
    return {"all": summary(pages), "baseline": summary(baseline), "gunicorn_rss_mb": server_mb}


def measure(app: Flask, config: dict[str, Any],
            progress: Callable[[str], None]) -> dict[str, Any]:
    """Everything for one backend; the app's database holds the loaded corpus."""
    backend, targets = config["backend"], config["targets"]
    result: dict[str, Any] = {}
    with app.app_context():
        progress("building the index")
        result["build"] = build(app, backend)
        if result["build"]["rate"] < targets["build"] and config["profile_build"]:
            progress("build target missed: profiling a second rebuild")
            result["build"] |= profile_build()
        facts = list(corpus_facts())
        queries = query_mix(config["queries"], facts)
        warm_up = query_mix(config["warm_up"], facts, WARM_UP_SEED)
        progress(f"running {len(queries)} queries after {len(warm_up)} to warm up")
        result["queries"] = run_queries(queries, warm_up, [fact.number for fact in facts])
        db.session.remove()
    if config["http"]:
        progress("GET /search through gunicorn")
        result |= measure_http(app, config, queries, warm_up, progress)
    http_p95 = result.get("http", {}).get("all", {}).get("p95", 0.0)
    missed = (result["queries"]["all"]["p95"] > targets["query"]
              or http_p95 > targets["http"] or "http_error" in result)
    if missed and config["profile"]:
        kinds = result["queries"]["kinds"]
        slowest = max(kinds, key=lambda kind: kinds[kind]["p95"])
        progress(f"a query or page target missed: profiling (slowest kind: {slowest})")
        with app.app_context():
            result["query_profiles"] = profile_queries(queries, find_user("sales"), slowest)
            db.session.remove()
    return result


def measure_http(app: Flask, config: dict[str, Any], queries: list[Query],
                 warm_up: list[Query], progress: Callable[[str], None]) -> dict[str, Any]:
    """{"http": figures}, or {"http_error": what failed and the end of gunicorn's log}."""
    os.environ["DOSSIER_SEARCH_BACKEND"] = config["backend"]
    os.environ["DOSSIER_SEARCH_INDEX"] = str(app.config["SEARCH_INDEX"])
    data_dir = Path(config["data_dir"])
    try:
        return {"http": run_http(config["url"], data_dir, queries, warm_up)}
    except PageError as error:  # keep the other figures; say what failed and why
        log = (data_dir / "gunicorn.log").read_text(errors="replace")
        progress(f"the search page failed: {error}")
        return {"http_error": f"{error}\n{log[-3000:]}"}
