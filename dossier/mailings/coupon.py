"""The reply coupon: where its barcode and answer boxes are, and which box a scan shows marked.

The printed letter (letters.py) and the scan reader share the measurements below, all in
millimetres from the middle of the bars' left edge, with y pointing down the page. The
bars are the ruler: their printed width (modules x module width) gives the scale of the
scan, their direction its turn, so a coupon torn off crooked, scanned at any resolution or
upside down is read the same. This module needs no database: the pipeline calls it while
it has the page image, and the answer is decided later, when the mailing's options are known.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageStat

from dossier.barcodes import MailingCode, try_parse
from dossier.ingest.barcode_reader import FoundBarcode
from dossier.ingest.sheets import code128_modules

BAR_HEIGHT = 12.0
MAX_MODULE = 0.4  # wider bars only cost room; narrower ones need a finer scan
MAX_BAR_WIDTH = 85.0  # the answer boxes start to the right of this
MAX_OPTIONS = 5
BOX_SIZE = 8.0
BOX_PITCH = 10.5
BOX_LEFT = 100.0  # the boxes' left edge, from the bars' left edge
BOX_TOP = -BAR_HEIGHT / 2  # the first box's top is level with the bars' top
BOX_INSET = 1.8  # only the inside of a box counts: its printed outline never does
MARKED = 0.05  # share of dark pixels inside a box that a tick or cross leaves at least
# The part of the scan that is straightened and measured, around the bars' left middle.
FRAME_LEFT, FRAME_RIGHT = -8.0, BOX_LEFT + BOX_SIZE + 8.0
FRAME_TOP = -BAR_HEIGHT
FRAME_BOTTOM = BOX_TOP + (MAX_OPTIONS - 1) * BOX_PITCH + BOX_SIZE + 8.0
BAR_HEIGHT_TOLERANCE = 0.25  # measured bar height off by more: not our coupon, or damaged
# zxing places a linear code along the scan line that read it, not along its bars: a page
# turned by 3 degrees would put the last box 5 mm off. The bars' own slope corrects that.
LEVELLING_PASSES = 2


@dataclass(frozen=True)
class CouponMarks:
    """What a scanned coupon shows: its code and how dark each answer box is inside (0-1).

    `darkness` is empty when the coupon's layout could not be found around its barcode.
    """

    code: MailingCode
    darkness: tuple[float, ...]

    def marked(self, options: int) -> int | None:
        """The one box of the first `options` that is marked; None if none or several."""
        ticked = [index for index, share in enumerate(self.darkness[:options])
                  if share >= MARKED]
        return ticked[0] if len(ticked) == 1 else None


@dataclass(frozen=True)
class CouponPage:
    """A scanned page carrying a reply coupon, as the pipeline hands it on for recording."""

    page: int  # 1-based, in the scanned file
    marks: CouponMarks
    text: str  # the page's OCR text, for triage when the coupon cannot be recorded
    ocr_confidence: float | None
    languages: str


def module_width(code: str) -> float:
    """Millimetres per Code128 module for `code`: as wide as fits beside the boxes."""
    return min(MAX_MODULE, MAX_BAR_WIDTH / len(code128_modules(code)))


def bars_width(code: str) -> float:
    return module_width(code) * len(code128_modules(code))


def box_origin(index: int) -> tuple[float, float]:
    """Top-left corner of answer box `index` (0-based), in mm from the bars' left middle."""
    return BOX_LEFT, BOX_TOP + index * BOX_PITCH


def read_coupons(image: Image.Image, found: Sequence[FoundBarcode]) -> list[CouponMarks]:
    """The marks on every reply coupon among the barcodes found on a page image."""
    coupons = []
    for barcode in found:
        code = try_parse(barcode.text)
        if isinstance(code, MailingCode):
            coupons.append(CouponMarks(code, read_marks(image, barcode, code.code)))
    return coupons


