//! SPEC §6, pictures: variants, avatars' crops, metadata gone, alt text.

use std::path::Path;

use crate::common::photos::{gif_with_comment, phone_jpeg, png_with_text, SECRETS};
use crate::common::site::TestSite;

/// A picture without alt text is a warning at its line, in a page and in a bio;
/// `--strict` makes it an error.
#[test]
fn a_picture_without_alt_text_is_a_warning_at_its_line() {
    let site = TestSite::minimal()
        .file(
            "content/porto.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .page(
            "meetup",
            "title: The meetup",
            "We met.\n\n![](porto.svg)\n\n![The table, full of laptops](porto.svg)\n",
        )
        .member("ada", "name: Ada", "Ada.\n\n![ ](../content/porto.svg)\n");
    let out = site.build();
    out.succeeds().says(&[
        "hearth::missing-alt",
        "this picture has no alt text",
        "content/meetup.md:6:1",
        "members/ada.md",
    ]);
    assert_eq!(
        out.run.stderr.matches("hearth::missing-alt").count(),
        2,
        "the picture with alt text is fine: {}",
        out.run.stderr
    );
    site.run(&["build", ".", "--strict"])
        .exits_with(1)
        .says(&["hearth::missing-alt"]);
}

/// The issue's fixture: a 24-megapixel phone photo turned by its EXIF and
/// carrying a GPS position, a PNG with a text chunk, a tiny picture, a picture
/// in static/ and an avatar, one picture without alt text.
fn photo_site() -> TestSite {
    TestSite::minimal()
        .bytes("content/meetup/porto.jpg", &phone_jpeg(6000, 4000, 6))
        .bytes("content/meetup/screen.png", &png_with_text(1200, 800))
        .bytes("content/meetup/tiny.png", &png_with_text(40, 30))
        .bytes("static/images/hall.jpg", &phone_jpeg(1000, 750, 1))
        .bytes("content/meetup/wave.gif", &gif_with_comment())
        .page(
            "meetup/index",
            "title: The meetup",
            "We met in Porto.\n\n![Twelve of us around one table](porto.jpg)\n\n![The slides](screen.png \"Slide one\")\n\n![](tiny.png)\n\n![The hall](/images/hall.jpg)\n\n![Everyone waving](wave.gif)\n",
        )
        .bytes("members/ada.jpg", &phone_jpeg(2000, 1500, 1))
        .member("ada", "name: Ada\navatar: ada.jpg", "Ada.")
}

fn size_of(path: &Path) -> (u32, u32) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (img.width(), img.height())
}

