"""Draws the built-in plugins' demo hero images: simple abstract shapes, made for this project.

Run `python immunotherapy/therapies/make_demo_images.py` to redraw them into each plugin's
`demo/images/`; the PNGs are committed.
"""

import random
from pathlib import Path

from PIL import Image, ImageDraw

THERAPIES_DIR = Path(__file__).resolve().parent
SIZE = (1200, 630)

# image name: (plugin package, background, shape colours, motif)
DESIGNS = {
    "checkpoint-inhibitors": (
        "checkpoint_inhibitors",
        "#e8f1f8",
        ["#1d5b8f", "#f2a541", "#5aa9a3"],
        "keys",
    ),
    "adoptive-cell-therapy": ("car_t", "#eef6ee", ["#2f7d4a", "#9ccf8a", "#d9534f"], "cells"),
    "cancer-vaccines": ("cancer_vaccines", "#f6f0fa", ["#6b3fa0", "#c9a7e8", "#f2a541"], "shields"),
    "combination-therapies": ("combination", "#fbf3e9", ["#b35c1e", "#1d5b8f", "#5aa9a3"], "rings"),
}


def draw(background: str, colours: list[str], motif: str, seed: int) -> Image.Image:
    rng = random.Random(seed)  # noqa: S311 (repeatable drawings, not secrets)
    image = Image.new("RGB", SIZE, background)
    pen = ImageDraw.Draw(image)
    width, height = SIZE
    for _ in range(18):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(30, 110)
        colour = rng.choice(colours)
        if motif == "keys":
            pen.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=14)
            pen.rectangle((x + r - 6, y - 8, x + r + 2 * r, y + 8), fill=colour)
        elif motif == "cells":
            pen.ellipse((x - r, y - r, x + r, y + r), fill=colour)
            pen.ellipse((x - r // 3, y - r // 3, x + r // 3, y + r // 3), fill=background)
        elif motif == "shields":
            pen.polygon(
                [(x - r, y - r), (x + r, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=colour
            )
        else:
            pen.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=10)
            pen.ellipse((x, y - r, x + 2 * r, y + r), outline=rng.choice(colours), width=10)
    return image.quantize(colors=16)


def main() -> None:
    for seed, (name, (plugin, background, colours, motif)) in enumerate(DESIGNS.items()):
        images = THERAPIES_DIR / plugin / "demo" / "images"
        images.mkdir(parents=True, exist_ok=True)
        draw(background, colours, motif, seed).save(images / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
