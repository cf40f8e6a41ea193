#!/usr/bin/env python3
"""The pictures benchmark's sites (BENCHMARKS.md, issue 30): N phone photos, each
in a page bundle that shows it, as a hearth site and as a Hugo site whose
template makes the same three WebP widths at the same quality with `.Resize`.

    benches/pictures.py PHOTOS_DIR OUT_DIR

PHOTOS_DIR: JPEGs (`cd benches/picture-codecs && cargo run --release --bin photos
-- 200 4000 3000 DIR`). Writes OUT_DIR/hearth and OUT_DIR/hugo; the photos are
hard-linked, not copied.
"""
import os
import sys

WIDTHS = [480, 960, 1600]
QUALITY = 80

HUGO_SINGLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>
{{ with .Resources.GetMatch "*.jpg" }}
{{ $a := .Resize "480x webp q80" }}{{ $b := .Resize "960x webp q80" }}{{ $c := .Resize "1600x webp q80" }}
<img src="{{ $b.RelPermalink }}" srcset="{{ $a.RelPermalink }} 480w, {{ $b.RelPermalink }} 960w, {{ $c.RelPermalink }} 1600w" sizes="100vw" width="{{ .Width }}" height="{{ .Height }}" alt="{{ $.Title }}">
{{ end }}
</main></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    photos_dir, out = sys.argv[1], sys.argv[2]
    photos = sorted(p for p in os.listdir(photos_dir) if p.endswith(".jpg"))
    h = os.path.join(out, "hearth")
    write(os.path.join(h, "site.yaml"), f"""title: Photos
base_url: https://example.org/
cards:
  enabled: false
search:
  enabled: false
images:
  widths: {WIDTHS}
  format: webp
  quality: {QUALITY}
""")
    write(os.path.join(h, "content", "_index.md"), "---\ntitle: Photos\n---\nOur meetups.\n")
    g = os.path.join(out, "hugo")
    write(os.path.join(g, "hugo.toml"), 'baseURL = "https://example.org/"\ntitle = "Photos"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n')
    write(os.path.join(g, "layouts", "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(g, "layouts", "_default", "list.html"), HUGO_LIST)
    write(os.path.join(g, "content", "_index.md"), "---\ntitle: Photos\n---\n")
    for i, name in enumerate(photos):
        slug = f"meetup-{i:03}"
        text = f"---\ntitle: Meetup {i}\ndate: 2026-01-01\n---\nWe met.\n\n![Meetup {i}, everyone around the table](photo.jpg)\n"
        for site in (h, g):
            d = os.path.join(site, "content", "gallery", slug)
            write(os.path.join(d, "index.md"), text)
            os.link(os.path.join(photos_dir, name), os.path.join(d, "photo.jpg"))
    print(f"{len(photos)} photos → {h}, {g}")


main()