#[test]
fn a_page_shows_its_pictures_as_responsive_variants_with_no_metadata_left() {
    let site = photo_site();
    let out = site.build();
    out.succeeds()
        .says(&["hearth::missing-alt", "content/meetup/index.md:10:1"]);
    let html = out.output("meetup/index.html");
    let sizes = "sizes=\"(min-width: 47rem) 44rem, calc(100vw - 2.5rem)\"";
    // Upright, the phone photo is 4000 wide and 6000 high.
    assert!(html.contains(&format!("<img src=\"/hub/meetup/porto-960.webp\" srcset=\"/hub/meetup/porto-480.webp 480w, /hub/meetup/porto-960.webp 960w, /hub/meetup/porto-1600.webp 1600w\" {sizes} width=\"4000\" height=\"6000\" alt=\"Twelve of us around one table\" fetchpriority=\"high\" decoding=\"async\">")), "the first picture is not lazy: {html}");
    assert!(html.contains(&format!("<img src=\"/hub/meetup/screen-960.webp\" srcset=\"/hub/meetup/screen-480.webp 480w, /hub/meetup/screen-960.webp 960w, /hub/meetup/screen-1200.webp 1200w\" {sizes} width=\"1200\" height=\"800\" alt=\"The slides\" title=\"Slide one\" loading=\"lazy\" decoding=\"async\">")), "{html}");
    assert!(
        html.contains(
            "<img src=\"/hub/meetup/tiny-40.webp\" srcset=\"/hub/meetup/tiny-40.webp 40w\""
        ),
        "{html}"
    );
    assert!(html.contains("<img src=\"/hub/images/hall-960.webp\" srcset=\"/hub/images/hall-480.webp 480w, /hub/images/hall-960.webp 960w, /hub/images/hall-1000.webp 1000w\""), "a picture of static/ by its site path: {html}");

    // An avatar: its square crops, at the size each page shows it.
    let crops = "src=\"/hub/members/ada/ada-64x64.webp\" srcset=\"/hub/members/ada/ada-64x64.webp 64w, /hub/members/ada/ada-96x96.webp 96w, /hub/members/ada/ada-128x128.webp 128w, /hub/members/ada/ada-192x192.webp 192w\"";
    let profile = out.output("members/ada/index.html");
    assert!(
        profile.contains(&format!("{crops} sizes=\"96px\"")),
        "{profile}"
    );
    let list = out.output("members/index.html");
    assert!(list.contains(&format!("{crops} sizes=\"64px\"")), "{list}");

    assert!(html.contains("<img src=\"/hub/meetup/wave.gif\" width=\"8\" height=\"6\" alt=\"Everyone waving\" loading=\"lazy\" decoding=\"async\">"), "a GIF as it is, but sized: {html}");
    let public = site.path().join("public");
    let gif = std::fs::read(public.join("meetup/wave.gif")).unwrap();
    assert!(contains(&gif, b"NETSCAPE2.0"), "the GIF still loops");
    for (file, size) in [
        ("meetup/porto-480.webp", (480, 720)),
        ("meetup/porto-960.webp", (960, 1440)),
        ("meetup/porto-1600.webp", (1600, 2400)),
        ("meetup/porto.jpg", (4000, 6000)),
        ("meetup/screen-480.webp", (480, 320)),
        ("meetup/screen-960.webp", (960, 640)),
        ("meetup/screen-1200.webp", (1200, 800)),
        ("meetup/screen.png", (1200, 800)),
        ("meetup/tiny-40.webp", (40, 30)),
        ("meetup/tiny.png", (40, 30)),
        ("images/hall-960.webp", (960, 720)),
        ("members/ada/ada-64x64.webp", (64, 64)),
        ("members/ada/ada-192x192.webp", (192, 192)),
    ] {
        assert_eq!(size_of(&public.join(file)), size, "{file}");
    }
    for never in [
        "meetup/screen-1600.webp",
        "meetup/tiny-480.webp",
        "images/hall-1600.webp",
    ] {
        assert!(!public.join(never).exists(), "{never}: never upscaled");
    }
    // Upright: the photo's left third (red) is its top once turned.
    let upright = image::open(public.join("meetup/porto-480.webp"))
        .unwrap()
        .to_rgb8();
    let (top, bottom) = (upright.get_pixel(240, 60), upright.get_pixel(240, 660));
    assert!(top[0] > 150 && top[2] < 100, "the top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "the bottom is blue: {bottom:?}"
    );

    // No published byte holds the EXIF, the GPS position, the serial or the
    // PNG's address.
    let mut pictures = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let name = entry.path().display().to_string();
        for secret in SECRETS {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{name} holds {secret}"
            );
        }
        if [".jpg", ".png", ".webp", ".gif"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            pictures += 1;
            for marker in [
                &b"Exif\0"[..],
                b"http://ns.adobe.com/xap",
                b"tEXt",
                b"MM\0*",
            ] {
                assert!(!contains(&bytes, marker), "{name} holds {marker:?}");
            }
        }
    }
    assert!(pictures >= 20, "{pictures} pictures published");

    // A warm build makes nothing again; a picture replaced is measured again.
    let warm = site.build();
    warm.succeeds().says(&["0 made"]);
    crate::common::write_bytes(
        site.path(),
        "static/images/hall.jpg",
        &phone_jpeg(800, 600, 1),
    );
    let replaced = site.build();
    replaced.succeeds();
    assert!(
        replaced
            .output("meetup/index.html")
            .contains("/hub/images/hall-800.webp 800w\" sizes"),
        "the replaced picture's size"
    );
}

