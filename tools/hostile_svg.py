#!/usr/bin/env python3
"""Writes tests/fixtures/hostile-svg/: SVG avatars a hostile contributor could send,
each small, each asking for unbounded work or reaching outside the picture. The
test `tests/suite/trust_limits.rs::every_hostile_svg_is_drawn_or_refused_in_time` builds
each as a member's avatar (cards on); SECURITY.md has the table.

    tools/hostile_svg.py
"""
import gzip
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "hostile-svg")
HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">'


def svg(body, head=HEAD):
    return head + body + "</svg>"


def chained_masks(n):
    defs = "".join(
        f'<mask id="m{i}"><rect width="100" height="100" fill="white"'
        + (f' mask="url(#m{i-1})"' if i else "") + "/></mask>"
        for i in range(n))
    return svg(f'<defs>{defs}</defs><rect width="100" height="100" fill="red" mask="url(#m{n-1})"/>')


def chained(tag, attr, n, inner='<rect width="100" height="100"/>'):
    defs = "".join(
        f'<{tag} id="c{i}"><rect width="100" height="100"' + (f' {attr}="url(#c{i-1})"' if i else "") + f"/></{tag}>"
        for i in range(n))
    return svg(f'<defs>{defs}</defs><rect width="100" height="100" {attr}="url(#c{n-1})"/>')


def use_bomb(levels, fan):
    body = '<g id="l0"><rect width="1" height="1"/></g>'
    for i in range(1, levels):
        body += f'<g id="l{i}">' + f'<use href="#l{i-1}"/>' * fan + "</g>"
    return svg(f'<defs>{body}</defs><use href="#l{levels-1}"/>')


def filt(primitives, region='x="-1000000" y="-1000000" width="2000000" height="2000000"', units="userSpaceOnUse"):
    return svg(f'<filter id="f" filterUnits="{units}" {region}>{primitives}</filter>'
               '<rect width="100" height="100" fill="blue" filter="url(#f)"/>')


CASES = {
    "masks-chained-8": chained_masks(8),
    "masks-chained-22": chained_masks(22),
    "masks-chained-40": chained_masks(40),
    "clip-paths-chained-30": chained("clipPath", "clip-path", 30),
    "patterns-nested-12": svg("<defs>" + "".join(
        f'<pattern id="p{i}" width="10" height="10" patternUnits="userSpaceOnUse"><rect width="10" height="10" fill="'
        + (f'url(#p{i-1})' if i else "red") + '"/></pattern>' for i in range(12))
        + '</defs><rect width="100" height="100" fill="url(#p11)"/>'),
    "pattern-self": svg('<defs><pattern id="p" width="10" height="10" patternUnits="userSpaceOnUse">'
                        '<rect width="10" height="10" fill="url(#p)"/></pattern></defs><rect width="100" height="100" fill="url(#p)"/>'),
    "markers-chained-10": svg("<defs>" + "".join(
        f'<marker id="k{i}" markerWidth="10" markerHeight="10"><path d="M0 0L5 5L9 1" stroke="black"'
        + (f' marker-mid="url(#k{i-1})"' if i else "") + "/></marker>" for i in range(10))
        + '</defs><path d="M0 0L10 10L20 0L30 10" stroke="black" marker-mid="url(#k9)"/>'),
    "use-bomb-5x10": use_bomb(6, 10),
    "use-bomb-8x4": use_bomb(9, 4),
    "use-cycle": svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'),
    "morphology-huge-region": filt('<feMorphology operator="dilate" radius="500"/>'),
    "morphology-huge-radius": filt('<feMorphology radius="1000000"/>', region='x="0" y="0" width="100" height="100"'),
    "blur-huge-region": filt('<feGaussianBlur stdDeviation="100000"/>'),
    "turbulence-octaves": filt('<feTurbulence baseFrequency="0.9" numOctaves="1000000"/>'),
    "convolve-big-kernel": filt('<feConvolveMatrix order="300" kernelMatrix="' + " ".join(["1"] * 90000) + '"/>',
                                region='x="0" y="0" width="100" height="100"'),
    "lighting-huge": filt('<feDiffuseLighting surfaceScale="1000"><feDistantLight azimuth="45"/></feDiffuseLighting>'),
    "filter-many-primitives": filt('<feGaussianBlur stdDeviation="5"/>' * 2000, region='x="-10" y="-10" width="120" height="120"'),
    "filters-on-many-elements": svg('<filter id="f"><feGaussianBlur stdDeviation="20"/></filter>'
                                    + '<rect width="100" height="100" filter="url(#f)"/>' * 3000),
    "feimage-recursion": svg('<filter id="f"><feImage href="#r"/></filter><rect id="r" width="100" height="100" filter="url(#f)"/>'),
    "nested-svg-deep": svg('<svg width="100" height="100">' * 300 + '<rect width="10" height="10"/>' + "</svg>" * 300),
    "groups-deep": svg("<g>" * 5000 + '<rect width="10" height="10"/>' + "</g>" * 5000),
    "viewbox-huge": svg('<rect width="1e9" height="1e9"/>', head=HEAD.replace('width="100" height="100"', 'width="100" height="100" viewBox="0 0 1e-9 1e-9"')),
    "canvas-huge": svg('<rect width="10" height="10"/>', head=HEAD.replace('width="100" height="100"', 'width="1000000" height="1000000"')),
    "stroke-dashes-tiny": svg('<path d="M0 0L100000000 0" stroke="black" stroke-dasharray="0.0001 0.0001"/>'),
    "stroke-huge": svg('<circle r="1e30" stroke="black" stroke-width="1e30"/>'),
    "gradient-many-stops": svg('<linearGradient id="g">' + '<stop offset="0.5" stop-color="red"/>' * 5000
                               + '</linearGradient><rect width="100" height="100" fill="url(#g)"/>'),
    "path-many-commands": svg('<path d="M0 0' + "L1 1L0 0" * 20000 + '"/>'),
    "text-huge-font": svg('<text font-size="1e9" y="50">' + "W" * 1000 + "</text>"),
    "entities-billion-laughs": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98+i)} "' + f"&{chr(97+i)};" * 10 + '">' for i in range(9))
        + ']>' + svg("<text>&j;</text>"),
    "entity-external-file": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + svg("<text>&x;</text>"),
    "image-file-path": svg('<image href="file:///etc/passwd" width="100" height="100"/><image href="/etc/hostname" width="10" height="10"/>'),
    "image-remote": svg('<image href="http://169.254.169.254/latest/meta-data/" width="100" height="100"/>'),
    "script-and-handlers": svg('<script>alert(1)</script><rect width="10" height="10" onload="alert(2)"/><a href="javascript:alert(3)"><rect width="5" height="5"/></a>'),
    "foreign-object": svg('<foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example/"/></div></foreignObject>'),
    "css-import": svg('<style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/#x) }</style><rect width="10" height="10"/>'),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, text in CASES.items():
        with open(os.path.join(OUT, name + ".svg"), "w") as f:
            f.write(text)
    # A gzip bomb: a small .svgz that expands to gigabytes of whitespace.
    with gzip.open(os.path.join(OUT, "gzip-bomb.svg"), "wb", compresslevel=9) as f:
        f.write(HEAD.encode())
        chunk = b" " * (1 << 20)
        for _ in range(64):
            f.write(chunk)
        f.write(b"</svg>")
    print(f"{len(CASES) + 1} files in {OUT}")


if __name__ == "__main__":
    main()
