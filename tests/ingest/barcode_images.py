"""Pages with barcodes for the tests, made on the spot: printed codes, scans, scan damage."""

from __future__ import annotations

from statistics import NormalDist

import pypdfium2
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

A4_AT_200_DPI = (1654, 2339)


def symbol(text: str, barcode_format: zxingcpp.BarcodeFormat, scale: int) -> Image.Image:
    """A barcode as zxing-cpp prints it, `scale` pixels per module, with quiet zones."""
    image = zxingcpp.create_barcode(text, barcode_format).to_image(scale=scale)
    view = memoryview(image)
    height, width = view.shape[0], view.shape[1]
    return Image.frombytes("L", (width, height), bytes(view))


def blank_page(size: tuple[int, int] = A4_AT_200_DPI) -> Image.Image:
    return Image.new("L", size, 255)


def letter_page(size: tuple[int, int] = A4_AT_200_DPI) -> Image.Image:
    """A page of Dutch text and no barcode."""
    page = blank_page(size)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("DejaVuSans.ttf", size[0] // 60)
    line = "Geachte heer De Vries, hierbij ontvangt u de offerte voor het onderhoud."
    for row in range(40):
        draw.text((size[0] // 12, size[1] // 12 + row * size[0] // 35), line, font=font, fill=0)
    return page


def scan(pdf: bytes, dpi: int = 200, page: int = 0) -> Image.Image:
    """A PDF page as a grey scanner image at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def turn(image: Image.Image, degrees: float) -> Image.Image:
    """The page laid crooked on the glass: turned counter-clockwise, on white paper."""
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True,
                        fillcolor=255)


def speckle(image: Image.Image, fraction: float) -> Image.Image:
    """Dust and toner specks: about `fraction` of the pixels black and as many white."""
    noise = Image.effect_noise(image.size, 64)
    cut = int(NormalDist(128, 64).inv_cdf(fraction))
    specked = image.copy()
    specked.paste(0, mask=noise.point(lambda value: 255 if value < cut else 0))
    specked.paste(255, mask=noise.point(lambda value: 255 if value > 255 - cut else 0))
    return specked


def grain(image: Image.Image, sigma: float) -> Image.Image:
    """Sensor noise: Gaussian noise of `sigma` grey levels on every pixel."""
    return ImageChops.add(image, Image.effect_noise(image.size, sigma), 1, -128)


def faded(image: Image.Image) -> Image.Image:
    """A pale print: black becomes mid grey."""
    return ImageOps.autocontrast(image).point(lambda value: 130 + value * 125 // 255)
