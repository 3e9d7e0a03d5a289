"""The OCR pool: pages in parallel, results in page order, progress in the caller's thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PIL import Image

from dossier.ingest import ocr_pool
from dossier.ingest.errors import OcrFailed
from dossier.ingest.ocr import PageText
from dossier.ingest.ocr_pool import OcrPool
from tests.ingest import ocr_samples as samples


@pytest.fixture
def pool() -> Iterator[OcrPool]:
    with OcrPool(2) as pool:
        yield pool


def _numbered(count: int) -> list[Image.Image]:
    """Blank pages that say their number in their width (for the stand-in OCR below)."""
    return [Image.new("L", (number, 1)) for number in range(1, count + 1)]


class SlowReader:
    """Stands in for Tesseract where the test is about scheduling: takes time, counts."""

    def __init__(self, seconds: float = 0.05, fail_on: int | None = None) -> None:
        self.seconds, self.fail_on = seconds, fail_on
        self.running = self.most_at_once = 0
        self.started: list[int] = []
        self.lock = threading.Lock()

    def __call__(self, image: Image.Image, languages: str, timeout: float) -> PageText:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.started.append(image.width)
        time.sleep(self.seconds * (1 + (image.width % 3)))  # pages finish out of order
        with self.lock:
            self.running -= 1
        if image.width == self.fail_on:
            raise OcrFailed(error="tesseract crashed")
        return PageText(text=f"page {image.width}")


def test_real_pages_come_back_in_order(pool: OcrPool) -> None:
    pages = [samples.strip(["Eerste bladzijde"]), samples.strip(["Tweede bladzijde"]),
             samples.strip(["Derde bladzijde"])]
    texts = [page.text for page in pool.read_pages(pages, "nld+eng", 30)]
    assert texts == ["Eerste bladzijde", "Tweede bladzijde", "Derde bladzijde"]


def test_pages_run_in_parallel_and_come_back_in_order(
        pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = SlowReader()
    monkeypatch.setattr(ocr_pool, "ocr_page", reader)
    texts = [page.text for page in pool.read_pages(_numbered(6), "nld+eng", 30)]
    assert texts == [f"page {number}" for number in range(1, 7)]
    assert reader.most_at_once == 2


def test_progress_is_reported_in_the_calling_thread(
        pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_pool, "ocr_page", SlowReader(0.01))
    calls: list[tuple[int, int, int]] = []
    list(pool.read_pages(_numbered(4), "nld+eng", 30, total=4,
                         progress=lambda done, total: calls.append(
                             (done, total, threading.get_ident()))))
    assert [(done, total) for done, total, _ in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert {thread for _, _, thread in calls} == {threading.get_ident()}


def test_pages_are_taken_a_few_ahead_not_all_at_once(
        pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_pool, "ocr_page", SlowReader(0.01))
    taken: list[int] = []

    def pages() -> Iterator[Image.Image]:
        for image in _numbered(20):
            taken.append(image.width)
            yield image

    results = pool.read_pages(pages(), "nld+eng", 30)
    next(results)
    assert len(taken) == 2 * ocr_pool.PAGES_AHEAD_PER_PROCESS
    results.close()


def test_failed_page_is_named_and_the_rest_is_not_read(
        pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = SlowReader(0.02, fail_on=2)
    monkeypatch.setattr(ocr_pool, "ocr_page", reader)
    with pytest.raises(OcrFailed) as raised:
        list(pool.read_pages(_numbered(12), "nld+eng", 30))
    assert raised.value.details == {"error": "tesseract crashed", "page": 2}
    time.sleep(0.2)  # pages already running finish; queued ones were cancelled
    assert len(reader.started) < 12


def test_two_files_at_once_share_the_processes(
        pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = SlowReader(0.02)
    monkeypatch.setattr(ocr_pool, "ocr_page", reader)
    results: dict[str, list[str]] = {}

    def read(name: str) -> None:
        results[name] = [page.text for page in pool.read_pages(_numbered(5), "eng", 30)]

    threads = [threading.Thread(target=read, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [f"page {number}" for number in range(1, 6)]
    assert results == {"a": expected, "b": expected}
    assert reader.most_at_once == 2  # never more Tesseracts than the pool's size


def test_size_comes_from_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    with OcrPool.from_config({"OCR_PROCESSES": 3}) as pool:
        assert pool.processes == 3
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    with OcrPool.from_config({}) as pool:
        assert pool.processes == 4
