"""The Whoosh backend's own behaviour: writes, the searcher seeing them, health, locking."""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dossier.search.backends.whoosh import WhooshBackend
from dossier.search.backends.whoosh_schema import DOCUMENTS
from tests.search.whoosh_support import document, found


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[Callable[..., WhooshBackend]]:
    """Backends on tmp_path/index (empty when asked), closed after the test."""
    made: list[WhooshBackend] = []

    def make(empty: bool = True, **options: Any) -> WhooshBackend:
        backend = WhooshBackend(tmp_path / "index", **options)
        if empty:
            backend.clear()
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def backend(backends: Callable[..., WhooshBackend]) -> WhooshBackend:
    return backends()


def test_update_replaces_and_remove_deletes(backend: WhooshBackend) -> None:
    backend.index_documents([document(1, body="een rode fiets"), document(2, body="rood")])
    backend.index_documents([document(1, body="een blauwe auto")])  # same id: replaced

    assert found(backend, "fiets") == set()
    assert found(backend, "auto") == {1}
    assert found(backend, "") == {1, 2}  # no duplicate of document 1

    backend.remove_documents([2, 99])  # an id the index never had is ignored
    assert found(backend, "") == {1}


def test_the_searcher_sees_every_kind_of_change(backend: WhooshBackend) -> None:
    # whoosh-reloaded's searcher.refresh() kept deleted documents and dropped segments
    # after these; the backend reopens instead, which this test holds it to.
    assert found(backend, "") == set()
    for number in range(1, 31):  # thirty commits: Whoosh merges small segments meanwhile
        backend.index_documents([document(number, body=f"brief nummer{number}")])
    assert found(backend, "brief") == set(range(1, 31))
    backend.remove_documents([5])
    backend.index_documents([document(6, body="ander onderwerp")])
    assert found(backend, "brief") == set(range(1, 31)) - {5, 6}
    assert found(backend, "onderwerp") == {6}

    backend.clear()
    assert found(backend, "") == set()
    backend.bulk_load([[document(7, body="nieuw")]], [[]], lambda count: None)
    assert found(backend, "") == {7}


def test_two_backends_on_one_directory_see_each_others_writes(
        backends: Callable[..., WhooshBackend]) -> None:
    writer = backends()
    reader = backends(empty=False)
    assert found(reader, "") == set()
    writer.index_documents([document(1, body="gedeeld")])
    assert found(reader, "gedeeld") == {1}
    writer.clear()
    assert found(reader, "") == set()


def _write_many(path: str, first: int, count: int) -> None:
    backend = WhooshBackend(path)
    for number in range(first, first + count):
        backend.index_documents([document(number, body=f"gelijktijdig {number}")])
        backend.index_documents([document(0, body=f"gedeeld door {first}")])


def test_writers_in_two_processes_never_lose_an_update(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    path = str(tmp_path / "index")
    backend = backends()
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_many, args=(path, first, 25))
               for first in (1, 1001)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
        assert process.exitcode == 0

    expected = set(range(1, 26)) | set(range(1001, 1026))
    assert found(backend, "gelijktijdig") == expected
    assert found(backend, "gedeeld") == {0}  # updated 50 times, stored once


