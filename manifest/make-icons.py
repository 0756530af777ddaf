#!/usr/bin/env python3
"""Draws the BossTalk add-in icons (our own design: a calendar page with two speech dots).

Pure standard library (zlib + struct PNG writer) so it runs on any machine without Pillow.
Run from the repository root:  python3 manifest/make-icons.py
Outputs:
  src/BossTalkCalendar.Api/wwwroot/assets/icon-{16,32,64,80,128}.png  ribbon / store icons (XML + unified)
  manifest/color.png    192x192 full-colour icon for the unified manifest's app package
  manifest/outline.png  32x32 white-on-transparent outline icon for the unified manifest's app package
"""
import os
import struct
import zlib

ACCENT = (15, 108, 92)      # deep teal: header band and colour icon background
PAGE = (255, 255, 255)
INK = (36, 36, 36)
BUBBLE = (242, 169, 0)      # warm amber: the "talk" dot
SAMPLES = 4                 # 4x4 supersampling gives smooth edges at 16 px


def rounded_rect(x0, y0, x1, y1, r):
    def inside(x, y):
        if x < x0 or x > x1 or y < y0 or y > y1:
            return False
        cx = min(max(x, x0 + r), x1 - r)
        cy = min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    return inside


def circle(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def render(size, layers):
    """layers: list of (shape(x,y in 0..1), rgb, alpha) painted in order over transparency."""
    rows = []
    step = 1.0 / (size * SAMPLES)
    for py in range(size):
        row = bytearray([0])  # filter type 0
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]  # premultiplied rgb + alpha
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    y = (py * SAMPLES + sy + 0.5) * step
                    r = g = b = a = 0.0
                    for shape, rgb, alpha in layers:
                        if shape(x, y):
                            r = rgb[0] * alpha + r * (1 - alpha)
                            g = rgb[1] * alpha + g * (1 - alpha)
                            b = rgb[2] * alpha + b * (1 - alpha)
                            a = alpha + a * (1 - alpha)
                    acc[0] += r
                    acc[1] += g
                    acc[2] += b
                    acc[3] += a
            n = SAMPLES * SAMPLES
            a = acc[3] / n
            if a > 0:
                row += bytes([round(acc[0] / n / a), round(acc[1] / n / a), round(acc[2] / n / a), round(a * 255)])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    return rows


def write_png(path, size, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def calendar_layers(page_rgb, band_rgb, ink_rgb, dot_rgb):
    """Calendar page: header band, two binder rings, a 3x2 grid of day cells, one highlighted."""
    layers = [
        (rounded_rect(0.08, 0.14, 0.92, 0.92, 0.10), page_rgb, 1.0),
        (lambda x, y: rounded_rect(0.08, 0.14, 0.92, 0.92, 0.10)(x, y) and y <= 0.36, band_rgb, 1.0),
        (rounded_rect(0.26, 0.06, 0.36, 0.24, 0.04), ink_rgb, 1.0),
        (rounded_rect(0.64, 0.06, 0.74, 0.24, 0.04), ink_rgb, 1.0),
    ]
    for row, top in enumerate((0.46, 0.68)):
        for col, left in enumerate((0.20, 0.44, 0.68)):
            colour = dot_rgb if (row, col) == (1, 2) else ink_rgb
            layers.append((rounded_rect(left, top, left + 0.13, top + 0.13, 0.03), colour, 1.0))
    return layers


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assets = os.path.join(root, "src", "BossTalkCalendar.Api", "wwwroot", "assets")
    os.makedirs(assets, exist_ok=True)

    ribbon = calendar_layers(PAGE, ACCENT, INK, BUBBLE)
    for size in (16, 32, 64, 80, 128):
        write_png(os.path.join(assets, f"icon-{size}.png"), size, render(size, ribbon))

    # Colour icon: the calendar on a full teal tile (Teams/M365 colour icons fill their square).
    tile = [(rounded_rect(0.0, 0.0, 1.0, 1.0, 0.18), ACCENT, 1.0)]
    shrink = 0.62
    off = (1 - shrink) / 2
    for shape, rgb, alpha in calendar_layers(PAGE, BUBBLE, INK, ACCENT):
        tile.append(((lambda s: lambda x, y: s((x - off) / shrink, (y - off) / shrink))(shape), rgb, alpha))
    write_png(os.path.join(root, "manifest", "color.png"), 192, render(192, tile))

    # Outline icon: white strokes only on transparency, as the unified manifest requires.
    white = (255, 255, 255)
    outer = rounded_rect(0.08, 0.14, 0.92, 0.92, 0.10)
    inner = rounded_rect(0.16, 0.22, 0.84, 0.84, 0.06)
    outline = [
        (lambda x, y: outer(x, y) and not inner(x, y), white, 1.0),
        (lambda x, y: 0.16 <= x <= 0.84 and 0.33 <= y <= 0.39, white, 1.0),
        (rounded_rect(0.26, 0.05, 0.36, 0.24, 0.04), white, 1.0),
        (rounded_rect(0.64, 0.05, 0.74, 0.24, 0.04), white, 1.0),
        (rounded_rect(0.56, 0.56, 0.74, 0.74, 0.04), white, 1.0),
    ]
    write_png(os.path.join(root, "manifest", "outline.png"), 32, render(32, outline))


if __name__ == "__main__":
    main()
