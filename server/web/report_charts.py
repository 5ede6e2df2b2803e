"""The reports' charts as inline SVG, drawn here (no script, no CDN): arrivals and served
per hour, and estimated against actual waits. Colours are SVG attributes, not styles,
so the pages' Content-Security-Policy needs no 'unsafe-inline'."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

ISSUED = "#3f7fbf"
SERVED = "#1e7b3a"
ESTIMATED = "#9aa6b4"
ACTUAL = "#b3261e"
INK = "#1b2430"
GRID = "#d6dce4"

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 44


_TOPS = sorted(m * 10 ** k for k in range(10) for m in (1, 2, 4, 5, 8) if m * 10 ** k % 4 == 0)


def _nice_top(value: float) -> float:
    """A round number ≥ value for the top of the y axis; its quarters (the axis has four
    steps) are whole numbers."""
    return next((top for top in _TOPS if top >= value), value)


def _axis(top: float, plot_h: float, label: str) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        text = f"{value:,.0f}".replace(",", ".")
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{text}</text>')
    parts.append(f'<text x="4" y="{TOP - 4}" font-size="11" fill="{INK}">{escape(label)}</text>')
    return parts


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    parts, x = [], LEFT
    for colour, text in items:
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT - 4}" font-size="12" fill="{INK}">'
                     f'{escape(text)}</text>')
        x += 24 + 8 * len(text)
    return parts


def _svg(title: str, body: list[str]) -> Markup:
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
                  f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def paired_bars(title: str, labels: Sequence[str], first: Sequence[float],
                second: Sequence[float], colours: tuple[str, str], legend: tuple[str, str],
                unit: str) -> Markup:
    """Two bars per label (e.g. issued and served per hour)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_top(max([*first, *second, 0]))
    body = _axis(top, plot_h, unit)
    slot = plot_w / max(1, len(labels))
    bar = max(2.0, slot * 0.38)
    for i, label in enumerate(labels):
        x = LEFT + i * slot + slot / 2
        for offset, value, colour in ((-bar, first[i], colours[0]), (0, second[i], colours[1])):
            h = plot_h * value / top
            body.append(f'<rect x="{x + offset:.1f}" y="{TOP + plot_h - h:.1f}" '
                        f'width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                        f'<title>{escape(label)}: {value:g}</title></rect>')
        body.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 14}" text-anchor="middle" '
                    f'font-size="11" fill="{INK}">{escape(label)}</text>')
    body += _legend(list(zip(colours, legend)))
    return _svg(title, body)


def hourly_chart(by_hour: Sequence[dict], title: str, legend: tuple[str, str],
                 unit: str) -> Markup:
    return paired_bars(title, [f"{h['hour']}h" for h in by_hour],
                       [h["issued"] for h in by_hour], [h["served"] for h in by_hour],
                       (ISSUED, SERVED), legend, unit)


def eta_chart(bins: Sequence[dict], title: str, legend: tuple[str, str],
              unit: str) -> Markup:
    """Per band of estimated wait: the mean estimate and the mean actual wait (minutes)."""
    used = [b for b in bins if b["tickets"]]
    labels = [f"{b['from_min']}–{b['to_min']}" if b["to_min"] is not None
              else f"≥{b['from_min']}" for b in used]
    return paired_bars(title, labels, [round(b["estimated_s"] / 60, 1) for b in used],
                       [round(b["actual_s"] / 60, 1) for b in used], (ESTIMATED, ACTUAL),
                       legend, unit)
