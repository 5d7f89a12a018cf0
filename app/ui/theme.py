"""Colours, fonts and the application palette.

The app follows the system's light or dark scheme (Qt 6.5+ reports it through QStyleHints);
`AGENT_CANVAS_THEME=light|dark` forces one, which is how screenshots of both are made.
Every text colour here keeps a contrast of at least 4.5:1 against the surface it is drawn on.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

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
    edge=QColor("#94a3b8"),
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


def app_palette(dark: bool) -> QPalette:
    """A Fusion palette in the same family as the canvas colours."""
    p = QPalette()
    if dark:
        window, base, alt, text, button = "#171a21", "#1c2029", "#222733", "#e6e9ef", "#232834"
        mid, dis, hl, hl_text, link = "#3a4150", "#7c8594", "#3b82f6", "#ffffff", "#7cb3ff"
    else:
        window, base, alt, text, button = "#f3f5f8", "#ffffff", "#f6f8fb", "#111827", "#f7f8fa"
        mid, dis, hl, hl_text, link = "#c9ced8", "#8a93a3", "#2563eb", "#ffffff", "#1d4ed8"
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, window), (role.WindowText, text), (role.Base, base), (role.AlternateBase, alt),
        (role.Text, text), (role.Button, button), (role.ButtonText, text), (role.ToolTipBase, base),
        (role.ToolTipText, text), (role.Highlight, hl), (role.HighlightedText, hl_text),
        (role.Link, link), (role.Mid, mid), (role.Midlight, alt), (role.PlaceholderText, dis),
        (role.BrightText, "#ffffff"),
    ):
        p.setColor(r, QColor(c))
    group = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group, r, QColor(dis))
    return p


def apply_app_theme(app) -> None:
    """Fusion with a palette matching the system's light or dark scheme."""
    app.setStyle("Fusion")
    app.setPalette(app_palette(is_dark()))
