"""Scanner-inbox extraction: OCR speed against raw Tesseract, pool scaling, born-digital PDFs.

- OCR pages/s: `extract()` on a scanned PDF (JPEG pages, as scanners write them) with the
  OCR pool at the core count, against the raw `tesseract` CLI over the same JPEG page
  images with `xargs -P<cores>`, OMP_THREAD_LIMIT=1, the same languages, text output.
  The pipeline renders every page, reads it (TSV and searchable-PDF output of one pass),
  and merges the searchable PDF; the "with barcodes" row also reads every page's barcodes
  in the calling thread as the ingest pipeline does. Target >= 0.9x raw.
- Scaling: the same extraction with a pool of 2 processes against 1. Target >= 1.8x.
- Born-digital: `extract()` on a 200-page text PDF. Target >= 50 pages/s.
- `--rss`: peak memory of a worker-like process (the app loaded, the pool at the core
  count, barcodes read) on a 200-page scan, RSS summed over it and its children
  (the Tesseract processes). Target <= 500 MB. Slow (the pages are OCR'd), so apart.

Rounds alternate raw and pipeline so that other load on the machine hits both alike;
the tables give medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bench.processes import children_by_parent, rss_kb
from bench.report import write_section
from dossier.ingest.barcode_reader import read_barcodes
from dossier.ingest.extract import extract
from dossier.ingest.limits import Limits
from dossier.ingest.ocr_pool import OcrPool

LANGUAGES = "nld+eng"
DPI = 300
A4_PIXELS = (2480, 3508)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
TARGETS = {"vs_raw": 0.9, "scaling": 1.8, "born_digital": 50.0, "rss_mb": 500.0}
VOCABULARY = (
    "de het een van en in is dat op te zijn met voor niet aan er om ook als bij uw wij "
    "offerte contract klant factuur bedrag levering installatie onderhoud storing monteur "
    "afspraak garantie betaling termijn verwarming ketel zonnepanelen warmtepomp adres "
    "geachte heer mevrouw vriendelijke groet datum kenmerk onderwerp overeenkomst "
    "jaarlijks servicebeurt vervanging onderdelen arbeidsloon voorrijkosten btw totaal"
)
WORDS = VOCABULARY.split()


def letter_page(seed: int, stamp: str = "") -> Image.Image:
    """An A4 page of Dutch text at 300 dpi, slightly blurred and skewed like a scan."""
    rnd = random.Random(seed)
    page = Image.new("L", A4_PIXELS, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 40)
    draw.text((220, 160), f"Kenmerk {seed:05d} {stamp}", font=font, fill=0)
    for row in range(48):
        line = " ".join(rnd.choice(WORDS) for _ in range(11)).capitalize() + "."
        draw.text((220, 260 + row * 62), line, font=font, fill=0)
    skewed = page.rotate(rnd.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC,
                         fillcolor=255)
    return skewed.filter(ImageFilter.GaussianBlur(0.8))


def write_scan(folder: Path, pages: int, distinct: int | None = None) -> tuple[Path, list[Path]]:
    """JPEG page images and a PDF embedding them unchanged (as a network scanner does)."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = [letter_page(seed) for seed in range(distinct or pages)]
    jpegs = []
    for number in range(pages):
        image = bases[number % len(bases)]
        if distinct is not None and distinct < pages:
            image = image.copy()
            ImageDraw.Draw(image).text((1800, 100), f"p. {number + 1}", fill=0,
                                       font=ImageFont.truetype(FONT, 40))
        jpegs.append(folder / f"page-{number + 1:04d}.jpg")
        image.save(jpegs[-1], "JPEG", quality=85, dpi=(DPI, DPI))
    pdf = folder / "scan.pdf"
    size = (A4_PIXELS[0] * 72 / DPI, A4_PIXELS[1] * 72 / DPI)  # renders 1:1 at 300 dpi
    rl_config.useA85 = 0  # binary streams, as scanners write them (ASCII85 adds 25 %)
    canvas = Canvas(str(pdf), pagesize=size)
    for jpeg in jpegs:
        canvas.drawImage(str(jpeg), 0, 0, width=size[0], height=size[1])
        canvas.showPage()
    canvas.save()
    return pdf, jpegs


def born_digital_pdf(path: Path, pages: int) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    rnd = random.Random(7)
    for _ in range(pages):
        for row in range(50):
            canvas.drawString(60, A4[1] - 60 - row * 15,
                              " ".join(rnd.choice(WORDS) for _ in range(12)))
        canvas.showPage()
    canvas.save()
    return path


