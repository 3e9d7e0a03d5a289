"""One pool of Tesseract processes that reads the pages of every file a worker handles.

The pool runs at most `processes` Tesseract processes at once (one OpenMP thread each),
fed by as many Python threads that only start a process and wait for it. Threads rather
than Python worker processes, because the OCR already happens in a separate process:
page images need no pickling, a worker costs no second Python interpreter in memory,
and a Tesseract killed or stuck is one failed page, not a broken pool. Pages of one file
and of several files (several calls at once, from different threads) share the pool in
the order they were submitted.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

from PIL import Image

from dossier.ingest.errors import IngestError
from dossier.ingest.ocr import PageText, ocr_page
from dossier.ingest.scan_pages import ScanPage

# Pages of one file queued or running at once, per process: enough to keep every
# process busy while the next page is rendered, few enough to bound memory (a grey A4
# page at 300 dpi is 9 MB).
PAGES_AHEAD_PER_PROCESS = 2

Progress = Callable[[int, int], None]


class OcrPool:
    """Reads page images with Tesseract, `processes` at a time."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = max(1, processes or os.cpu_count() or 1)
        self._executor = ThreadPoolExecutor(max_workers=self.processes,
                                            thread_name_prefix="dossier-ocr")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OcrPool:
        return cls(int(config.get("OCR_PROCESSES") or 0) or None)

    def submit(self, page: Image.Image | ScanPage, languages: str,
               timeout: float) -> Future[PageText]:
        """Queue one page; the future holds its PageText or raises an IngestError."""
        if isinstance(page, ScanPage):
            return self._executor.submit(ocr_page, page.image, languages, timeout, page.jpeg)
        return self._executor.submit(ocr_page, page, languages, timeout)

    def read_pages(self, pages: Iterable[Image.Image | ScanPage], languages: str,
                   timeout: float, total: int | None = None,
                   progress: Progress | None = None) -> Iterator[PageText]:
        """The pages' texts in page order, read in parallel.

        `pages` is consumed lazily, a few pages ahead of the slowest page. `progress`
        is called as (pages done, total) in the calling thread, so it may use that
        thread's database session. An error on a page cancels the pages still queued
        and is raised as that error, saying the page number.
        """
        window = self.processes * PAGES_AHEAD_PER_PROCESS
        pending: deque[Future[PageText]] = deque()
        done = 0
        try:
            for page in pages:
                pending.append(self.submit(page, languages, timeout))
                if len(pending) >= window:
                    done += 1
                    yield self._result(pending.popleft(), done, total, progress)
            while pending:
                done += 1
                yield self._result(pending.popleft(), done, total, progress)
        finally:
            for future in pending:
                future.cancel()

    @staticmethod
    def _result(future: Future[PageText], page: int, total: int | None,
                progress: Progress | None) -> PageText:
        try:
            result = future.result()
        except IngestError as error:
            raise error.on_page(page) from error
        if progress is not None:
            progress(page, total or page)
        return result

    def close(self) -> None:
        """Wait for the pages being read; drop those still queued."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
