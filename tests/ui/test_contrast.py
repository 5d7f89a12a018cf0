"""WCAG 2.1 contrast of both themes, computed from the colours in app/ui/theme.py: text 4.5:1
(1.4.3), control outlines and relation lines 3:1 (1.4.11); and a real unchecked check box
painted in the dark theme, whose outline must be visible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QCheckBox, QLineEdit, QStyle, QStyleOptionButton

from app.ui import theme
from app.ui.panels.widgets import level_color, muted_color

TEXT, CONTROL = 4.5, 3.0


def luminance(color: str) -> float:
    """Relative luminance, as WCAG 2.1 defines it (sRGB, linearised)."""
    c = color.lstrip("#")
    out = []
    for i in (0, 2, 4):
        v = int(c[i:i + 2], 16) / 255
        out.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
    return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_application_palette_text_and_controls(scheme):
    p = theme.PALETTES[scheme]
    surfaces = ("window", "base", "alt", "button")
    for surface in surfaces:
        assert contrast(p["text"], p[surface]) >= TEXT, (scheme, "text", surface)
        assert contrast(p["control_border"], p[surface]) >= CONTROL, (scheme, "control_border", surface)
    assert contrast(p["placeholder"], p["base"]) >= TEXT, scheme
    assert contrast(p["highlighted_text"], p["highlight"]) >= TEXT, scheme
    assert contrast(p["link"], p["base"]) >= TEXT and contrast(p["link"], p["window"]) >= TEXT, scheme
    # the palette the app installs is made of these colours
    pal = theme.app_palette(scheme == "dark")
    assert pal.color(QPalette.ColorRole.PlaceholderText).name() == p["placeholder"]
    assert pal.color(QPalette.ColorRole.Highlight).name() == p["highlight"]


@pytest.mark.parametrize("colors", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_canvas_colours(colors):
    name = lambda c: c.name()
    assert contrast(name(colors.text), name(colors.card)) >= TEXT
    assert contrast(name(colors.text_muted), name(colors.card)) >= TEXT
    assert contrast(name(colors.text_muted), name(colors.background)) >= TEXT  # the empty canvas's hint
    assert contrast(name(colors.badge_text), name(colors.badge)) >= TEXT
    for line in ("edge", "edge_hover", "edge_selected", "one_sided", "card_selected", "handle"):
        assert contrast(name(getattr(colors, line)), name(colors.background)) >= CONTROL, line
    for mark in ("error", "warning"):
        assert contrast(name(getattr(colors, mark)), name(colors.card)) >= CONTROL, mark


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_notes_and_muted_text_in_the_panels(dark):
    pal = theme.app_palette(dark)
    window = pal.color(QPalette.ColorRole.Window).name()
    for level in ("error", "warning", "ok", "info"):
        assert contrast(level_color(level, pal), window) >= TEXT, level
    assert contrast(muted_color(pal), window) >= TEXT


def _outline_contrast(widget, rect, background: str) -> float:
    """The best contrast any pixel of `rect`'s border has against `background`."""
    image = widget.grab().toImage()
    best = 1.0
    for x in range(rect.left(), rect.right() + 1):
        for y in (rect.top(), rect.top() + 1, rect.bottom(), rect.bottom() - 1):
            best = max(best, contrast(QColor(image.pixel(QPoint(x, y))).name(), background))
    return best


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_unchecked_check_box_and_a_text_field_are_outlined_at_3_to_1(qtbot, dark):
    style = theme.ContrastStyle(dark)
    pal = theme.app_palette(dark)
    window = pal.color(QPalette.ColorRole.Window).name()
    box = QCheckBox("Bash")
    box.setStyle(style)
    box.setPalette(pal)
    qtbot.addWidget(box)
    box.resize(120, 30)
    box.show()
    qtbot.waitExposed(box)
    opt = QStyleOptionButton()
    box.initStyleOption(opt)
    indicator = style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, box)
    assert _outline_contrast(box, indicator, window) >= CONTROL

    line = QLineEdit()
    line.setStyle(style)
    line.setPalette(pal)
    qtbot.addWidget(line)
    line.resize(160, 28)
    line.show()
    qtbot.waitExposed(line)
    assert _outline_contrast(line, line.rect(), window) >= CONTROL