class Stopwatch:
    """Wall-clock seconds and CPU seconds (this process and its finished children)."""

    def __enter__(self) -> Stopwatch:
        self._wall, self._cpu = time.perf_counter(), self._cpu_now()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = self._cpu_now() - self._cpu

    @staticmethod
    def _cpu_now() -> float:
        own, children = (resource.getrusage(resource.RUSAGE_SELF),
                         resource.getrusage(resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_raw_tesseract(jpegs: Sequence[Path], processes: int) -> Stopwatch:
    """Raw `tesseract` over the images, `processes` at a time, one thread each."""
    listing = "\n".join(str(path) for path in jpegs) + "\n"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with Stopwatch() as watch:
        subprocess.run(["xargs", f"-P{processes}", "-I{}", "tesseract", "{}", "{}.raw", "-l",
                        LANGUAGES], input=listing.encode(), env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return watch


def time_extract(pdf: Path, pool: OcrPool, work: Path, pages: int,
                 on_page_image: Callable[[int, Image.Image], None] | None = None) -> Stopwatch:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    with Stopwatch() as watch:
        extraction = extract(pdf, Limits(), LANGUAGES, pool, workdir=work,
                             on_page_image=on_page_image)
    assert len(extraction.pages) == pages, len(extraction.pages)
    assert extraction.method == "text_layer" or (extraction.confidence or 0) > 80
    return watch


def _read_barcodes(number: int, image: Image.Image) -> None:
    read_barcodes(image)


def measure_ocr(folder: Path, pages: int, rounds: int) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    pdf, jpegs = write_scan(folder / "scan", pages)
    runs: dict[str, list[Stopwatch]] = {"raw": [], "pipeline": [], "barcodes": [],
                                        "pool_1": [], "pool_2": []}
    load_before = os.getloadavg()[0]
    with OcrPool(cores) as pool, OcrPool(1) as one, OcrPool(2) as two:
        time_extract(pdf, pool, folder / "work", pages)  # warm caches and imports
        for _ in range(rounds):
            runs["raw"].append(time_raw_tesseract(jpegs, cores))
            runs["pipeline"].append(time_extract(pdf, pool, folder / "work", pages))
            runs["barcodes"].append(time_extract(pdf, pool, folder / "work", pages,
                                                 _read_barcodes))
            runs["pool_1"].append(time_extract(pdf, one, folder / "work", pages))
            runs["pool_2"].append(time_extract(pdf, two, folder / "work", pages))
    wall = {key: statistics.median(run.wall for run in values) for key, values in runs.items()}
    cpu = {key: statistics.median(run.cpu for run in values) for key, values in runs.items()}
    return {"pages": pages, "rounds": rounds, "cores": cores,
            "load": (load_before, os.getloadavg()[0]),
            "pages_per_second": {key: pages / value for key, value in wall.items()},
            "cpu_seconds_per_page": {key: value / pages for key, value in cpu.items()}}


def measure_born_digital(folder: Path, pages: int, rounds: int) -> float:
    pdf = born_digital_pdf(folder / "born-digital.pdf", pages)
    with OcrPool(1) as pool:
        time_extract(pdf, pool, folder / "work", pages)
        seconds = [time_extract(pdf, pool, folder / "work", pages, _read_barcodes).wall
                   for _ in range(rounds)]
    return pages / statistics.median(seconds)


def tree_rss_mb(root: int) -> tuple[float, float]:
    """(RSS of `root` and all its descendants, RSS of `root` alone) in MB."""
    tree, stack, total = children_by_parent(), [root], 0
    while stack:
        pid = stack.pop()
        total += rss_kb(pid)
        stack.extend(tree.get(pid, []))
    return total / 1024, rss_kb(root) / 1024


def measure_rss(folder: Path, pages: int) -> dict[str, Any]:
    pdf, _ = write_scan(folder / "big", pages, distinct=8)
    child = subprocess.Popen([sys.executable, "-m", "bench.ingest", "--rss-child", str(pdf)],
                             stdout=subprocess.PIPE, env={**os.environ})
    peak_total = peak_main = 0.0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak_total, peak_main
        while not done.is_set():
            total, main = tree_rss_mb(child.pid)
            peak_total, peak_main = max(peak_total, total), max(peak_main, main)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    output, _ = child.communicate()
    done.set()
    watcher.join()
    if child.returncode:
        raise SystemExit(f"the measured process failed ({child.returncode})")
    report = json.loads(output)
    return {"pages": pages, "peak_total_mb": peak_total, "peak_main_mb": peak_main,
            "pdf_mb": pdf.stat().st_size / 2**20, **report}


def rss_child(pdf: Path) -> None:
    """The measured process: what a worker does with one big scan, database aside."""
    from dossier import create_app
    from dossier.documents.file_store import FileStore

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/db.sqlite",
                          "SECRET_KEY": "bench", "QUEUE_URL": "memory://"})
        with app.app_context(), OcrPool.from_config(app.config) as pool:
            began = time.perf_counter()
            extraction = extract(pdf, Limits.from_config(app.config), LANGUAGES, pool,
                                 workdir=Path(tmp), on_page_image=_read_barcodes)
            assert extraction.searchable_pdf is not None
            with extraction.searchable_pdf.open("rb") as searchable:
                FileStore(Path(tmp) / "files").store(searchable)
            seconds = time.perf_counter() - began
            print(json.dumps({"seconds": seconds, "processes": pool.processes,
                              "searchable_mb": extraction.searchable_pdf.stat().st_size / 2**20}))


def _machine() -> str:
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    tesseract = (version.stdout or version.stderr).split("\n", 1)[0]
    return (f"{date.today().isoformat()}, `{platform.machine()}`, {os.cpu_count()} cores, "
            f"host `{platform.node()}`, Python {platform.python_version()}, {tesseract}")


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def ocr_markdown(ocr: dict[str, Any], born_digital: float, command: str) -> str:
    speed, cores = ocr["pages_per_second"], ocr["cores"]
    vs_raw, with_codes = speed["pipeline"] / speed["raw"], speed["barcodes"] / speed["raw"]
    scaling = speed["pool_2"] / speed["pool_1"]
    cpu = ocr["cpu_seconds_per_page"]
    rows = [
        (f"Raw `tesseract`, text, `xargs -P{cores}`", "raw", "1.00x", ""),
        (f"Pipeline `extract()`, pool of {cores}", "pipeline", f"{vs_raw:.2f}x",
         f">= {TARGETS['vs_raw']}x: {_verdict(vs_raw >= TARGETS['vs_raw'])}"),
        (f"Pipeline `extract()` + barcodes, pool of {cores}", "barcodes",
         f"{with_codes:.2f}x", f">= {TARGETS['vs_raw']}x: "
         f"{_verdict(with_codes >= TARGETS['vs_raw'])}"),
        ("Pipeline, pool of 1", "pool_1", "", ""),
        ("Pipeline, pool of 2", "pool_2", f"{scaling:.2f}x pool of 1",
         f">= {TARGETS['scaling']}x: {_verdict(scaling >= TARGETS['scaling'])}"),
    ]
    lines = [f"{_machine()}.",
             f"Command: `{command}`: {ocr['pages']} scanned A4 pages (Dutch, 300 dpi, "
             f"JPEG), {ocr['rounds']} rounds, medians. Load average before and after: "
             f"{ocr['load'][0]:.2f}, {ocr['load'][1]:.2f}.", "",
             "| Run | pages/s | ratio | CPU s/page | target |",
             "|-----|--------:|------:|-----------:|--------|"]
    lines += [f"| {label} | {speed[key]:.2f} | {ratio} | {cpu[key]:.2f} | {target} |"
              for label, key, ratio, target in rows]
    lines.append(f"| Born-digital PDF (text layer) + barcodes, 200 pages | {born_digital:.0f} "
                 f"| | | >= {TARGETS['born_digital']:g} pages/s: "
                 f"{_verdict(born_digital >= TARGETS['born_digital'])} |")
    return "\n".join(lines)


def rss_markdown(rss: dict[str, Any], command: str) -> str:
    met = rss["peak_total_mb"] <= TARGETS["rss_mb"]
    return "\n".join([
        f"{_machine()}.",
        f"Command: `{command}`: a {rss['pages']}-page scanned PDF ({rss['pdf_mb']:.0f} MB), "
        f"pool of {rss['processes']}, barcodes read, searchable PDF "
        f"({rss['searchable_mb']:.0f} MB) stored; {rss['pages'] / rss['seconds']:.2f} pages/s.",
        "",
        "| Peak RSS | MB | target |", "|----------|---:|--------|",
        f"| Worker process and its Tesseract children | {rss['peak_total_mb']:.0f} | "
        f"<= {TARGETS['rss_mb']:g} MB: {_verdict(met)} |",
        f"| Worker process alone | {rss['peak_main_mb']:.0f} | |",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="scanned pages per OCR run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rss", action="store_true", help="only the peak-memory run")
    parser.add_argument("--rss-pages", type=int, default=200)
    parser.add_argument("--rss-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child)
        return
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        if args.rss:
            key = "ingest:rss"
            text = rss_markdown(measure_rss(Path(tmp), args.rss_pages),
                                ".venv/bin/python -m bench.ingest --rss")
        else:
            key = "ingest:ocr"
            ocr = measure_ocr(Path(tmp), args.pages, args.rounds)
            born_digital = measure_born_digital(Path(tmp), 200, args.rounds)
            text = ocr_markdown(ocr, born_digital, ".venv/bin/python -m bench.ingest")
    print(text, end="\n\n")
    if not args.no_write:
        write_section(key, text)


if __name__ == "__main__":
    main(sys.argv[1:])
