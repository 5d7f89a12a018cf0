"""Colours, fonts and the application palette.

The app follows the system's light or dark scheme (Qt 6.5+ reports it through QStyleHints);
`AGENT_CANVAS_THEME=light|dark` forces one, which is how screenshots of both are made.
Every text colour here keeps a contrast of at least 4.5:1 against the surface it is drawn on, and
every control's outline and every relation line at least 3:1 (WCAG 2.1, 1.4.3 and 1.4.11;
tests/ui/test_contrast.py checks both themes). Fusion outlines controls in the window colour
darkened by 40 %, which is about 1.1:1 on a dark window, so `ContrastStyle` redraws the outline
of check boxes, radio buttons and input fields in `control_border`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QPlainTextEdit, QProxyStyle, QStyle, QStyleFactory, QTextEdit

# The eight documented agent colours as Tailwind 500 tones: calm, and readable as a stripe.
AGENT_COLORS: dict[str, str] = {
    "red": "#ef4444",
    "blue": "#3b82f6",
    "green": "#22c55e",
    "yellow": "#eab308",
    "purple": "#a855f7",
    "orange": "#f97316",
    "pink": "#ec4899",
    "cyan": "#06b6d4",
}

# Unknown colour names are hashed onto these muted tones (Tailwind 400/500 greys and dusty hues),
# so every agent still gets a stable stripe and no value is ever dropped.
_MUTED = ["#64748b", "#78716c", "#6b7280", "#71717a", "#7c8a9e", "#8b7e74", "#6d8a7f", "#86778f"]

NEUTRAL_STRIPE = "#94a3b8"  # no colour set


def stripe_color(name: str | None) -> QColor:
    """The stripe colour for an agent's `color` value."""
    if not name or not isinstance(name, str):
        return QColor(NEUTRAL_STRIPE)
    key = name.strip().lower()
    if key in AGENT_COLORS:
        return QColor(AGENT_COLORS[key])
    if QColor.isValidColorName(key) and key.startswith("#"):
        return QColor(key)  # a hex value is the user's explicit choice: honour it
    digest = hashlib.blake2s(key.encode("utf-8"), digest_size=2).digest()
    return QColor(_MUTED[int.from_bytes(digest, "big") % len(_MUTED)])


@dataclass(frozen=True)
class CanvasColors:
    dark: bool
    background: QColor
    grid_dot: QColor
    card: QColor
    card_border: QColor
    card_selected: QColor
    text: QColor
    text_muted: QColor
    badge: QColor
    badge_text: QColor
    edge: QColor
    edge_hover: QColor
    edge_selected: QColor
    one_sided: QColor
    error: QColor
    warning: QColor
    handle: QColor


LIGHT = CanvasColors(
    dark=False,
    background=QColor("#f8fafc"),
    grid_dot=QColor("#cbd5e1"),
    card=QColor("#ffffff"),
    card_border=QColor("#d4d9e1"),
    card_selected=QColor("#2563eb"),
    text=QColor("#0f172a"),        # 17.9:1 on white
    text_muted=QColor("#475569"),  # 7.6:1 on white
    badge=QColor("#eef2f7"),
    badge_text=QColor("#334155"),  # 9.6:1 on the badge
    edge=QColor("#7b8799"),        # 3.5:1 on the background
    edge_hover=QColor("#334155"),
    edge_selected=QColor("#2563eb"),
    one_sided=QColor("#d97706"),
    error=QColor("#dc2626"),
    warning=QColor("#d97706"),
    handle=QColor("#2563eb"),
)

DARK = CanvasColors(
    dark=True,
    background=QColor("#0f1115"),
    grid_dot=QColor("#2a2f3a"),
    card=QColor("#1c2029"),
    card_border=QColor("#323846"),
    card_selected=QColor("#60a5fa"),
    text=QColor("#f1f5f9"),        # 15.1:1 on the card
    text_muted=QColor("#a7b0be"),  # 7.7:1 on the card
    badge=QColor("#2a303c"),
    badge_text=QColor("#d5dbe4"),  # 10.3:1 on the badge
    edge=QColor("#6b7587"),
    edge_hover=QColor("#cbd5e1"),
    edge_selected=QColor("#60a5fa"),
    one_sided=QColor("#f59e0b"),
    error=QColor("#f87171"),
    warning=QColor("#fbbf24"),
    handle=QColor("#60a5fa"),
)


