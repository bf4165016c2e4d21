"""Share images: the 1200 x 630 picture a link preview shows (OpenGraph, Twitter's
`summary_large_image`), drawn with Pillow from plain values: the project's acronym, what the item
is, its title, the EU emblem and the funding line.

The emblem is drawn as geometry after its official construction (a 3:2 blue rectangle, twelve gold
five-pointed stars, point upwards, at the hours of a clock on a circle whose radius is a third of
the height, each star within a circle of a eighteenth of the height): Pillow cannot read SVG, and
no SVG rasteriser is among the dependencies. Text is laid out by Pillow's own engine, not Raqm,
which a machine may or may not have: the same values give the same bytes everywhere.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Bump when the drawing changes: it is part of every cached image's key.
DRAWING_VERSION = "1"
SIZE = (1200, 630)
EU_BLUE = (0, 51, 153)  # #003399, Reflex Blue
EU_YELLOW = (255, 204, 0)  # #FFCC00
INK = (27, 27, 31)  # the title: 17:1 on white
MUTED = (72, 76, 86)  # the label and the programme: 8.6:1 on white
RULE = (205, 212, 226)
WHITE = (255, 255, 255)
MARGIN = 88  # left and right, past the accent bar
ACCENT = 20  # the blue bar down the left edge
TITLE_SIZES = ((64, 3), (56, 3), (48, 4))  # (font size, most lines): the largest that holds the whole title
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Card:
    """What a share image shows, as text."""

    acronym: str
    label: str  # what the item is: "Deliverable D5.4"; may be empty
    title: str
    funding: str  # "Funded by the European Union"
    programme: str  # the programme and grant, under the funding line


@dataclass(frozen=True)
class Fonts:
    """The TrueType files the image is set in."""

    regular: Path
    bold: Path


@dataclass(frozen=True)
class Drawn:
    """A rendered image and where it shows the emblem, for whoever checks that it does."""

    png: bytes
    emblem: tuple[int, int, int, int]  # left, top, width, height


def render_card(card: Card, fonts: Fonts) -> Drawn:
    """The card as PNG bytes: no metadata, no time, the same bytes for the same values."""
    image = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((0, 0, ACCENT - 1, height - 1), fill=EU_BLUE)
    text_width = width - 2 * MARGIN
    draw.text((MARGIN, 64), _fit(card.acronym, _font(fonts.bold, 40), text_width), font=_font(fonts.bold, 40),
              fill=EU_BLUE)
    label_font = _font(fonts.regular, 30)
    if card.label:
        draw.text((MARGIN, 122), _fit(card.label, label_font, text_width), font=label_font, fill=MUTED)
    _draw_title(draw, card.title, fonts.bold, (MARGIN, 190), text_width, 262)
    band_top = 478
    draw.line((MARGIN, band_top, width - MARGIN, band_top), fill=RULE, width=2)
    emblem = (MARGIN, band_top + 34, 126, 84)
    image.paste(emblem_image(emblem[2], emblem[3]), emblem[:2])
    text_left = MARGIN + emblem[2] + 28
    funding_font, programme_font = _font(fonts.bold, 30), _font(fonts.regular, 22)
    draw.text((text_left, band_top + 38), _fit(card.funding, funding_font, width - MARGIN - text_left),
              font=funding_font, fill=INK)
    draw.text((text_left, band_top + 84), _fit(card.programme, programme_font, width - MARGIN - text_left),
              font=programme_font, fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)  # Pillow writes no time and no text chunks unless asked
    return Drawn(buffer.getvalue(), emblem)


def emblem_image(width: int, height: int, supersample: int = 4) -> Image.Image:
    """The EU flag at the given size, drawn larger and scaled down so the stars' edges are smooth."""
    big = Image.new("RGB", (width * supersample, height * supersample), EU_BLUE)
    draw = ImageDraw.Draw(big)
    unit = big.height
    centre = (big.width / 2, big.height / 2)
    for hour in range(12):
        angle = math.radians(hour * 30)
        x, y = centre[0] + unit / 3 * math.sin(angle), centre[1] - unit / 3 * math.cos(angle)
        draw.polygon(star_points((x, y), unit / 18), fill=EU_YELLOW)
    return big.resize((width, height), Image.Resampling.LANCZOS)


def star_points(centre: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    """A regular five-pointed star, one point straight up, inside a circle of `radius`."""
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(126))
    points = []
    for corner in range(10):
        angle = math.radians(-90 + corner * 36)
        reach = radius if corner % 2 == 0 else inner
        points.append((centre[0] + reach * math.cos(angle), centre[1] + reach * math.sin(angle)))
    return points


def _draw_title(draw: ImageDraw.ImageDraw, title: str, bold: Path, origin: tuple[int, int], width: int,
                height: int) -> None:
    """The title in the largest size that holds it, else in the smallest, cut with an ellipsis."""
    for size, most in TITLE_SIZES:
        font = _font(bold, size)
        lines = wrap(title, font, width)
        if len(lines) <= most:
            break
    else:
        lines = lines[:most - 1] + [_fit(" ".join(lines[most - 1:]), font, width)]
    leading = min(round(size * 1.22), height // len(lines))
    for number, line in enumerate(lines):
        draw.text((origin[0], origin[1] + number * leading), line, font=font, fill=INK)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Words in lines no wider than `width`; a word wider than a line is cut where it must be."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while font.getlength(word) > width:
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    return [*lines, current] if current else lines


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """One line of `text`, ended with an ellipsis at a word (or, failing that, anywhere) if it is too wide."""
    text = " ".join(text.split())
    if font.getlength(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        shortened = " ".join(words).rstrip(",;:.-\u2013\u2014") + ELLIPSIS
        if font.getlength(shortened) <= width:
            return shortened
    return text[:_longest_prefix(text, font, width - font.getlength(ELLIPSIS))] + ELLIPSIS


def _longest_prefix(text: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """How many leading characters of `text` fit in `width` (at least one, so wrapping ends)."""
    count = 1
    while count < len(text) and font.getlength(text[:count + 1]) <= width:
        count += 1
    return count


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
