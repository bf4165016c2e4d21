"""Bar charts as accessible SVG, drawn at build time for the web pages and the PDFs alike: each
says its values in its description, and the pages put its numbers in a table after it."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from .catalogues import N_


@dataclass(frozen=True)
class ChartShape:
    """A chart's proportions in SVG user units: it is drawn as wide as the text, so a narrower shape
    gives larger letters (a page read on a phone wants that; a printed page does not)."""

    width: int = 600
    label_width: int = 200
    bar_height: int = 16
    gap: int = 6
    font_size: int = 10
    value_width: int = 40  # room after the longest bar for its value
    labels_above: bool = False  # each label on a line of its own over its bar, the whole width for both


PRINTED = ChartShape()
ON_SCREEN = ChartShape(width=380, label_width=150, bar_height=18, gap=6, font_size=12)
# Long labels (a thematic area's name) over their bars, so a phone shows them whole and large.
LABELS_ABOVE = ChartShape(width=380, label_width=0, bar_height=14, gap=8, font_size=12, value_width=60,
                          labels_above=True)

@dataclass(frozen=True)
class Chart:
    """A bar chart as SVG, with the numbers it draws (the table after it says them again)."""

    title: str
    heading: str  # what each bar is: "Month", "Stakeholder group"
    bars: list[tuple[str, float]]
    svg: Markup


def bar_chart(title: str, heading: str, bars: list[tuple[str, float]], shape: ChartShape = PRINTED,
              shown: Callable[[float], str] = str, empty: str = N_("no items")) -> Chart:
    """Horizontal bars, one a row, each labelled with its value as `shown` writes it; `role="img"`
    with a title and a description that says every value (or `empty`), for whoever cannot see it."""
    top = max((value for _, value in bars), default=0) or 1
    above = shape.font_size + 4 if shape.labels_above else 0  # the label's line over the bar
    step = above + shape.bar_height + shape.gap
    height = len(bars) * step + shape.gap
    span = shape.width - shape.label_width - shape.value_width
    baseline = (shape.bar_height + shape.font_size) // 2 - 1  # the text centred on its bar
    rows = []
    for index, (label, value) in enumerate(bars):
        y = shape.gap + index * step + above
        width = round(span * value / top, 1)
        label_at = f'x="0" y="{y - 4}"' if shape.labels_above else \
            f'x="{shape.label_width - 6}" y="{y + baseline}" text-anchor="end"'
        rows.append(f'<text {label_at}>{html.escape(label)}</text>'
                    f'<rect x="{shape.label_width}" y="{y}" width="{width}" height="{shape.bar_height}" fill="#0b2a6f"/>'
                    f'<text x="{shape.label_width + width + 4}" y="{y + baseline}">{html.escape(shown(value))}</text>')
    description = "; ".join(f"{label}: {shown(value)}" for label, value in bars) or empty
    slug = "".join(char for char in title.lower() if char.isalnum())
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {shape.width} {height}" role="img" '
           f'aria-labelledby="{slug}-title {slug}-desc" font-size="{shape.font_size}" font-family="Noto Sans, sans-serif">'
           f'<title id="{slug}-title">{html.escape(title)}</title><desc id="{slug}-desc">{html.escape(description)}</desc>'
           f'{"".join(rows)}</svg>')
    return Chart(title, heading, bars, Markup(svg))
