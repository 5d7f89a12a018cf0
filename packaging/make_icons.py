"""Render resources/icons/agent-canvas.svg into every icon file the three systems want.

    .venv/bin/python packaging/make_icons.py

writes resources/icons/png/agent-canvas-<N>.png for N in SIZES (Linux hicolor, window icons),
resources/icons/agent-canvas.ico (Windows: 16…256, PNG-compressed entries, Vista and later) and
resources/icons/agent-canvas.icns (macOS: ic11…ic14, ic07…ic10 PNG entries plus a TOC, the set
`iconutil` writes). Qt's SVG renderer draws the PNGs; the two containers are simple enough to
write by hand, so packaging needs no imaging library.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "agent-canvas.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL = 24  # at this size and below, elements of class "detail" (the text lines) are left out
# OSType -> pixel size, as iconutil writes them (the @2x types are listed for their pixel size).
ICNS_TYPES = (
    (b"ic11", 32),  # 16x16@2x
    (b"ic12", 64),  # 32x32@2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128x128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256x256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512x512@2x
)


def svg_for(size: int) -> bytes:
    text = SVG.read_text(encoding="utf-8")
    if size <= SMALL:
        text = re.sub(r'\s*<[^>]*class="detail"[^>]*/>', "", text)
    return text.encode("utf-8")


def render_png(svg: bytes, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buf, "PNG")
    buf.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size + the PNG payloads (width/height 0 means 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for s in sizes:
        data = pngs[s]
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        payload += data
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """'icns' + total length, a 'TOC ' element, then one element per type: OSType + length + PNG."""
    elements = [(ostype, pngs[size]) for ostype, size in ICNS_TYPES]
    toc = b"".join(ostype + struct.pack(">I", 8 + len(data)) for ostype, data in elements)
    body = b"TOC " + struct.pack(">I", 8 + len(toc)) + toc
    body += b"".join(ostype + struct.pack(">I", 8 + len(data)) + data for ostype, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    pngs = {size: render_png(svg_for(size), size) for size in SIZES}
    out = ICONS / "png"
    out.mkdir(parents=True, exist_ok=True)
    for size, data in pngs.items():
        (out / f"agent-canvas-{size}.png").write_bytes(data)
    (ICONS / "agent-canvas.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "agent-canvas.icns").write_bytes(icns_bytes(pngs))
    for path in sorted(ICONS.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
