#!/usr/bin/env python3
"""Makes the card fonts the default theme bundles beyond Inter: Noto subsets (SIL Open
Font License) for the scripts communities write in, small enough to compile in.

    apt-get install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
    pip install fonttools pillow
    tools/subset_fonts.py            # writes themes/hearth/cards/fonts/Noto*.{otf,ttf}

What is kept:
- Arabic, Hebrew, Devanagari, Thai: each script's whole block (Noto Sans, regular and
  bold), no hinting (cards are drawn at 26-76 px, where hinting does nothing).
- Chinese, Japanese, Korean: the characters their national standards call common
  (GB 2312 level 1, Big5 level 1, JIS X 0208 level 1, the 2,350 Hangul syllables of
  KS X 1001), kana, CJK punctuation and full-width forms, from Noto Sans CJK SC,
  bold only (regular CJK text is drawn bold).
- Emoji: every emoji of Noto Color Emoji with all its sequences (skin tones, flags,
  ZWJ sequences, keycaps: the whole RGI set of the Unicode version the font covers),
  its bitmaps scaled down to 72 px and reduced to a palette (cards draw emoji at
  26-76 px; the 136 px originals would be 22 MB; this is 10.5 MB).
Rarer characters fall back to the site's or theme's cards/fonts/, then to system fonts.
"""
import io
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont, TTCollection

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "themes", "hearth", "cards", "fonts")
NOTO = "/usr/share/fonts/truetype/noto"
CJK = "/usr/share/fonts/opentype/noto"


def codec_chars(codec, first, last, lead_range, trail_range):
    out = set()
    for lead in range(lead_range[0], lead_range[1] + 1):
        for trail in range(trail_range[0], trail_range[1] + 1):
            code = (lead << 8) | trail
            if code < first or code > last:
                continue
            try:
                ch = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                out.add(ord(ch))
    return out


def cjk_common():
    chars = set()
    chars |= codec_chars("gb2312", 0xB0A1, 0xD7F9, (0xB0, 0xD7), (0xA1, 0xFE))  # GB 2312 level 1
    chars |= codec_chars("big5", 0xA440, 0xC67E, (0xA4, 0xC6), (0x40, 0xFE))    # Big5 level 1
    chars |= codec_chars("shift_jis", 0x889F, 0x9872, (0x88, 0x98), (0x40, 0xFC))  # JIS level 1
    chars |= codec_chars("euc_kr", 0xB0A1, 0xC8FE, (0xB0, 0xC8), (0xA1, 0xFE))  # KS X 1001 Hangul
    for lo, hi in [(0x3000, 0x30FF), (0x31F0, 0x31FF), (0xFF00, 0xFFEF), (0x3130, 0x318F), (0x2010, 0x206F)]:
        chars |= set(range(lo, hi + 1))
    return chars


def run_subset(font, unicodes, out, keep_layout=True):
    opts = subset.Options()
    opts.hinting = False
    opts.desubroutinize = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.layout_features = ["*"] if keep_layout else []
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    font.save(out)
    print(f"{os.path.basename(out)}: {os.path.getsize(out) / 1024:.0f} KiB")


def scripts():
    blocks = {
        "Arabic": [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)],
        "Hebrew": [(0x0590, 0x05FF), (0xFB1D, 0xFB4F)],
        "Devanagari": [(0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)],
        "Thai": [(0x0E00, 0x0E7F)],
    }
    common = set(range(0x20, 0x7F)) | {0x200C, 0x200D, 0x25CC, 0x2013, 0x2014, 0x2026}
    for script, ranges in blocks.items():
        chars = set(common)
        for lo, hi in ranges:
            chars |= set(range(lo, hi + 1))
        for weight in ("Regular", "Bold"):
            src = os.path.join(NOTO, f"NotoSans{script}-{weight}.ttf")
            run_subset(TTFont(src), chars, os.path.join(OUT, f"NotoSans{script}-{weight}.ttf"))


def cjk():
    chars = cjk_common()
    # One weight: bold titles are what a card is read by; regular CJK text (a
    # subtitle) is drawn with it too, which saves 3.9 MB of the binary.
    for weight in ("Bold",):
        coll = TTCollection(os.path.join(CJK, f"NotoSansCJK-{weight}.ttc"))
        font = next(f for f in coll.fonts if "SC" in f["name"].getDebugName(1))
        run_subset(font, chars, os.path.join(OUT, f"NotoSansCJKsc-{weight}.otf"))


def emoji(ppem=72):
    from PIL import Image
    src = os.path.join(NOTO, "NotoColorEmoji.ttf")
    font = TTFont(src)
    cmap = font.getBestCmap()
    # Everything but ASCII, which text fonts draw; keycap sequences (1️⃣ #️⃣ *️⃣)
    # start with a digit, # or *, so those stay for the font's ligatures.
    keycap_bases = {0x23, 0x2A} | set(range(0x30, 0x3A))
    unicodes = [u for u in cmap if u > 0x7F or u in keycap_bases]
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    cblc, cbdt = font["CBLC"], font["CBDT"]
    strike = cblc.strikes[0]
    old_ppem = strike.bitmapSizeTable.ppemX
    scale = ppem / old_ppem
    for glyph_name, data in cbdt.strikeData[0].items():
        data.decompile()
        img = Image.open(io.BytesIO(data.imageData))
        w, h = max(1, round(img.width * scale)), max(1, round(img.height * scale))
        img = img.convert("RGBA").resize((w, h), Image.LANCZOS)
        # Emoji are flat art: a 255-colour palette (alpha kept) halves the bytes.
        img = img.quantize(colors=255, method=Image.Quantize.FASTOCTREE)
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=True)
        data.imageData = buf.getvalue()
        m = data.metrics
        m.width, m.height = w, h
        m.BearingX = round(m.BearingX * scale)
        m.BearingY = round(m.BearingY * scale)
        m.Advance = round(m.Advance * scale)
    bst = strike.bitmapSizeTable
    bst.ppemX = bst.ppemY = ppem
    for line in (bst.hori, bst.vert):
        for attr in ("ascender", "descender", "widthMax", "caretSlopeNumerator", "caretSlopeDenominator",
                     "caretOffset", "minOriginSB", "minAdvanceSB", "maxBeforeBL", "minAfterBL"):
            if hasattr(line, attr) and attr.startswith(("asc", "desc", "width", "min", "max")):
                setattr(line, attr, round(getattr(line, attr) * scale))
    out = os.path.join(OUT, "NotoColorEmoji.ttf")
    font.save(out)
    print(f"{os.path.basename(out)}: {os.path.getsize(out) / 1024:.0f} KiB")


if __name__ == "__main__":
    which = sys.argv[1:] or ["scripts", "cjk", "emoji"]
    for name in which:
        globals()[name]()