def read_marks(image: Image.Image, barcode: FoundBarcode, code: str) -> tuple[float, ...]:
    """How dark the inside of each of the MAX_OPTIONS answer boxes is, or () if the
    coupon's bars cannot be measured."""
    gray = image.convert("L")
    frame = _Frame.around(barcode, bars_width(code))
    for _pass in range(LEVELLING_PASSES):
        frame = frame.levelled(gray) if frame is not None else None
    located = frame.locate_bars(gray) if frame is not None else None
    if located is None:
        return ()
    return tuple(located.darkness(index) for index in range(MAX_OPTIONS))


@dataclass(frozen=True)
class _Located:
    """The bars as measured on the straightened scan: their left middle and px per mm."""

    straight: Image.Image
    ink: int
    x: float
    y: float
    scale: float

    def darkness(self, index: int) -> float:
        """The share of ink inside answer box `index` (its outline left out)."""
        left, top = box_origin(index)
        x = self.x + (left + BOX_INSET) * self.scale
        y = self.y + (top + BOX_INSET) * self.scale
        size = (BOX_SIZE - 2 * BOX_INSET) * self.scale
        inside = _binary(self.straight.crop((round(x), round(y), round(x + size),
                                             round(y + size))), self.ink)
        return round(ImageStat.Stat(inside).mean[0] / 255, 4)


@dataclass(frozen=True)
class _Frame:
    """The scan around a coupon, as zxing placed its bars: origin, direction and scale."""

    origin: tuple[float, float]  # the bars' left middle, in image pixels
    along: tuple[float, float]  # unit vector along the bars, left to right
    scale: float  # image pixels per mm
    bars_mm: float  # the printed width of the bars

    @classmethod
    def around(cls, barcode: FoundBarcode, width_mm: float) -> _Frame | None:
        top_left, top_right, bottom_right, bottom_left = barcode.position
        left = _middle(top_left, bottom_left)
        right = _middle(top_right, bottom_right)
        length = math.dist(left, right)
        if length < 10:
            return None
        along = ((right[0] - left[0]) / length, (right[1] - left[1]) / length)
        return cls(left, along, length / width_mm, width_mm)

    def straighten(self, gray: Image.Image) -> tuple[Image.Image, int]:
        """The frame's part of `gray`, turned so the bars run left to right (1 px = 1 px),
        and the grey level below which it is ink."""
        width = round((FRAME_RIGHT - FRAME_LEFT) * self.scale)
        height = round((FRAME_BOTTOM - FRAME_TOP) * self.scale)
        (ux, uy), (vx, vy) = self.along, (-self.along[1], self.along[0])
        x0, y0 = FRAME_LEFT * self.scale, FRAME_TOP * self.scale
        start_x = self.origin[0] + x0 * ux + y0 * vx
        start_y = self.origin[1] + x0 * uy + y0 * vy
        straight = gray.transform((width, height), Image.Transform.AFFINE,
                                  (ux, vx, start_x, uy, vy, start_y),
                                  resample=Image.Resampling.BILINEAR, fillcolor=255)
        return straight, _ink_threshold(straight)

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        """The image point at pixel (x, y) of the straightened frame."""
        (ux, uy), (vx, vy) = self.along, (-self.along[1], self.along[0])
        x, y = x + FRAME_LEFT * self.scale, y + FRAME_TOP * self.scale
        return self.origin[0] + x * ux + y * vx, self.origin[1] + x * uy + y * vy

    def levelled(self, gray: Image.Image) -> _Frame | None:
        """The frame turned so the bars' middle line is level, measured at both ends of
        the bars; None when the bars are not where zxing said."""
        straight, ink = self.straighten(gray)
        guess_x, guess_y = -FRAME_LEFT * self.scale, -FRAME_TOP * self.scale
        width = self.bars_mm * self.scale
        ends = []
        for start in (guess_x, guess_x + width * 0.75):
            shares = _row_shares(straight, start, start + width * 0.25, ink)
            run = _dark_run(shares, round(guess_y))
            if run is None:
                return None
            ends.append((start + width * 0.125, (run[0] + run[1] + 1) / 2))
        (x1, y1), (x2, y2) = ends
        turn = math.atan2(y2 - y1, x2 - x1)
        middle_left = y1 - (x1 - guess_x) * math.tan(turn)
        cos, sin = math.cos(turn), math.sin(turn)
        ux, uy = self.along
        along = (ux * cos - uy * sin, ux * sin + uy * cos)
        return _Frame(self.to_image(guess_x, middle_left), along, self.scale, self.bars_mm)

    def locate_bars(self, gray: Image.Image) -> _Located | None:
        """The bars' exact band and ends on the straightened scan, checked against their
        printed height; None when they do not look like a coupon's bars."""
        straight, ink = self.straighten(gray)
        guess_x, guess_y = -FRAME_LEFT * self.scale, -FRAME_TOP * self.scale
        width = self.bars_mm * self.scale
        band = _dark_run(_row_shares(straight, guess_x, guess_x + width, ink), round(guess_y))
        if band is None:
            return None
        top, bottom = band
        columns = _column_shares(straight, top, bottom + 1, ink)
        ends = _outer_dark(columns, round(guess_x - 3 * self.scale),
                           round(guess_x + width + 3 * self.scale))
        if ends is None:
            return None
        left, right = ends
        scale = (right + 1 - left) / self.bars_mm
        height = (bottom + 1 - top) / scale
        if abs(height - BAR_HEIGHT) > BAR_HEIGHT * BAR_HEIGHT_TOLERANCE:
            return None
        return _Located(straight, ink, left, (top + bottom + 1) / 2, scale)


