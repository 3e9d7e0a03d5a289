"""The archive benchmark's load generator: clerks scanning at the real scan station.

Each client is one clerk's browser: it logs in (CSRF token from the login form), opens
`/archive/scan` and posts every scan to it the way `static/js/archive.js` does
(multipart form with the page's CSRF token and the code, `Accept: application/json`);
a mode change is the page's own form post, answered with a redirect to the page, which
is loaded as a browser would. Clients run in threads of this process, each with its
own cookies, and work in stretches, as clerks do: a cart of returns checked in (5-20
originals), a few colleagues served at the counter (badge, then 1-4 originals each),
or originals moved into another box (box label, then 2-8 originals). A scanner now and
then misreads a code (wrong check character) or reads one twice within a second.

Every client owns a share of the originals (by id) and of the boxes it fills, so its
scans are valid for the archive as it stands; the originals asked for on the pick list
and the one with the long history are left alone.

Paced: every client sends its next scan at its own fixed interval (rate / clients per
second) or as soon as the previous one is answered, whichever is later; a scan's
latency counts from the moment it was due, so a server that falls behind shows it
(no coordinated omission). Unpaced (rate 0): as fast as the answers come.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from typing import Any

from dossier import barcodes

CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
MISREAD = 0.01
DOUBLE_READ = 0.02
BOX_MARGIN = 4  # room left in a box for originals coming home while a client fills it
CAPACITY = 40


class ScanFailed(RuntimeError):
    """The server answered a scan with something other than the station's JSON."""


@dataclass
class Sample:
    kind: str  # scan, mode
    mode: str
    latency_ms: float  # from when it was due (paced) or sent
    service_ms: float  # from when it was sent
    reason: str
    level: str
    started: float


@dataclass
class Shared:
    """What all clients know: fill per box, guarded by a lock."""

    fill: dict[int, int]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, box: int, count: int) -> None:
        with self.lock:
            self.fill[box] = self.fill.get(box, 0) + count

    def room(self, box: int) -> int:
        with self.lock:
            return CAPACITY - BOX_MARGIN - self.fill.get(box, 0)


@dataclass
class Pool:
    """One client's originals: in the archive (item -> box it lies in), out (item ->
    home box), and the boxes it may fill."""

    inside: dict[int, int]
    out: dict[int, int]
    homes: dict[int, int]
    boxes: list[int]
    borrowers: list[int]


def partition(plan: Any, clients: int) -> list[Pool]:
    pools = [Pool({}, {}, {}, [], plan.borrower_ids) for _ in range(clients)]
    for item, (box, status) in plan.state.items():
        if item in plan.requested or item == plan.history_item:
            continue
        pool = pools[item % clients]
        if status == "in":
            pool.inside[item] = box
            pool.homes[item] = box
        elif status == "out":
            pool.out[item] = box
            pool.homes[item] = box
    for index, box in enumerate(sorted(plan.box_fill)):
        pools[index % clients].boxes.append(box)
    return pools


