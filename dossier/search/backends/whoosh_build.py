"""Writing the Whoosh indexes: the segment writer every write uses, and the full build in
several processes.

A full build hands batches to whichever process is free; each writes its own segment,
and the parent, holding the index's write lock, swaps all of them in with one commit
(the old contents stay searchable until then). Whoosh's MpWriter does the same but builds with
the stock pool and loses a process's segment silently when it dies; here a dead or
failing process fails the build.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh.index import Index
from whoosh.writing import SegmentWriter

from dossier.search.backends.whoosh_codec import DossierCodec
from dossier.search.backends.whoosh_pool import GroupingPool
from dossier.search.backends.whoosh_schema import document_fields
from dossier.search.content import IndexedDocument

RESULT_TIMEOUT = 5.0  # seconds between checks that the build processes are alive
QUEUED_BATCHES = 2  # per process: enough to keep it busy, little memory


class DossierWriter(SegmentWriter):
    """Whoosh's segment writer with the dossier codec and a pool grouped by term."""

    def __init__(self, ix: Index, limitmb: int = 128, **options: Any) -> None:
        super().__init__(ix, limitmb=limitmb, codec=DossierCodec(), **options)
        self.pool = GroupingPool(limitmb=limitmb)
        self._plain = not any(field.vector or field.separate_spelling()
                              for _name, field in self.schema.items())

    def add_document(self, **fields: Any) -> None:
        """Whoosh's add_document for the fields these indexes use (no boosts, vectors,
        spelling or custom stored values), with a term's postings added in one call."""
        if not self._plain or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = (self.pool.add_field(name, docnum, field.index(value), field.scorable)
                          if field.indexed else 0)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type is not None:
                    perdoc.add_column_value(name, field.column_type,
                                            field.to_column_value(value))
        except BaseException:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write the pool's postings a term at a time (Whoosh's own loop makes four calls
        per posting)."""
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        fields = self.fieldwriter
        try:
            for fieldname, terms in groupby(self.pool.terms(), key=itemgetter(0)):
                fields.start_field(fieldname, self.schema[fieldname])
                length_bytes = lengths.length_bytes(fieldname)
                for _fieldname, text, term in terms:
                    fields.start_term(text)
                    fields._postwriter.add_many(term.docnums, term.weights,
                                                bytes(term.values), term.ends, length_bytes)
                    fields.finish_term()
                fields.finish_field()
        finally:
            fields.close()
            lengths.close()

    def commit_segments(self, segments: Sequence[Any]) -> None:
        """Replace the index's contents with segments other processes wrote."""
        self._check_state()
        self._close_segment()
        self._commit_toc(list(segments))
        self._finish()


class BuildFailed(RuntimeError):
    """A build process died or raised; the index was left as it was."""


def build_in_processes(ix: Index, batches: Iterable[Sequence[IndexedDocument]],
                       progress: Callable[[int], None], processes: int, limitmb: int,
                       timeout: float) -> int:
    """Build index `ix` from `batches` in `processes` processes; returns documents built."""
    context = multiprocessing.get_context("fork")
    results: Any = context.Queue()
    # One queue for all: whichever process is free takes the next batch.
    jobs: Any = context.Queue(QUEUED_BATCHES * processes)
    workers = [context.Process(target=_build_part, daemon=True,
                               args=(ix.storage, ix.indexname, jobs, results, limitmb))
               for _ in range(processes)]
    parent = DossierWriter(ix, timeout=timeout)
    try:
        for worker in workers:
            worker.start()
        sent = 0
        for batch in batches:
            _put(jobs, list(batch), workers)
            sent += len(batch)
            progress(len(batch))
        for _worker in workers:
            _put(jobs, None, workers)
        segments, built = _collect(results, workers)
    except BaseException:
        parent.cancel()
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        raise
    for worker in workers:
        worker.join()
    if built != sent:
        parent.cancel()
        raise BuildFailed(f"the build processes wrote {built} of {sent} documents")
    parent.commit_segments(segments)
    return built


def _put(job: Any, batch: list[IndexedDocument] | None, workers: list[Any]) -> None:
    while True:
        try:
            job.put(batch, timeout=RESULT_TIMEOUT)
            return
        except queue.Full:
            if not all(worker.is_alive() for worker in workers):
                raise BuildFailed("a search index build process died") from None


def _collect(results: Any, workers: list[Any]) -> tuple[list[Any], int]:
    segments: list[Any] = []
    built = 0
    for _worker in workers:
        while True:
            try:
                outcome, segment, count = results.get(timeout=RESULT_TIMEOUT)
                break
            except queue.Empty:
                if not all(worker.is_alive() or worker.exitcode == 0 for worker in workers):
                    raise BuildFailed("a search index build process died") from None
        if outcome != "ok":
            raise BuildFailed(f"a search index build process failed: {segment}")
        if segment is not None:
            segments.append(segment)
        built += count
    return segments, built


def _build_part(storage: Any, indexname: str, job: Any, results: Any, limitmb: int) -> None:
    """One build process: write every batch it is given into one segment."""
    try:
        writer = DossierWriter(storage.open_index(indexname), limitmb=limitmb, _lk=False,
                               compound=False)
        count = 0
        while (batch := job.get()) is not None:
            for doc in batch:
                writer.add_document(**document_fields(doc))
            count += len(batch)
        if count:
            results.put(("ok", writer._finalize_segment(), count))
        else:
            writer._close_segment()
            results.put(("ok", None, 0))
    except BaseException as error:  # reported to the parent, which fails the build
        results.put(("error", repr(error), 0))