def test_health_reports_a_missing_directory_and_a_missing_index(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    backend = backends(empty=False)
    assert "does not exist" in (backend.health() or "")
    (tmp_path / "index").mkdir()
    assert "missing" in (backend.health() or "")
    backend.clear()
    assert backend.health() is None


def test_health_reports_a_corrupt_index_and_a_rebuild_fixes_it(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    before = backends()
    before.index_documents([document(1, body="inhoud")])
    assert before.health() is None
    before.close()  # as after a restart: the damage was done while nothing had it open
    for path in (tmp_path / "index").iterdir():
        if path.name.startswith(DOCUMENTS) and path.suffix in (".trm", ".seg", ".pst"):
            path.write_bytes(b"rubbish")

    backend = backends(empty=False)
    assert "cannot be read" in _health_of_broken(backend)
    backend.clear()
    backend.bulk_load([[document(1, body="inhoud")]], [[]], lambda count: None)
    assert backend.health() is None
    assert found(backend, "inhoud") == {1}


def test_health_reports_a_corrupt_table_of_contents(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    backend = backends()
    assert backend.health() is None
    for path in (tmp_path / "index").glob("_documents_*.toc"):
        path.write_bytes(b"not a pickle")
    assert "cannot be read" in _health_of_broken(backend)


def _health_of_broken(backend: WhooshBackend) -> str:
    with warnings.catch_warnings():
        # Whoosh leaves the file it failed to read open; the rebuild replaces it anyway.
        warnings.simplefilter("ignore", ResourceWarning)
        problem = backend.health() or ""
        gc.collect()
    return problem


def test_a_full_build_in_processes_swaps_in_the_new_contents(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    backend = backends(small_build=10)
    backend.index_documents([document(999, body="oude inhoud")])
    counted: list[int] = []
    batches = [[document(n, body=f"stapel {n} gebouwd") for n in range(b, b + 7)]
               for b in range(1, 50, 7)]

    backend.bulk_load(batches, [[]], counted.append)

    assert sum(counted) == 49
    assert found(backend, "gebouwd") == set(range(1, 50))
    assert found(backend, "oude") == set()  # the build replaced everything
    assert found(backend, '"stapel 17 gebouwd"') == {17}
    shutil.rmtree(tmp_path / "index")
    assert backend.health() is not None


def test_a_failing_build_leaves_the_index_as_it_was(
        backends: Callable[..., WhooshBackend]) -> None:
    backend = backends(small_build=2)
    backend.index_documents([document(1, body="blijft")])

    def batches():  # type: ignore[no-untyped-def]
        yield [document(2, body="half"), document(3, body="half")]
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        backend.bulk_load(batches(), [[]], lambda count: None)
    assert found(backend, "") == {1}
    backend.index_documents([document(4, body="daarna")])  # the write lock was released
    assert found(backend, "") == {1, 4}


def test_threads_search_while_another_writes(backend: WhooshBackend) -> None:
    backend.index_documents([document(n, body=f"draad tekst{n}") for n in range(1, 51)])
    errors: list[BaseException] = []

    def search_a_lot() -> None:
        try:
            for _ in range(40):
                assert found(backend, "draad") >= set(range(1, 51))
        except BaseException as error:  # reported below
            errors.append(error)

    def write_a_lot() -> None:
        try:
            for number in range(51, 71):
                backend.index_documents([document(number, body="draad erbij")])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=search_a_lot) for _ in range(3)]
    threads.append(threading.Thread(target=write_a_lot))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert found(backend, "draad") == set(range(1, 71))


def test_an_index_of_another_format_is_missing_and_cleared_away(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    index = tmp_path / "index"
    index.mkdir()
    for name in ("_documents_7.toc", "documents_k2j3h4g5f6d7s8a9.pst", "customers_v1_x.seg"):
        (index / name).write_bytes(b"an older version")
    backend = backends(empty=False)
    assert "missing" in (backend.health() or "")
    backend.clear()
    assert backend.health() is None
    left = {path.name for path in index.iterdir()}
    assert not left & {"_documents_7.toc", "documents_k2j3h4g5f6d7s8a9.pst",
                       "customers_v1_x.seg"}
    assert any(name.startswith(f"_{DOCUMENTS}_") for name in left)


def test_a_full_build_alone_replaces_an_index_of_another_format(
        tmp_path: Path, backends: Callable[..., WhooshBackend]) -> None:
    # The rebuild no longer empties the index first: bulk_load must clear old versions.
    index = tmp_path / "index"
    index.mkdir()
    for name in ("_documents_7.toc", "documents_k2j3h4g5f6d7s8a9.pst", "customers_v1_x.seg"):
        (index / name).write_bytes(b"an older version")
    backend = backends(empty=False)
    assert "missing" in (backend.health() or "")
    backend.bulk_load([[document(1, body="nieuw formaat")]], [[]], lambda count: None)
    assert backend.health() is None
    assert found(backend, "formaat") == {1}
    left = {path.name for path in index.iterdir()}
    assert not left & {"_documents_7.toc", "documents_k2j3h4g5f6d7s8a9.pst",
                       "customers_v1_x.seg"}
