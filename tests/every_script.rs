//! A community that writes in Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari,
//! Thai and emoji: its cards draw every title with the bundled fonts (no system font
//! needed, no warning), titles stay inside the card's right margin, right-to-left
//! titles are set from the right, and a character no font has is a warning naming
//! its file (an error with `--strict`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{run, site};

const TITLES: &[(&str, &str, &str)] = &[
    (
        "zh",
        "zh",
        "社区每月聚会：分享我们用铁锈语言构建的项目和经验，欢迎新成员加入讨论并提出问题",
    ),
    (
        "ja",
        "ja",
        "東京のメンバーが集まるオンライン勉強会へようこそ、初心者も大歓迎です",
    ),
    (
        "ko",
        "ko",
        "한국어 사용자 모임: 러스트로 만든 프로젝트를 함께 나누고 서로 배우는 시간",
    ),
    (
        "ar",
        "ar",
        "مرحبا بكم في مجتمع صناع رست: نلتقي كل شهر لنتعلم معا ونشارك مشاريعنا",
    ),
    (
        "he",
        "he",
        "ברוכים הבאים לקהילה שלנו: נפגשים כל חודש ולומדים יחד",
    ),
    ("hi", "hi", "नमस्ते दुनिया: हर महीने मिलने वाला हमारा समुदाय"),
    (
        "th",
        "th",
        "ภาษาไทยสำหรับชุมชนผู้สร้างซอฟต์แวร์ด้วยภาษารัสต์ที่พบกันทุกเดือนเพื่อแลกเปลี่ยนความรู้",
    ),
    (
        "emoji",
        "en",
        "🦀 Release party 🎉 with pizza 🍕 and rockets 🚀",
    ),
];

fn community_of_scripts() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        (
            "site.yaml".into(),
            "title: 世界の Rust Makers\nbase_url: https://example.org/\ndescription: Everyone\n"
                .into(),
        ),
        (
            "content/_index.md".into(),
            "---\ntitle: Home\n---\nWelcome.\n".into(),
        ),
        (
            "members/sato.md".into(),
            "---\nname: 佐藤 雪\nrole: 司会\n---\nこんにちは。\n".into(),
        ),
        (
            "members/omar.md".into(),
            "---\nname: عمر\nrole: مشرف\n---\nمرحبا.\n".into(),
        ),
        (
            "members/nimrod.md".into(),
            "---\nname: נמרוד\n---\nשלום.\n".into(),
        ),
        (
            "members/anan.md".into(),
            "---\nname: อนันต์ ใจดี\n---\nสวัสดี\n".into(),
        ),
    ];
    for (slug, lang, title) in TITLES {
        files.push((
            format!("content/{slug}.md"),
            format!("---\ntitle: \"{title}\"\nlanguage: {lang}\ndescription: \"{title}\"\n---\n## {title}\n\nText.\n"),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(&borrowed)
}

/// Pixels of a card as rows of RGB or RGBA, and the bytes per pixel.
fn pixels(path: &Path) -> (u32, usize, Vec<u8>) {
    let mut decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    // Cards of few colours are written with a palette: read them as RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let stride = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("{}: {other:?}", path.display()),
    };
    (info.width, stride, buf)
}

/// Whether a pixel is the title's ink (#1d1b19, antialiased edges included).
fn is_ink(p: &[u8]) -> bool {
    p[0] < 110 && p[1] < 110 && p[2] < 110 && p.get(3).is_none_or(|&a| a > 200)
}

/// The leftmost and rightmost columns holding title ink in the title's rows.
fn ink_columns(path: &Path) -> (u32, u32, usize) {
    let (w, stride, buf) = pixels(path);
    let (mut left, mut right, mut count) = (u32::MAX, 0, 0);
    for y in 130..440 {
        for x in 30..w {
            let i = (y * w + x) as usize * stride;
            if is_ink(&buf[i..i + stride]) {
                left = left.min(x);
                right = right.max(x);
                count += 1;
            }
        }
    }
    (left, right, count)
}

#[test]
fn titles_in_every_script_draw_inside_the_card_with_no_warning() {
    let s = community_of_scripts();
    let r = run(&["build", "--strict"], s.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        !r.stderr.contains("warning") && !r.stdout.contains("warning"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    let cards = s.path().join("public/cards");
    for (slug, lang, title) in TITLES {
        let (left, right, ink) = ink_columns(&cards.join(format!("{slug}.png")));
        assert!(ink > 2000, "{slug}: the title is drawn ({ink} ink pixels)");
        assert!(
            right <= 1200 - 80,
            "{slug}: title ink reaches x={right}, past the right margin"
        );
        if ["ar", "he"].contains(lang) {
            assert!(
                right >= 1200 - 80 - 12,
                "{slug}: a right-to-left title is set from the right (ink ends at {right})"
            );
        } else {
            assert!(
                left <= 80 + 24,
                "{slug}: {title} starts at the left ({left})"
            );
        }
    }
    for member in ["sato", "omar", "nimrod", "anan"] {
        let (_, right, ink) = ink_columns(&cards.join(format!("members/{member}.png")));
        assert!(ink > 500, "{member}: the name is drawn");
        assert!(
            right < 900,
            "{member}: the name stops before the avatar ({right})"
        );
    }
    let ar = std::fs::read_to_string(s.path().join("public/ar/index.html")).unwrap();
    assert!(
        ar.contains("lang=\"ar\"") && ar.contains("dir=\"rtl\""),
        "{ar}"
    );
}

#[test]
fn a_character_no_font_has_is_a_warning_naming_its_file() {
    let s = community_of_scripts();
    common::write(
        s.path(),
        "content/private.md",
        "---\ntitle: \"Logo \u{F0001} day\"\n---\nText.\n",
    );
    let r = run(&["build"], s.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/private.md")
            && r.stderr.contains("U+F0001")
            && r.stderr.contains("title"),
        "{}",
        r.stderr
    );
    let strict = run(&["build", "--strict"], s.path());
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}