def is_dark() -> bool:
    forced = os.environ.get("AGENT_CANVAS_THEME", "").strip().lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        value = scheme()
        if value == Qt.ColorScheme.Dark:
            return True
        if value == Qt.ColorScheme.Light:
            return False
    # Unknown scheme: judge by the window colour the platform gave us.
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def canvas_colors() -> CanvasColors:
    return DARK if is_dark() else LIGHT


# The application palettes. Placeholder text is text (4.5:1 on the field); disabled text is not
# required to contrast (WCAG exempts inactive controls) and stays quieter than it.
PALETTES: dict[str, dict[str, str]] = {
    "dark": {
        "window": "#171a21", "base": "#1c2029", "alt": "#222733", "text": "#e6e9ef", "button": "#232834",
        "mid": "#3a4150", "disabled": "#7c8594", "placeholder": "#8a93a3", "highlight": "#2563eb",
        "highlighted_text": "#ffffff", "link": "#7cb3ff", "control_border": "#737d8f",
    },
    "light": {
        "window": "#f3f5f8", "base": "#ffffff", "alt": "#f6f8fb", "text": "#111827", "button": "#f7f8fa",
        "mid": "#c9ced8", "disabled": "#8a93a3", "placeholder": "#6b7280", "highlight": "#2563eb",
        "highlighted_text": "#ffffff", "link": "#1d4ed8", "control_border": "#6b7280",
    },
}


class ContrastStyle(QProxyStyle):
    """Fusion, with the outlines of check boxes, radio buttons and text fields in a colour that
    keeps 3:1 against the field and the window (see the module's docstring)."""

    _OUTLINED = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        QStyle.PrimitiveElement.PE_FrameLineEdit,
    )

    def __init__(self, dark: bool):
        super().__init__(QStyleFactory.create("Fusion"))
        self.border = QColor(PALETTES["dark" if dark else "light"]["control_border"])

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        text_box = element == QStyle.PrimitiveElement.PE_Frame and isinstance(widget, (QPlainTextEdit, QTextEdit))
        if element in self._OUTLINED or text_box:
            self._outline(option, painter, round_=element == QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox):
            self._outline(option, painter)

    def _outline(self, option, painter, round_: bool = False) -> None:
        if not option.state & QStyle.StateFlag.State_Enabled:
            return  # inactive controls need no contrast (and should look quieter)
        if option.state & QStyle.StateFlag.State_HasFocus:
            return  # Fusion's focus frame, in the highlight colour, is already clear
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self.border, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if round_:
            painter.drawEllipse(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()


def app_palette(dark: bool) -> QPalette:
    """A Fusion palette in the same family as the canvas colours."""
    p = QPalette()
    colors = PALETTES["dark" if dark else "light"]
    window, base, alt, text, button = (colors[k] for k in ("window", "base", "alt", "text", "button"))
    mid, dis, hl, hl_text, link = (colors[k] for k in ("mid", "disabled", "highlight", "highlighted_text", "link"))
    placeholder = colors["placeholder"]
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, window), (role.WindowText, text), (role.Base, base), (role.AlternateBase, alt),
        (role.Text, text), (role.Button, button), (role.ButtonText, text), (role.ToolTipBase, base),
        (role.ToolTipText, text), (role.Highlight, hl), (role.HighlightedText, hl_text),
        (role.Link, link), (role.Mid, mid), (role.Midlight, alt), (role.PlaceholderText, placeholder),
        (role.BrightText, "#ffffff"),
    ):
        p.setColor(r, QColor(c))
    group = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group, r, QColor(dis))
    return p


def apply_app_theme(app) -> None:
    """Fusion with a palette matching the system's light or dark scheme."""
    dark = is_dark()
    app.setStyle(ContrastStyle(dark))
    app.setPalette(app_palette(dark))
