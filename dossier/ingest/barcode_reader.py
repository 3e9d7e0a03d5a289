"""Find the barcodes on a scanned page with zxing-cpp: Code128, Code39, QR and DataMatrix.

Every page gets one pass at full resolution, all four formats. A page that also shows a
patch inked as densely as a barcode (bars, or a QR or DataMatrix symbol larger than
about 8 mm) gets more: zxing's smaller copies of the page (large and noisy symbols)
and, when no linear code (Code128, Code39) is read yet, a few passes on a copy at
150 dpi: with speckle removed (median filter), with edges sharpened (blurred scans),
and turned by 20 and 40 degrees both ways (a sheet laid crooked on the glass; zxing
itself covers turns of about 10 degrees and quarter turns, and reads QR and DataMatrix
at any angle). The first of those that finds a linear code ends the search.
An A4 page of text at 300 dpi has no such patch and costs about 0.05 s; a cover sheet
costs about as much, or up to 0.3 s when it is turned or damaged, and so does a page
with a logo, a photo or a large bold heading. Scans of 200 dpi and more are read
reliably; at 150 dpi clean and slightly turned codes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import zxingcpp
from PIL import Image, ImageFilter

LINEAR = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39)
FORMATS = zxingcpp.BarcodeFormats((*LINEAR, zxingcpp.BarcodeFormat.QRCode,
                                   zxingcpp.BarcodeFormat.DataMatrix))
LINEAR_FORMATS = zxingcpp.BarcodeFormats(LINEAR)
FORMAT_NAMES = {
    zxingcpp.BarcodeFormat.Code128: "Code128",
    zxingcpp.BarcodeFormat.Code39: "Code39",
    zxingcpp.BarcodeFormat.QRCode: "QRCode",
    zxingcpp.BarcodeFormat.DataMatrix: "DataMatrix",
}
LINEAR_NAMES = frozenset({"Code128", "Code39"})
# The fallback passes run on a copy at most this long (A4 at 150 dpi): fast, and the
# bars of a printed cover sheet stay nearly three pixels wide.
FALLBACK_LONG_SIDE = 1754
TURNS = (20, -20, 40, -40)
# The check for bars looks at a copy at most PATCH_LONG_SIDE long (A4: 2 pixels a mm) and
# averages it over squares of 2 * PATCH_RADIUS + 1 pixels (A4: 4.5 mm, less than the
# height of any bars we print, more than the widest space between them). Measured
# between the page's paper and its ink, the inkiest such square of a cover sheet or
# reply coupon is about 0.7 inked, also when turned, faded, blurred or noisy; of a QR or
# DataMatrix symbol of 7 mm or more, 0.4-0.6; of a letter 0.2-0.35. Small print set
# tight, bold text, logos and photos pass too, and only cost the later passes.
PATCH_LONG_SIDE = 600
PATCH_RADIUS = 4
PATCH_INKED = 0.38
INK_SHARE = 0.005  # the darkest half percent of the pixels gives the ink's grey
DOWNSCALE = 3  # as zxing's own downscaling: each smaller copy a third as long

Point = tuple[int, int]


@dataclass(frozen=True)
class FoundBarcode:
    """One barcode on a page: its text, symbology and where it is in the image."""

    text: str
    format: str  # "Code128", "Code39", "QRCode" or "DataMatrix"
    position: tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left
    # Degrees the symbol is turned clockwise, -179..180: exact for QR and DataMatrix; for
    # linear codes zxing gives quarter turns only, so it is off by up to about 45 degrees.
    orientation: int = 0

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) around the barcode."""
        xs = [x for x, _y in self.position]
        ys = [y for _x, y in self.position]
        return min(xs), min(ys), max(xs), max(ys)


def read_barcodes(image: Image.Image) -> list[FoundBarcode]:
    """Every barcode found on `image`, in reading order (top to bottom, left to right)."""
    gray = _grayscale(image)
    found = _decode(gray, downscale=False)
    if shows_bars(gray):
        # zxing's own smaller copies of the page, left out above: they help with large
        # and noisy symbols and cost a third of the first pass. QR and DataMatrix read
        # at any angle here; a linear code may still need the later passes.
        found.extend(_decode(gray.reduce(DOWNSCALE), DOWNSCALE))
        if not _has_linear(found):
            found.extend(_until_linear(gray))
    return sorted(_unique(found), key=lambda code: (code.box[1], code.box[0]))


def shows_bars(gray: Image.Image) -> bool:
    """Whether some patch of the grey page is inked as densely as barcode bars are.

    Cheap (a few milliseconds for an A4 page at 300 dpi): it decides whether a page
    without a code read in the first pass is worth the slower passes.
    """
    histogram = gray.histogram()
    ink, paper = _grey_at(histogram, INK_SHARE), _grey_at(histogram, 0.5)
    factor = max(1, math.ceil(max(gray.size) / PATCH_LONG_SIDE))
    averaged = gray.reduce(factor).filter(ImageFilter.BoxBlur(PATCH_RADIUS))
    darkest = next(grey for grey, count in enumerate(averaged.histogram()) if count)
    return paper - darkest >= PATCH_INKED * max(1, paper - ink)


