"""Writes Grantbench's mark in every form a browser asks for, from one drawing.

The mark is three rising bars (funding that grows) on a rounded square. Run from the project
folder after changing the drawing, and commit what it writes:

    .venv/bin/python static/brand/make_icons.py

static/brand/logo.svg        the mark for pages (white square, blue bars: for the blue header)
static/root/favicon.svg      blue square, white bars; served at /favicon.svg
static/root/favicon.ico      16, 32 and 48 pixels; served at /favicon.ico
static/root/apple-touch-icon.png, icon-192.png, icon-512.png   for home screens and the manifest
"""

import json
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = "#1d70b8"
WHITE = "#ffffff"
SIZE = 32  # the drawing's grid
RADIUS = 6
BARS = [(7, 17, 5), (14, 12, 5), (21, 7, 5)]  # x, top y, width; every bar ends at y=25
BOTTOM = 25
STATIC = Path(__file__).resolve().parent.parent


def svg(square: str, bars: str, *, title: str = "Grantbench") -> str:
    rects = "".join(
        f'<rect x="{x}" y="{top}" width="{w}" height="{BOTTOM - top}" fill="{bars}"/>' for x, top, w in BARS
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}">'
        f"<title>{title}</title>"
        f'<rect width="{SIZE}" height="{SIZE}" rx="{RADIUS}" fill="{square}"/>{rects}</svg>\n'
    )


def png(pixels: int, square: str, bars: str, *, full_bleed: bool = False) -> Image.Image:
    """Drawn four times larger and scaled down, so the edges are smooth."""
    scale = pixels * 4 / SIZE
    image = Image.new("RGBA", (pixels * 4, pixels * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    box = [0, 0, pixels * 4 - 1, pixels * 4 - 1]
    if full_bleed:  # home-screen icons: the system rounds the corners itself
        draw.rectangle(box, fill=square)
    else:
        draw.rounded_rectangle(box, radius=RADIUS * scale, fill=square)
    for x, top, width in BARS:
        draw.rectangle([x * scale, top * scale, (x + width) * scale - 1, BOTTOM * scale - 1], fill=bars)
    return image.resize((pixels, pixels), Image.LANCZOS)


def main() -> None:
    root = STATIC / "root"
    root.mkdir(exist_ok=True)
    (STATIC / "brand" / "logo.svg").write_text(svg(WHITE, BLUE))
    (root / "favicon.svg").write_text(svg(BLUE, WHITE))
    png(48, BLUE, WHITE).save(root / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    png(180, BLUE, WHITE, full_bleed=True).save(root / "apple-touch-icon.png")
    for pixels in (192, 512):
        png(pixels, BLUE, WHITE, full_bleed=True).save(root / f"icon-{pixels}.png")
    manifest = {
        "name": "Grantbench",
        "short_name": "Grantbench",
        "icons": [{"src": f"/icon-{p}.png", "type": "image/png", "sizes": f"{p}x{p}"} for p in (192, 512)],
        "theme_color": BLUE,
        "background_color": WHITE,
        "display": "browser",
        "start_url": "/",
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
