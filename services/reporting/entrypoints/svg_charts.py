"""Bar charts as SVG for the PDF, which runs no JavaScript."""

from __future__ import annotations

from markupsafe import Markup, escape


def bars(title: str, items: list[tuple[str, float]], color: str = "#0b5cad", width: int = 480) -> Markup:
    """Horizontal bars, one per item, with the value at the end of each."""
    peak = max([1, *[value for _, value in items]])
    row, label_width = 18, 190
    height = row * len(items) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
        f'<text x="0" y="12" font-size="11" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (name, value) in enumerate(items):
        y = 20 + i * row
        length = (width - label_width - 40) * value / peak
        parts += [
            f'<text x="0" y="{y + 11}" font-size="10">{escape(name[:34])}</text>',
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{row - 5}" fill="{color}"/>',
            f'<text x="{label_width + length + 4:.1f}" y="{y + 11}" font-size="10">{value:g}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