def _middle(a: tuple[int, int], b: tuple[int, int]) -> tuple[float, float]:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


def _ink_threshold(gray: Image.Image) -> int:
    """Grey levels below this are ink: well under the paper's own shade."""
    paper = ImageStat.Stat(gray).median[0]
    return max(60, round(paper * 0.7))


def _binary(gray: Image.Image, ink: int) -> Image.Image:
    """255 where there is ink, 0 on paper."""
    return gray.point(lambda level: 255 if level < ink else 0)


def _row_shares(gray: Image.Image, left: float, right: float, ink: int) -> list[float]:
    """Per row of `gray`, the share of ink between columns `left` and `right`."""
    strip = _binary(gray.crop((round(left), 0, round(right), gray.height)), ink)
    means = strip.resize((1, strip.height), Image.Resampling.BOX)
    return [means.getpixel((0, row)) / 255 for row in range(means.height)]  # type: ignore[operator]


def _column_shares(gray: Image.Image, top: int, bottom: int, ink: int) -> list[float]:
    strip = _binary(gray.crop((0, top, gray.width, bottom)), ink)
    means = strip.resize((strip.width, 1), Image.Resampling.BOX)
    return [means.getpixel((column, 0)) / 255 for column in range(means.width)]  # type: ignore[operator]


def _dark_run(shares: list[float], start: int, minimum: float = 0.2) -> tuple[int, int] | None:
    """The rows around `start` whose ink share stays at least `minimum` (bars: about half)."""
    if not 0 <= start < len(shares) or shares[start] < minimum:
        return None
    top = bottom = start
    while top > 0 and shares[top - 1] >= minimum:
        top -= 1
    while bottom < len(shares) - 1 and shares[bottom + 1] >= minimum:
        bottom += 1
    return top, bottom


def _outer_dark(shares: list[float], low: int, high: int,
                minimum: float = 0.8) -> tuple[int, int] | None:
    """The first and last columns between `low` and `high` that are ink nearly all the
    way down the band: the outer edges of the first and last bar."""
    dark = [column for column in range(max(low, 0), min(high, len(shares)))
            if shares[column] >= minimum]
    return (dark[0], dark[-1]) if dark else None

