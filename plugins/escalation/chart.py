"""A small stacked bar chart as PNG bytes, with no imaging library.

The weekly report's picture: one bar per week, stacked by rule, a legend of rule
ids. PNG is written directly (zlib + CRC, 8-bit RGB); labels use a built-in 5x7
pixel font for the characters rule ids, dates and counts need, so the chart
looks the same on every machine and needs no font files.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

Color = tuple[int, int, int]

WHITE: Color = (255, 255, 255)
INK: Color = (29, 36, 51)
GRID: Color = (213, 218, 227)
PALETTE: tuple[Color, ...] = (
    (66, 133, 244), (234, 67, 53), (251, 188, 5), (52, 168, 83), (171, 71, 188), (0, 172, 193),
    (255, 112, 67), (158, 157, 36), (92, 107, 192), (240, 98, 146), (0, 137, 123), (121, 85, 72),
)

# 5x7 glyphs, rows top to bottom, '#' = ink
_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    "a": ("     ", "     ", " ### ", "    #", " ####", "#   #", " ####"),
    "b": ("#    ", "#    ", "# ## ", "##  #", "#   #", "#   #", "#### "),
    "c": ("     ", "     ", " ### ", "#    ", "#    ", "#   #", " ### "),
    "d": ("    #", "    #", " ## #", "#  ##", "#   #", "#   #", " ####"),
    "e": ("     ", "     ", " ### ", "#   #", "#####", "#    ", " ### "),
    "f": ("  ## ", " #  #", " #   ", "###  ", " #   ", " #   ", " #   "),
    "g": ("     ", " ####", "#   #", "#   #", " ####", "    #", " ### "),
    "h": ("#    ", "#    ", "# ## ", "##  #", "#   #", "#   #", "#   #"),
    "i": ("  #  ", "     ", " ##  ", "  #  ", "  #  ", "  #  ", " ### "),
    "j": ("   # ", "     ", "  ## ", "   # ", "   # ", "#  # ", " ##  "),
    "k": ("#    ", "#    ", "#  # ", "# #  ", "##   ", "# #  ", "#  # "),
    "l": (" ##  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "m": ("     ", "     ", "## # ", "# # #", "# # #", "#   #", "#   #"),
    "n": ("     ", "     ", "# ## ", "##  #", "#   #", "#   #", "#   #"),
    "o": ("     ", "     ", " ### ", "#   #", "#   #", "#   #", " ### "),
    "p": ("     ", "     ", "#### ", "#   #", "#### ", "#    ", "#    "),
    "q": ("     ", "     ", " ## #", "#  ##", " ####", "    #", "    #"),
    "r": ("     ", "     ", "# ## ", "##  #", "#    ", "#    ", "#    "),
    "s": ("     ", "     ", " ####", "#    ", " ### ", "    #", "#### "),
    "t": (" #   ", " #   ", "###  ", " #   ", " #   ", " #  #", "  ## "),
    "u": ("     ", "     ", "#   #", "#   #", "#   #", "#  ##", " ## #"),
    "v": ("     ", "     ", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "w": ("     ", "     ", "#   #", "#   #", "# # #", "# # #", " # # "),
    "x": ("     ", "     ", "#   #", " # # ", "  #  ", " # # ", "#   #"),
    "y": ("     ", "     ", "#   #", "#   #", " ####", "    #", " ### "),
    "z": ("     ", "     ", "#####", "   # ", "  #  ", " #   ", "#####"),
    ".": ("     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "),
    "_": ("     ", "     ", "     ", "     ", "     ", "     ", "#####"),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    ":": ("     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "),
    "/": ("     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     "),
    "(": ("   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # "),
    ")": (" #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   "),
}


class Canvas:
    def __init__(self, width: int, height: int, background: Color = WHITE):
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + w, self.width), min(y + h, self.height)
        if x1 <= x0 or y1 <= y0:
            return
        row = bytes(color) * (x1 - x0)
        for yy in range(y0, y1):
            start = (yy * self.width + x0) * 3
            self.pixels[start:start + len(row)] = row

    def text(self, x: int, y: int, text: str, color: Color = INK, scale: int = 2) -> int:
        """Draw `text` (lower-cased; unknown characters become spaces); returns the width drawn."""
        for index, char in enumerate(text.lower()):
            glyph = _GLYPHS.get(char)
            if glyph is None:
                continue
            for gy, row in enumerate(glyph):
                for gx, cell in enumerate(row):
                    if cell == "#":
                        self.rect(x + (index * 6 + gx) * scale, y + gy * scale, scale, scale, color)
        return len(text) * 6 * scale

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[y * stride:(y + 1) * stride]) for y in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))


def stacked_weeks(title: str, weeks: Sequence[str], series: dict[str, Sequence[int]]) -> bytes:
    """Bars per week (labels `weeks`), stacked by series (rule id -> count per week), as PNG."""
    bar, gap, left, top, plot_h = 56, 36, 24, 56, 220
    legend_x = left + len(weeks) * (bar + gap) + 16
    legend_w = max((len(f"{name} {sum(values)}") for name, values in series.items()), default=10) * 12 + 40
    height = max(top + plot_h + 48, top + 24 * len(series) + 16)
    canvas = Canvas(legend_x + legend_w, height)
    canvas.text(left, 16, title, scale=3)
    totals = [sum(values[i] for values in series.values()) for i in range(len(weeks))]
    peak = max(totals, default=0) or 1
    base = top + plot_h
    canvas.rect(left - 8, base, len(weeks) * (bar + gap), 2, GRID)
    for i, label in enumerate(weeks):
        x = left + i * (bar + gap)
        y = base
        for k, values in enumerate(series.values()):
            h = round(values[i] * (plot_h - 20) / peak)
            if h:
                y -= h
                canvas.rect(x, y, bar, h, PALETTE[k % len(PALETTE)])
        number = str(totals[i])
        canvas.text(x + (bar - len(number) * 12) // 2, y - 18, number)
        canvas.text(x + (bar - len(label) * 12) // 2, base + 10, label)
    for k, (name, values) in enumerate(series.items()):
        y = top + k * 24
        canvas.rect(legend_x, y, 16, 16, PALETTE[k % len(PALETTE)])
        canvas.text(legend_x + 24, y + 1, f"{name} {sum(values)}")
    return canvas.png()
