"""One agent on the canvas: a card drawn from a few display values.

A card owns no team data: the scene hands it a `CardData` snapshot whenever the agent changes.
Painting is cached per card in device coordinates (so it stays crisp at any zoom and a repaint of
a still card is a pixmap blit), and drops to a plain shape when zoomed far out.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem

from app.ui import theme

CARD_W = 240.0
CARD_H = 84.0
RADIUS = 8.0
STRIPE = 6.0
PAD_L = STRIPE + 12.0
PAD_R = 14.0
HANDLE_R = 6.0
GRID = 8.0
LOD_PLAIN = 0.2  # below this scale a card is a coloured shape without text
# Below LOD_NAME a card shows only its name, in letters big enough to read. Full detail stays down
# to the zoom where the description (13 px) is still about 7 px on screen and the badges 6.5 px:
# zoom to fit shows a dozen agents in a laptop window with every model, tool count and description.
LOD_NAME = 0.53
SCREEN_NAME_PX = 12.5  # the name's size on screen in the name-only level
# Rows of the detailed card (y of the top, height): name, description, badges; 84 px in all.
NAME_ROW = (9.0, 21.0)
DESC_ROW = (31.0, 19.0)
BADGE_TOP, BADGE_H = 55.0, 20.0


@dataclass(frozen=True)
class CardData:
    name: str
    description: str = ""
    model: str = "inherit"
    tools: str = "all tools"
    color: str | None = None
    problems: int = 0
    severity: str | None = None  # "error" | "warning" | None
    pinned: bool = False
    invalid: bool = False  # the file's YAML is invalid: read-only until repaired
    overridden: str | None = None  # the file of a definition Claude Code uses instead (greyed)


def _fonts() -> tuple[QFont, QFont, QFont]:
    name = QFont()
    name.setPixelSize(15)
    name.setWeight(QFont.Weight.DemiBold)
    desc = QFont()
    desc.setPixelSize(13)
    badge = QFont()
    badge.setPixelSize(12)
    badge.setWeight(QFont.Weight.Medium)
    return name, desc, badge


class _Style:
    """Fonts, metrics and shared paths, built once per theme instead of once per card."""

    def __init__(self) -> None:
        self.colors = theme.canvas_colors()
        self.name_font, self.desc_font, self.badge_font = _fonts()
        self.name_fm = QFontMetricsF(self.name_font)
        self.desc_fm = QFontMetricsF(self.desc_font)
        self.badge_fm = QFontMetricsF(self.badge_font)
        body = QPainterPath()
        body.addRoundedRect(QRectF(0, 0, CARD_W, CARD_H), RADIUS, RADIUS)
        self.body = body
        band = QPainterPath()
        band.addRect(QRectF(0, 0, STRIPE, CARD_H))
        self.stripe = body.intersected(band)
        # The link handle sticks out of the right edge; it must still count as the card.
        grab = QPainterPath(body)
        grab.addEllipse(QPointF(CARD_W, CARD_H / 2), HANDLE_R + 4, HANDLE_R + 4)
        self.shape = grab.simplified()
        self.badges: dict[str, tuple[str, float]] = {}
        self.big_fonts: dict[int, QFont] = {}


_style: _Style | None = None


def style() -> _Style:
    global _style
    if _style is None:
        _style = _Style()
    return _style


def reset_style() -> None:
    """Forget the cached style (after the palette changes)."""
    global _style
    _style = None


class CardItem(QGraphicsItem):
    # PySide6's stubs leave out UserType (an anonymous C++ enum); at run time it is the int 65536.
    Type = QGraphicsItem.UserType + 1  # type: ignore[attr-defined]

    def __init__(self, data: CardData):
        super().__init__()
        self.agent_name = data.name
        self._data = data
        self._hover = False
        self._handle_hover = False
        self._drop_target = False
        self._layout: tuple | None = None
        self.edges: list = []  # the Edges touching this card; the scene keeps it current
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._relayout()

    # -- data -----------------------------------------------------------------------------------
    def type(self) -> int:
        return CardItem.Type

    @property
    def data_(self) -> CardData:
        return self._data

    def set_data(self, data: CardData) -> None:
        if data == self._data:
            return
        self._data = data
        self.agent_name = data.name
        self._relayout()
        self.update()

    def set_drop_target(self, on: bool) -> None:
        if on != self._drop_target:
            self._drop_target = on
            self.update()

    def _relayout(self) -> None:
        """Texts are elided at the first detailed paint after a change: a zoomed-out team of
        thousands never pays for text it does not show."""
        self._layout = None

    def _text_layout(self) -> tuple:
        if self._layout is not None:
            return self._layout
        s = style()
        d = self._data
        text_w = CARD_W - PAD_L - PAD_R
        name_w = text_w - (26.0 if d.problems else 0.0) - (16.0 if d.pinned else 0.0)
        name = s.name_fm.elidedText(d.name, Qt.TextElideMode.ElideRight, name_w)
        desc_src = "Invalid YAML — select to repair" if d.invalid else \
            f"Overridden by {d.overridden}" if d.overridden else " ".join(d.description.split())
        elide = Qt.TextElideMode.ElideMiddle if d.overridden else Qt.TextElideMode.ElideRight  # keep the file
        desc = s.desc_fm.elidedText(desc_src or "No description", elide, text_w)
        badges = []
        x = PAD_L
        for label in (d.model, d.tools):
            known = s.badges.get(label)
            if known is None:  # a handful of distinct labels in a whole team: measure each once
                elided = s.badge_fm.elidedText(label, Qt.TextElideMode.ElideRight, 96)
                known = s.badges[label] = (elided, s.badge_fm.horizontalAdvance(elided) + 16)
            label, w = known
            badges.append((QRectF(x, BADGE_TOP, w, BADGE_H), label))
            x += w + 6
        self._layout = (name, desc, badges, not desc_src)
        return self._layout

    def tooltip(self) -> str:
        """Asked for by the scene when the mouse rests (not stored: thousands of cards)."""
        d = self._data
        lines = [d.name]
        if d.problems:
            lines.append(f"{d.problems} problem{'s' if d.problems != 1 else ''} — see the Problems panel")
        if d.pinned:
            lines.append("Pinned: auto-layout leaves it in place")
        if d.overridden:
            lines.append(f"Overridden by {d.overridden}: Claude Code uses that definition, not this one")
        return "\n".join(lines)

    # -- geometry -------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-2, -2, CARD_W + HANDLE_R + 8, CARD_H + 4)

    def shape(self) -> QPainterPath:
        return style().shape

    def handle_center(self) -> QPointF:
        return QPointF(CARD_W, CARD_H / 2)

    def on_handle(self, pos: QPointF) -> bool:
        c = self.handle_center()
        return (pos.x() - c.x()) ** 2 + (pos.y() - c.y()) ** 2 <= (HANDLE_R + 4) ** 2

    def center(self) -> QPointF:
        return self.pos() + QPointF(CARD_W / 2, CARD_H / 2)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            scene = self.scene()
            if scene is not None and getattr(scene, "snapping", False):
                return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        elif change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            scene = self.scene()
            if scene is not None and hasattr(scene, "card_moved"):
                scene.card_moved(self)
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(1 if value else 0)
        return super().itemChange(change, value)

    # -- interaction ----------------------------------------------------------------------------
    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self._handle_hover = self.on_handle(event.pos())
        self.update()
        scene = self.scene()
        if scene is not None and hasattr(scene, "hover_card"):
            scene.hover_card(self)

    def hoverMoveEvent(self, event) -> None:
        on = self.on_handle(event.pos())
        if on != self._handle_hover:
            self._handle_hover = on
            self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
            self.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self._handle_hover = False
        self.unsetCursor()
        self.update()
        scene = self.scene()
        if scene is not None and hasattr(scene, "hover_card"):
            scene.hover_card(None)

    def mousePressEvent(self, event) -> None:
        scene = self.scene()
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.on_handle(event.pos())
            and scene is not None
            and hasattr(scene, "begin_link")
        ):
            scene.begin_link(self, event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        scene = self.scene()
        # Only the canvas scene links (a plain QGraphicsScene has neither attribute); hasattr is
        # what tells the type checker so.
        if scene is not None and getattr(scene, "linking", False) and hasattr(scene, "update_link"):
            scene.update_link(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        scene = self.scene()
        if scene is not None and getattr(scene, "linking", False) and hasattr(scene, "finish_link"):
            scene.finish_link(event.scenePos(), event.modifiers())
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        scene = self.scene()
        if scene is not None and hasattr(scene, "controller"):
            scene.controller.show_field(self.agent_name, "name")
        event.accept()

    # -- painting -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        self._paint_card(painter, option)
        if self._data.overridden:  # greyed: a veil of the canvas's colour over the whole card
            veil = QColor(style().colors.background)
            veil.setAlphaF(0.55)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(veil)
            painter.drawPath(style().body)

    def _paint_card(self, painter: QPainter, option: QStyleOptionGraphicsItem) -> None:
        s = style()
        c = s.colors
        d = self._data
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        stripe = theme.stripe_color(d.color)

        if lod < LOD_PLAIN:
            # Far out: shape and colour are all that can be seen; text would only cost time.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.card_selected if selected else c.card_border)
            painter.drawRect(QRectF(0, 0, CARD_W, CARD_H))
            painter.setBrush(c.card)
            painter.drawRect(QRectF(4, 4, CARD_W - 8, CARD_H - 8) if selected else QRectF(2, 2, CARD_W - 4,
                                                                                          CARD_H - 4))
            painter.setBrush(stripe)
            painter.drawRect(QRectF(0, 0, 16, CARD_H))
            if d.problems:
                painter.setBrush(c.error if d.severity == "error" else c.warning)
                painter.drawEllipse(QPointF(CARD_W - 22, 22), 12, 12)
            return

        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        # body
        if selected or self._drop_target:
            border = QPen(c.card_selected, 2.0)
        elif self._hover:
            border = QPen(c.edge_hover if not c.dark else c.text_muted, 1.0)
        else:
            border = QPen(c.card_border, 1.0)
        painter.setPen(border)
        painter.setBrush(c.card)
        painter.drawPath(s.body)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(stripe)
        painter.drawPath(s.stripe)

        if lod < LOD_NAME:
            self._paint_name_only(painter, lod)
            return

        name, desc, badges, placeholder = self._text_layout()
        # name
        painter.setFont(s.name_font)
        painter.setPen(c.text)
        painter.drawText(QRectF(PAD_L, NAME_ROW[0], CARD_W - PAD_L - PAD_R, NAME_ROW[1]),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        # description
        painter.setFont(s.desc_font)
        painter.setPen(c.error if d.invalid else c.text_muted)
        if placeholder:
            f = QFont(s.desc_font)
            f.setItalic(True)
            painter.setFont(f)
        painter.drawText(QRectF(PAD_L, DESC_ROW[0], CARD_W - PAD_L - PAD_R, DESC_ROW[1]),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, desc)
        # badges
        painter.setFont(s.badge_font)
        for rect, label in badges:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.badge)
            painter.drawRoundedRect(rect, BADGE_H / 2, BADGE_H / 2)
            painter.setPen(c.badge_text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        # problems: a dot and a count, top right
        right = CARD_W - PAD_R
        if d.problems:
            col = c.error if d.severity == "error" else c.warning
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(col)
            painter.drawEllipse(QPointF(right - 3, NAME_ROW[0] + NAME_ROW[1] / 2), 4, 4)
            painter.setPen(col)
            painter.drawText(QRectF(right - 30, NAME_ROW[0], 20, NAME_ROW[1]),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(d.problems))
            right -= 30
        if d.pinned:
            self._paint_pin(painter, QPointF(right - 6, NAME_ROW[0] + NAME_ROW[1] / 2 - 2), c.text_muted)
        # link handle, shown while hovered
        if self._hover:
            painter.setPen(QPen(c.card, 2.0))
            painter.setBrush(QBrush(c.handle if self._handle_hover else c.card_border))
            r = HANDLE_R if self._handle_hover else HANDLE_R - 1.5
            painter.drawEllipse(self.handle_center(), r, r)

    def _paint_name_only(self, painter: QPainter, lod: float) -> None:
        """Zoomed out: the whole team is on screen, so the name is what matters. Every card's name
        is drawn at one size for the zoom (about SCREEN_NAME_PX on screen, small enough that two
        lines fit a card), broken at the hyphen nearest the middle when it is too long for one
        line and shortened with "…" when still too long; the tooltip has the full name."""
        s = style()
        c = s.colors
        d = self._data
        px = overview_name_px(lod)
        font = self._big_font(px)
        fm = QFontMetricsF(font)
        right = CARD_W - PAD_R - (px * 0.6 if d.problems else 0)
        avail = right - PAD_L
        lines = name_lines(d.name, fm.horizontalAdvance, avail)
        lines = [fm.elidedText(line, Qt.TextElideMode.ElideRight, avail) for line in lines]
        painter.setFont(font)
        painter.setPen(c.text)
        line_h = fm.height()
        top = (CARD_H - line_h * len(lines)) / 2
        for i, line in enumerate(lines):
            painter.drawText(QRectF(PAD_L, top + i * line_h, avail, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        if d.problems:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.error if d.severity == "error" else c.warning)
            r = max(4.0, px / 4)
            painter.drawEllipse(QPointF(CARD_W - PAD_R - r, CARD_H / 2), r, r)

    @staticmethod
    def _big_font(px: int) -> QFont:
        return big_font(px)

    @staticmethod
    def _paint_pin(painter: QPainter, at: QPointF, color: QColor) -> None:
        painter.setPen(QPen(color, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(at + QPointF(0, 1), at + QPointF(0, 7))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(at + QPointF(0, -2), 3.5, 3.5)


def big_font(px: int) -> QFont:
    fonts = style().big_fonts
    font = fonts.get(px)
    if font is None:
        font = fonts[px] = QFont(style().name_font)
        font.setPixelSize(px)
    return font


def overview_name_px(lod: float) -> int:
    """The one pixel size (in card units) of every name at this zoom when zoomed out: about
    SCREEN_NAME_PX on screen, at most what lets two lines fit a card's height."""
    wanted = max(14, min(40, round(SCREEN_NAME_PX / max(lod, 0.01))))
    fitted = _FITTED.get(wanted)
    if fitted is None:
        px = wanted
        while px > 12 and QFontMetricsF(big_font(px)).height() * 2 > CARD_H - 8:
            px -= 1
        fitted = _FITTED[wanted] = px
    return fitted


_FITTED: dict[int, int] = {}  # wanted size → the size that fits two lines (one font for all themes)


def name_lines(name: str, width, avail: float) -> list[str]:
    """The name on one line, or on two broken at the hyphen nearest the middle when one line is
    wider than `avail` (`width`: text → its width)."""
    if width(name) <= avail:
        return [name]
    cuts = [i for i, ch in enumerate(name) if ch == "-" and 0 < i < len(name) - 1]
    if not cuts:
        return [name]
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return [name[: cut + 1], name[cut + 1:]]