#[test]
fn a_picture_past_the_limits_is_an_error_naming_it_before_decoding() {
    // A PNG header claiming 100000×100000 pixels, and nothing behind it.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\r".to_vec();
    bomb.extend(&ihdr);
    bomb.extend(crc32fast::hash(&ihdr).to_be_bytes());
    let site = TestSite::minimal().bytes("content/bomb.png", &bomb).page(
        "x",
        "title: X",
        "![A bomb](bomb.png)",
    );
    site.build()
        .exits_with(1)
        .says(&["hearth::picture", "content/bomb.png", "10000 megapixels"]);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `resize_image` in a template: the URL and size at once, the file made with
/// the variants; fit, fill and scale as Zola's; an unknown picture or op is a
/// template error naming it.
#[test]
fn resize_image_gives_a_template_a_resized_copy() {
    let site = TestSite::minimal()
        .bytes("static/images/hall.jpg", &phone_jpeg(1000, 750, 1))
        .file(
            "templates/page.html",
            "{% set a = resize_image(path=\"images/hall.jpg\", width=400, height=400, op=\"fill\") %}{% set b = resize_image(path=\"/images/hall.jpg\", width=500, height=500, op=\"fit\") %}{% set c = resize_image(path=\"static/images/hall.jpg\", width=300, height=100, op=\"scale\") %}<p>{{ a.url }} {{ a.width }}x{{ a.height }} | {{ b.url }} {{ b.width }}x{{ b.height }} | {{ c.url }} {{ c.width }}x{{ c.height }} of {{ c.orig_width }}</p>",
        );
    let out = site.build();
    out.succeeds();
    let page = out.output("about/index.html");
    assert!(page.contains("<p>/hub/images/hall-400x400-fill.webp 400x400 | /hub/images/hall-500x375-fit.webp 500x375 | /hub/images/hall-300x100-scale.webp 300x100 of 1000</p>"), "{page}");
    let public = site.path().join("public/images");
    assert_eq!(size_of(&public.join("hall-400x400-fill.webp")), (400, 400));
    assert_eq!(size_of(&public.join("hall-500x375-fit.webp")), (500, 375));
    assert_eq!(size_of(&public.join("hall-300x100-scale.webp")), (300, 100));
    // The fill is the middle: the red left third is cut to a sliver.
    let fill = image::open(public.join("hall-400x400-fill.webp"))
        .unwrap()
        .to_rgb8();
    assert!(fill.get_pixel(200, 200)[2] > 150, "the middle is blue");
    site.run(&["check", "."]).succeeds();

    let bad = TestSite::minimal().file(
        "templates/page.html",
        "{% set r = resize_image(path=\"nope.jpg\", width=10, height=10, op=\"fill\") %}{{ r.url }}",
    );
    bad.build()
        .exits_with(1)
        .says(&["resize_image: `nope.jpg` is not a JPEG, PNG or WebP"]);
}

/// `check` warns about headings that skip a level and links with no text, at
/// their lines; `build` does not (it is check's review).
#[test]
fn check_warns_about_skipped_headings_and_links_without_text() {
    let site = TestSite::minimal().page(
        "notes",
        "title: Notes",
        "Intro.\n\n#### Too deep\n\nSee [](https://example.org).\n",
    );
    site.run(&["check", "."]).succeeds().says(&[
        "hearth::a11y-heading-skip",
        "content/notes.md:6:1",
        "use `##` here",
        "hearth::a11y-empty-link",
        "content/notes.md:8:5",
    ]);
    let build = site.build();
    build.succeeds();
    assert!(!build.run.stderr.contains("a11y"), "{}", build.run.stderr);
    site.run(&["check", ".", "--strict"]).exits_with(1);
}

/// `hearth serve` makes a picture's files when a browser first asks for one of
/// them, as it draws cards: the page names the variants, the variant is a WebP,
/// the original has no metadata.
#[test]
fn serve_makes_a_pictures_files_when_a_browser_first_asks() {
    use crate::common::serve::{request, start};
    let site = TestSite::minimal()
        .bytes("content/meetup/porto.jpg", &phone_jpeg(1200, 900, 6))
        .page(
            "meetup/index",
            "title: The meetup",
            "![Porto, at the table](porto.jpg)",
        );
    let server = start(site.path());
    let (status, page) = request(server.port, "/hub/meetup/");
    assert!(status.contains("200"), "{status}");
    assert!(
        page.contains(
            "srcset=\"/hub/meetup/porto-480.webp 480w, /hub/meetup/porto-900.webp 900w\""
        ),
        "upright, the photo is 900 wide: {page}"
    );
    let (status, variant) = request(server.port, "/hub/meetup/porto-480.webp");
    assert!(status.contains("200"), "{status}");
    assert!(
        variant.starts_with("RIFF") && variant.contains("WEBP"),
        "a WebP"
    );
    let (status, original) = request(server.port, "/hub/meetup/porto.jpg");
    assert!(status.contains("200"), "{status}");
    for secret in SECRETS {
        assert!(!original.contains(secret), "{secret} was served");
    }
    assert!(
        !site.path().join("public").exists(),
        "serve writes no output"
    );
}

/// `images.format: avif` and `original`: the variants in that format.
#[test]
fn the_variants_take_the_format_site_yaml_asks_for() {
    for (format, name, magic) in [
        ("avif", "hall-100.avif", &b"ftypavif"[..]),
        ("original", "hall-100.jpg", &b"\xFF\xD8"[..]),
    ] {
        let site = TestSite::minimal()
            .config(&format!(
                "images:\n  widths: [60, 480]\n  format: {format}\n  quality: 70"
            ))
            .bytes("static/images/hall.jpg", &phone_jpeg(100, 80, 1))
            .page("x", "title: X", "![The hall](/images/hall.jpg)");
        site.build().succeeds();
        let bytes = std::fs::read(site.path().join("public/images").join(name)).unwrap();
        assert!(
            contains(&bytes[..16.min(bytes.len())], magic),
            "{format}: {name}"
        );
        let ext = name.rsplit('.').next().unwrap();
        let page = site.build().output("x/index.html");
        assert!(
            page.contains(&format!(
                "srcset=\"/hub/images/hall-60.{ext} 60w, /hub/images/hall-100.{ext} 100w\""
            )),
            "{page}"
        );
    }
    // The original's format decodes here: its sizes read back.
    let site = TestSite::minimal()
        .config("images:\n  widths: [60]\n  format: original")
        .bytes("static/images/hall.jpg", &phone_jpeg(100, 80, 1))
        .page("x", "title: X", "![The hall](/images/hall.jpg)");
    site.build().succeeds();
    assert_eq!(
        size_of(&site.path().join("public/images/hall-60.jpg")),
        (60, 48)
    );
}
