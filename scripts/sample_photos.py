#!/usr/bin/env python3
"""Draw the sample inventory's photos (petstore_dev/data/photos/<name>.jpg): flat illustrations written here as
SVG and turned into JPEG by headless Chromium (Playwright, a dev dependency). Nothing is downloaded.

    .venv/bin/python scripts/sample_photos.py     # rewrites the files; the local stack uploads them at start
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "petstore_dev" / "data" / "photos"
WIDTH, HEIGHT = 480, 360


def frame(background: str, accent: str, body: str) -> str:
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 480 360">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="{background}"/><stop offset="1" stop-color="{accent}"/></linearGradient></defs>
  <rect width="480" height="360" fill="url(#bg)"/>
  <circle cx="70" cy="70" r="46" fill="#fff" opacity=".25"/><circle cx="420" cy="300" r="70" fill="#fff" opacity=".18"/>
  {body}
</svg>"""


def eye(x: float, y: float, r: float = 9) -> str:
    return f'<circle cx="{x}" cy="{y}" r="{r}" fill="#2b2118"/><circle cx="{x + r / 3}" cy="{y - r / 3}" r="{r / 3}" fill="#fff"/>'


def fish(color: str, fin: str, background: str = "#bfe6ff", water: str = "#5fb4e8") -> str:
    return frame(background, water, f"""
  <circle cx="120" cy="110" r="10" fill="none" stroke="#fff" stroke-width="3" opacity=".8"/>
  <circle cx="95" cy="150" r="6" fill="none" stroke="#fff" stroke-width="3" opacity=".8"/>
  <path d="M330 180 L420 120 Q400 180 420 240 Z" fill="{fin}"/>
  <ellipse cx="240" cy="180" rx="115" ry="75" fill="{color}"/>
  <path d="M220 110 Q250 60 300 115 Z" fill="{fin}"/><path d="M230 248 Q255 290 290 245 Z" fill="{fin}"/>
  <path d="M200 120 Q220 180 200 240" stroke="#fff" stroke-width="6" fill="none" opacity=".45"/>
  {eye(170, 165, 13)}<path d="M128 195 Q140 205 152 196" stroke="#2b2118" stroke-width="4" fill="none"/>
  <path d="M40 340 Q70 280 60 230 M80 345 Q110 290 95 250" stroke="#3f9a5b" stroke-width="10" fill="none" stroke-linecap="round"/>""")


def bird(color: str, belly: str, background: str = "#fff3c4", ground: str = "#ffd36e") -> str:
    return frame(background, ground, f"""
  <rect x="60" y="292" width="360" height="14" rx="7" fill="#8a5a33"/>
  <ellipse cx="240" cy="200" rx="95" ry="100" fill="{color}"/>
  <ellipse cx="240" cy="225" rx="60" ry="70" fill="{belly}"/>
  <path d="M150 190 Q110 250 170 280 Q200 230 180 190 Z" fill="{color}" stroke="#00000022" stroke-width="3"/>
  <circle cx="240" cy="120" r="62" fill="{color}"/>
  {eye(215, 112, 10)}{eye(265, 112, 10)}
  <path d="M230 132 L250 132 L240 156 Z" fill="#f08a24"/>
  <path d="M215 296 L215 312 M265 296 L265 312" stroke="#f08a24" stroke-width="6" stroke-linecap="round"/>""")


def hamster(color: str, background: str = "#ffe4d1", floor: str = "#f6b98f") -> str:
    return frame(background, floor, f"""
  <ellipse cx="240" cy="235" rx="150" ry="105" fill="{color}"/>
  <ellipse cx="240" cy="262" rx="95" ry="65" fill="#fff6ea"/>
  <circle cx="160" cy="130" r="32" fill="{color}"/><circle cx="160" cy="130" r="18" fill="#f4a7a0"/>
  <circle cx="320" cy="130" r="32" fill="{color}"/><circle cx="320" cy="130" r="18" fill="#f4a7a0"/>
  <circle cx="240" cy="185" r="92" fill="{color}"/>
  {eye(205, 175, 11)}{eye(275, 175, 11)}
  <ellipse cx="175" cy="210" rx="20" ry="12" fill="#f4a7a0" opacity=".7"/><ellipse cx="305" cy="210" rx="20" ry="12" fill="#f4a7a0" opacity=".7"/>
  <ellipse cx="240" cy="205" rx="9" ry="7" fill="#c4615b"/>
  <path d="M240 212 Q230 226 220 220 M240 212 Q250 226 260 220" stroke="#2b2118" stroke-width="3" fill="none"/>""")


def rabbit(color: str, background: str = "#e4f5d8", grass: str = "#9fd67f") -> str:
    return frame(background, grass, f"""
  <ellipse cx="250" cy="265" rx="120" ry="80" fill="{color}"/>
  <ellipse cx="200" cy="85" rx="24" ry="70" fill="{color}" transform="rotate(-12 200 85)"/>
  <ellipse cx="200" cy="85" rx="11" ry="52" fill="#f4b6c2" transform="rotate(-12 200 85)"/>
  <ellipse cx="280" cy="85" rx="24" ry="70" fill="{color}" transform="rotate(14 280 85)"/>
  <ellipse cx="280" cy="85" rx="11" ry="52" fill="#f4b6c2" transform="rotate(14 280 85)"/>
  <circle cx="240" cy="185" r="75" fill="{color}"/>
  {eye(212, 175, 10)}{eye(268, 175, 10)}
  <path d="M232 200 L248 200 L240 210 Z" fill="#e0798c"/>
  <path d="M240 210 Q230 222 222 216 M240 210 Q250 222 258 216" stroke="#2b2118" stroke-width="3" fill="none"/>
  <circle cx="362" cy="262" r="22" fill="#fff"/>""")


