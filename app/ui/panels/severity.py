"""Severity marks (error, warning, info) drawn for the problems panel and the relation lists.

Its own module so that the panels and the widgets they are built from both use it without
importing each other.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

SEVERITIES = ("error", "warning", "info")
SEVERITY_WORDS = {"error": "Errors", "warning": "Warnings", "info": "Info"}
SEVERITY_TONES = {"error": "#dc2626", "warning": "#d97706", "info": "#2563eb"}


def severity_icon(severity: str, size: int = 16) -> QIcon:
    """A filled circle (error), triangle (warning) or circle with an i (info), drawn at 2x."""
    pm = QPixmap(size * 2, size * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    tone = QColor(SEVERITY_TONES.get(severity, "#6b7280"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(tone)
    s = float(size)
    if severity == "warning":
        path = QPainterPath()
        path.moveTo(QPointF(s / 2, 1.5))
        path.lineTo(QPointF(s - 1, s - 2))
        path.lineTo(QPointF(1, s - 2))
        path.closeSubpath()
        p.drawPath(path)
    else:
        p.drawEllipse(QPointF(s / 2, s / 2), s / 2 - 1.5, s / 2 - 1.5)
    p.setPen(QPen(QColor("white"), 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    if severity == "info":
        p.drawLine(QPointF(s / 2, s * 0.45), QPointF(s / 2, s * 0.72))
        p.drawPoint(QPointF(s / 2, s * 0.30))
    else:
        top = s * 0.36 if severity == "warning" else s * 0.27
        p.drawLine(QPointF(s / 2, top), QPointF(s / 2, s * 0.58))
        p.drawPoint(QPointF(s / 2, s * (0.76 if severity == "warning" else 0.73)))
    p.end()
    return QIcon(pm)