class Browser:
    """One clerk's browser: cookies, the station's CSRF token, its current mode."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()))
        self.token = ""
        self.mode = "checkin"

    def open(self, path: str, data: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), path

    def login(self, username: str, password: str) -> None:
        _status, page, _url = self.open("/login")
        token = CSRF.search(page)
        assert token, "no CSRF token on the login page"
        form = urllib.parse.urlencode({"csrf_token": token.group(1).decode(),
                                       "username": username, "password": password})
        status, _page, url = self.open("/login", form.encode())
        if status != 200 or "/login" in url:
            raise ScanFailed(f"{username} could not log in ({status})")
        self.station()

    def station(self) -> None:
        status, page, _url = self.open("/archive/scan")
        token = CSRF.search(page)
        if status != 200 or not token:
            raise ScanFailed(f"GET /archive/scan: {status}")
        self.token = token.group(1).decode()

    def switch(self, mode: str) -> None:
        """The mode form: a post answered by a redirect to the station page."""
        form = urllib.parse.urlencode({"csrf_token": self.token, "mode": mode}).encode()
        status, page, _url = self.open("/archive/scan/mode", form)
        if status != 200 or b"data-scan-form" not in page:
            raise ScanFailed(f"POST /archive/scan/mode {mode}: {status}")
        self.mode = mode

    def scan(self, code: str) -> dict[str, Any]:
        boundary = uuid.uuid4().hex
        body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                       f"{value}\r\n" for name, value in (("csrf_token", self.token),
                                                          ("code", code)))
        body += f"--{boundary}--\r\n"
        status, answer, _url = self.open("/archive/scan", body.encode(), {
            "Accept": "application/json",
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != 200:
            raise ScanFailed(f"POST /archive/scan {code}: {status} {answer[:300]!r}")
        try:
            result: dict[str, Any] = json.loads(answer)
        except ValueError:
            raise ScanFailed(f"POST /archive/scan {code}: no JSON: {answer[:300]!r}") from None
        return result


class Clerk:
    """One client thread: stretches of work until `stop` is set."""

    def __init__(self, number: int, browser: Browser, pool: Pool, shared: Shared,
                 interval: float, seed: int) -> None:
        self.number, self.browser, self.pool, self.shared = number, browser, pool, shared
        self.interval = interval
        self.rng = random.Random(seed)
        self.samples: list[Sample] = []
        self.recording = False
        self.due = time.perf_counter()
        self.error: str | None = None

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                self._stretch(stop)
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
            stop.set()

    def _stretch(self, stop: threading.Event) -> None:
        choice = self.rng.random()
        if choice < 0.35 and len(self.pool.out) >= 5:
            self._check_in(stop)
        elif choice < 0.7 and self.pool.inside:
            self._check_out(stop)
        else:
            self._move(stop)

    def _check_in(self, stop: threading.Event) -> None:
        self._mode("checkin")
        for item in self.rng.sample(sorted(self.pool.out), min(len(self.pool.out),
                                                                self.rng.randint(5, 20))):
            if stop.is_set():
                return
            home = self.pool.out.pop(item)
            self.shared.add(home, 1)
            self.pool.inside[item] = home
            self._scan(barcodes.make_item(item))

    def _check_out(self, stop: threading.Event) -> None:
        self._mode("checkout")
        for _colleague in range(self.rng.randint(2, 5)):
            self._scan(barcodes.make_badge(self.rng.choice(self.pool.borrowers)))
            for _item in range(self.rng.randint(1, 4)):
                if stop.is_set() or not self.pool.inside:
                    return
                item = self.rng.choice(list(self.pool.inside))
                box = self.pool.inside.pop(item)
                self.shared.add(box, -1)
                self.pool.out[item] = self.pool.homes[item]
                self._scan(barcodes.make_item(item))

    def _move(self, stop: threading.Event) -> None:
        self._mode("move")
        for _destination in range(self.rng.randint(1, 3)):
            box = self.rng.choice(self.pool.boxes)
            count = min(self.rng.randint(2, 8), self.shared.room(box))
            if count <= 0:
                continue
            self._scan(barcodes.make_location(box))
            for item in self.rng.sample(sorted(self.pool.inside), min(
                    count, len(self.pool.inside))):
                if stop.is_set():
                    return
                before = self.pool.inside[item]
                if before == box:
                    continue
                self.shared.add(before, -1)
                self.shared.add(box, 1)
                self.pool.inside[item] = box
                self._scan(barcodes.make_item(item))

    def _mode(self, mode: str) -> None:
        if self.browser.mode != mode:
            self._timed("mode", mode, lambda: self._switch(mode))

    def _switch(self, mode: str) -> dict[str, Any]:
        self.browser.switch(mode)
        return {}

    def _scan(self, code: str) -> None:
        if self.rng.random() < MISREAD:
            wrong = "0" if code[-1] != "0" else "1"
            self._timed("scan", self.browser.mode, lambda: self.browser.scan(code[:-1] + wrong))
        self._timed("scan", self.browser.mode, lambda: self.browser.scan(code))
        if self.rng.random() < DOUBLE_READ:  # the same label read again at once
            self._timed("scan", self.browser.mode, lambda: self.browser.scan(code), paced=False)

    def _timed(self, kind: str, mode: str, call: Callable[[], dict[str, Any] | None],
               paced: bool = True) -> None:
        if paced and self.interval:
            wait = self.due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        sent = time.perf_counter()
        due = self.due if paced and self.interval else sent
        answer = call() or {}
        done = time.perf_counter()
        if paced and self.interval:
            self.due = max(self.due + self.interval, done - 5 * self.interval)
        if self.recording:
            self.samples.append(Sample(kind, mode, (done - due) * 1000, (done - sent) * 1000,
                                       str(answer.get("reason", "")),
                                       str(answer.get("level", "")), sent))


def run_clients(clerks: list[Clerk], seconds: float) -> float:
    """Run every clerk for `seconds` (recording all the while); returns the wall time."""
    stop = threading.Event()
    for clerk in clerks:
        clerk.samples, clerk.recording = [], True
        clerk.due = time.perf_counter() + clerk.rng.uniform(0, clerk.interval or 0)
    threads = [threading.Thread(target=clerk.run, args=(stop,), daemon=True)
               for clerk in clerks]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - began
    for clerk in clerks:
        clerk.recording = False
    errors = [clerk.error for clerk in clerks if clerk.error]
    if errors:
        raise ScanFailed(errors[0])
    return elapsed


def make_clerks(base: str, plan: Any, clients: int, password: str, seed: int) -> list[Clerk]:
    shared = Shared(dict(plan.box_fill))
    clerks = []
    for number, pool in enumerate(partition(plan, clients)):
        browser = Browser(base)
        browser.login(plan.clerks[number % len(plan.clerks)], password)
        clerks.append(Clerk(number, browser, pool, shared, 0.0, seed + number))
    return clerks