def cat(color: str, eyes: str, background: str = "#efe3ff", floor: str = "#cdb5f2") -> str:
    return frame(background, floor, f"""
  <ellipse cx="250" cy="290" rx="130" ry="70" fill="{color}"/>
  <path d="M370 290 Q440 250 410 190" stroke="{color}" stroke-width="24" fill="none" stroke-linecap="round"/>
  <path d="M150 140 L165 40 L225 100 Z" fill="{color}"/><path d="M330 140 L315 40 L255 100 Z" fill="{color}"/>
  <path d="M165 120 L172 65 L205 100 Z" fill="#f4b6c2"/><path d="M315 120 L308 65 L275 100 Z" fill="#f4b6c2"/>
  <circle cx="240" cy="170" r="95" fill="{color}"/>
  <ellipse cx="205" cy="160" rx="16" ry="20" fill="{eyes}"/><ellipse cx="205" cy="162" rx="6" ry="15" fill="#2b2118"/>
  <ellipse cx="275" cy="160" rx="16" ry="20" fill="{eyes}"/><ellipse cx="275" cy="162" rx="6" ry="15" fill="#2b2118"/>
  <path d="M232 195 L248 195 L240 205 Z" fill="#e0798c"/>
  <path d="M240 205 Q230 220 220 214 M240 205 Q250 220 260 214" stroke="#2b2118" stroke-width="3" fill="none"/>
  <path d="M190 200 L125 190 M190 210 L128 218 M290 200 L355 190 M290 210 L352 218" stroke="#2b2118" stroke-width="2" opacity=".6"/>""")


def dog(color: str, ears: str, background: str = "#ffe9cc", floor: str = "#f7c58c") -> str:
    return frame(background, floor, f"""
  <ellipse cx="240" cy="300" rx="140" ry="70" fill="{color}"/>
  <ellipse cx="150" cy="160" rx="38" ry="78" fill="{ears}" transform="rotate(18 150 160)"/>
  <ellipse cx="330" cy="160" rx="38" ry="78" fill="{ears}" transform="rotate(-18 330 160)"/>
  <circle cx="240" cy="160" r="95" fill="{color}"/>
  <ellipse cx="240" cy="205" rx="55" ry="42" fill="#fff3e2"/>
  {eye(205, 145, 12)}{eye(275, 145, 12)}
  <ellipse cx="240" cy="188" rx="20" ry="14" fill="#2b2118"/>
  <path d="M240 202 L240 215 M240 215 Q225 232 212 222 M240 215 Q255 232 268 222" stroke="#2b2118" stroke-width="4" fill="none"/>
  <path d="M228 226 Q240 260 252 226 Z" fill="#e0607e"/>""")


def lizard(color: str, spots: str, background: str = "#fdf0c2", sand: str = "#e8c47a") -> str:
    return frame(background, sand, f"""
  <path d="M120 250 Q60 300 40 240" stroke="{color}" stroke-width="26" fill="none" stroke-linecap="round"/>
  <ellipse cx="230" cy="235" rx="120" ry="55" fill="{color}"/>
  <path d="M170 270 L150 320 M290 270 L310 320 M185 200 L160 160 M280 200 L305 160" stroke="{color}" stroke-width="20" stroke-linecap="round"/>
  <ellipse cx="355" cy="200" rx="65" ry="45" fill="{color}"/>
  <circle cx="200" cy="225" r="12" fill="{spots}"/><circle cx="240" cy="250" r="10" fill="{spots}"/><circle cx="270" cy="220" r="9" fill="{spots}"/>
  {eye(370, 185, 10)}<path d="M395 218 Q405 222 415 214" stroke="#2b2118" stroke-width="3" fill="none"/>""")


PETS = {
    "goldie": fish("#f7931e", "#ffb347"),
    "blaze": fish("#d7263d", "#ff5d73", background="#d6ecff", water="#3b7dd8"),
    "nemo": fish("#ff7b00", "#ffffff", background="#c9f2ef", water="#1fa6a0"),
    "peanut": hamster("#e9b36b"),
    "kiwi": bird("#5cc45c", "#d9f27a"),
    "sunshine": bird("#f5d547", "#fff7c2", background="#ffe9f0", ground="#f7b3c8"),
    "clover": rabbit("#c9a27e"),
    "thumper": rabbit("#8d7b6b", background="#e0f0ff", grass="#a8d38a"),
    "smokey": cat("#8f96a3", "#f2c94c"),
    "luna": cat("#d9c2a3", "#6fb7e9", background="#fff0e6", floor="#f2c6a8"),
    "buddy": dog("#f2b45a", "#d98c2b"),
    "coco": dog("#c8b59a", "#6e5a45", background="#e6f4ff", floor="#a9cdee"),
    "spike": lizard("#d9a441", "#a86f1f"),
}


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for name, svg in PETS.items():
            page.set_content(f'<html><body style="margin:0">{svg}</body></html>')
            (OUT / f"{name}.jpg").write_bytes(page.screenshot(type="jpeg", quality=80, clip={
                "x": 0, "y": 0, "width": WIDTH, "height": HEIGHT}))
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