def _grey_at(histogram: list[int], share: float) -> int:
    """The grey level below which `share` of the pixels lie."""
    wanted, counted = share * sum(histogram), 0
    for grey, count in enumerate(histogram):
        counted += count
        if counted >= wanted:
            return grey
    return len(histogram) - 1


def _has_linear(found: list[FoundBarcode]) -> bool:
    return any(code.format in LINEAR_NAMES for code in found)


def _until_linear(gray: Image.Image) -> list[FoundBarcode]:
    """What the later passes find, up to the first that finds a linear code."""
    found: list[FoundBarcode] = []
    for batch in _fallback_passes(gray):
        found.extend(batch)
        if _has_linear(batch):
            break
    return found


def _fallback_passes(gray: Image.Image) -> Iterator[list[FoundBarcode]]:
    small, scale = _fallback_copy(gray)
    despeckled = small.filter(ImageFilter.MedianFilter(3))
    yield _decode(despeckled, scale, binarizer=zxingcpp.Binarizer.GlobalHistogram)
    yield _decode(small.filter(ImageFilter.UnsharpMask(radius=4, percent=300, threshold=0)),
                  scale)
    for angle in TURNS:
        yield _decode_turned(despeckled, angle, scale)


def _grayscale(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in {"RGBA", "LA", "P", "PA"}:  # transparent means paper: white
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA"))
        return background.convert("L")
    return image.convert("L")


def _fallback_copy(gray: Image.Image) -> tuple[Image.Image, float]:
    """A copy whose long side is at most FALLBACK_LONG_SIDE, and the factor back to `gray`."""
    factor = max(gray.size) / FALLBACK_LONG_SIDE
    if factor <= 1:
        return gray, 1.0
    size = (round(gray.width / factor), round(gray.height / factor))
    return gray.resize(size, Image.Resampling.BOX), factor


def _decode(gray: Image.Image, scale: float = 1.0, *,
            binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
            formats: zxingcpp.BarcodeFormats = FORMATS, downscale: bool = True,
            to_original: Callable[[float, float], tuple[float, float]] | None = None,
            turned_by: float = 0,
            ) -> list[FoundBarcode]:
    """One zxing pass. Printed sheets are dark on light: looking for inverted codes too
    would double the time for nothing."""
    results = zxingcpp.read_barcodes(gray, formats=formats, binarizer=binarizer,
                                     try_invert=False, try_downscale=downscale)
    found = []
    for result in results:
        if not result.valid or not result.text:
            continue
        corners = (result.position.top_left, result.position.top_right,
                   result.position.bottom_right, result.position.bottom_left)
        points = [to_original(p.x, p.y) if to_original else (p.x, p.y) for p in corners]
        a, b, c, d = ((round(x * scale), round(y * scale)) for x, y in points)
        orientation = (round(result.orientation + turned_by) + 179) % 360 - 179
        found.append(FoundBarcode(text=result.text, format=_format_name(result.format),
                                  position=(a, b, c, d), orientation=orientation))
    return found


def _decode_turned(gray: Image.Image, angle: float, scale: float) -> list[FoundBarcode]:
    """Decode `gray` turned by `angle` degrees; positions are mapped back onto `gray`.

    Linear codes only (the first pass found any QR or DataMatrix), at the size given:
    `gray` is already the small copy."""
    turned = gray.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    return _decode(turned, scale, formats=LINEAR_FORMATS, downscale=False,
                   to_original=_unturn(gray.size, turned.size, angle), turned_by=angle)


def _unturn(size: tuple[int, int], turned_size: tuple[int, int],
            angle: float) -> Callable[[float, float], tuple[float, float]]:
    """Maps a point of the turned image back to the image before turning."""
    radians = math.radians(angle)
    cos, sin = math.cos(radians), math.sin(radians)
    cx, cy = size[0] / 2, size[1] / 2
    tx, ty = turned_size[0] / 2, turned_size[1] / 2

    def back(x: float, y: float) -> tuple[float, float]:
        # Pillow turns counter-clockwise on screen (y points down), so undo clockwise.
        dx, dy = x - tx, y - ty
        return cx + dx * cos - dy * sin, cy + dx * sin + dy * cos

    return back


def _format_name(barcode_format: zxingcpp.BarcodeFormat) -> str:
    return FORMAT_NAMES.get(barcode_format) or str(barcode_format.name)


def _unique(found: list[FoundBarcode]) -> list[FoundBarcode]:
    """One entry per symbol, though several passes may find it."""
    kept: list[FoundBarcode] = []
    for code in found:
        if not any(code.text == other.text and _overlap(code.box, other.box)
                   for other in kept):
            kept.append(code)
    return kept


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
