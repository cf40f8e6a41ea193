//! SPEC §6, pictures: variants, avatars' crops, metadata gone, alt text.

use std::path::Path;

use crate::common::photos::{phone_jpeg, png_with_text, SECRETS};
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
        .page(
            "meetup/index",
            "title: The meetup",
            "We met in Porto.\n\n![Twelve of us around one table](porto.jpg)\n\n![The slides](screen.png \"Slide one\")\n\n![](tiny.png)\n\n![The hall](/images/hall.jpg)\n",
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
    assert!(html.contains(&format!("<img src=\"/hub/meetup/porto-960.webp\" srcset=\"/hub/meetup/porto-480.webp 480w, /hub/meetup/porto-960.webp 960w, /hub/meetup/porto-1600.webp 1600w\" {sizes} width=\"4000\" height=\"6000\" alt=\"Twelve of us around one table\" decoding=\"async\">")), "the first picture is not lazy: {html}");
    assert!(html.contains(&format!("<img src=\"/hub/meetup/screen-960.webp\" srcset=\"/hub/meetup/screen-480.webp 480w, /hub/meetup/screen-960.webp 960w\" {sizes} width=\"1200\" height=\"800\" alt=\"The slides\" title=\"Slide one\" loading=\"lazy\" decoding=\"async\">")), "{html}");
    assert!(
        html.contains(
            "<img src=\"/hub/meetup/tiny-40.webp\" srcset=\"/hub/meetup/tiny-40.webp 40w\""
        ),
        "{html}"
    );
    assert!(html.contains("<img src=\"/hub/images/hall-960.webp\" srcset=\"/hub/images/hall-480.webp 480w, /hub/images/hall-960.webp 960w\""), "a picture of static/ by its site path: {html}");

    let public = site.path().join("public");
    for (file, size) in [
        ("meetup/porto-480.webp", (480, 720)),
        ("meetup/porto-960.webp", (960, 1440)),
        ("meetup/porto-1600.webp", (1600, 2400)),
        ("meetup/porto.jpg", (4000, 6000)),
        ("meetup/screen-480.webp", (480, 320)),
        ("meetup/screen-960.webp", (960, 640)),
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
        if [".jpg", ".png", ".webp"].iter().any(|e| name.ends_with(e)) {
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

    // A warm build makes nothing again.
    let warm = site.build();
    warm.succeeds().says(&["0 made"]);
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
