//! A community that writes in Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari,
//! Thai and emoji: its cards draw every title with the bundled fonts (no system font
//! needed, no warning), titles stay inside the card's right margin, right-to-left
//! titles are set from the right, and a character no font has is a warning naming
//! its file (an error with `--strict`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use std::path::Path;

use crate::common::run;
use crate::common::site::TestSite;

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

fn community_of_scripts() -> TestSite {
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
    TestSite::from_files(&borrowed)
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

/// A card template that draws the title and subtitle alone, on white, in the
/// colour `FILL`, laid out by hearth as the default template's (same sizes, same
/// text column, so the same lines), but each line well apart from the next: title
/// lines from y=120 every 130 px, subtitle lines from y=510 every 60. Built twice,
/// in two colours, what a card draws in the text's colour (a letter, or an emoji
/// drawn as a glyph outline: bars, a black outline face, a box) is what differs
/// between the two, and a picture is what stays.
const TITLE_ONLY_CARD: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="{{ card.width }}" height="{{ card.height }}" viewBox="0 0 {{ card.width }} {{ card.height }}"><rect width="{{ card.width }}" height="{{ card.height }}" fill="#ffffff"/>{% for line in card.title_lines %}<text {% if card.title_rtl %}x="{{ card.text_right }}" text-anchor="end" direction="rtl"{% else %}x="{{ card.text_left }}"{% endif %} y="{{ 120 + loop.index0 * 130 }}" font-family="Inter" font-weight="700" font-size="{{ card.title_size }}" fill="FILL">{{ line }}</text>{% endfor %}{% for line in card.subtitle_lines %}<text {% if card.subtitle_rtl %}x="{{ card.text_right }}" text-anchor="end" direction="rtl"{% else %}x="{{ card.text_left }}"{% endif %} y="{{ 510 + loop.index0 * 60 }}" font-family="Inter" font-size="32" fill="FILL">{{ line }}</text>{% endfor %}</svg>"##;

/// Where [`TITLE_ONLY_CARD`]'s subtitle lines start.
const SUBTITLE_TOP: usize = 460;

/// Pages with these titles and descriptions, their cards drawn with
/// [`TITLE_ONLY_CARD`] in magenta (`public/cards`) and in teal (`teal/cards`).
fn title_cards(titles: &[(String, String)]) -> TestSite {
    let mut files: Vec<(String, String)> = vec![
        (
            "site.yaml".into(),
            "title: Cards\nbase_url: https://example.org/\nsearch: {enabled: false}\n".into(),
        ),
        (
            "templates/cards/card.svg".into(),
            TITLE_ONLY_CARD.replace("FILL", "#ff00ff"),
        ),
    ];
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    for (i, (title, description)) in titles.iter().enumerate() {
        files.push((
            format!("content/t{i}.md"),
            format!(
                "---\ntitle: {}\ndescription: {}\n---\n",
                quoted(title),
                quoted(description)
            ),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let s = TestSite::from_files(&borrowed);
    let r = run(&["build", "--strict"], s.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    common::write(
        s.path(),
        "templates/cards/card.svg",
        &TITLE_ONLY_CARD.replace("FILL", "#008080"),
    );
    let r = run(&["build", "--strict", "-o", "teal"], s.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    s
}

/// A picture's run of columns on one line of a card: whether the line is the
/// subtitle's, its left and right columns, and the pixels of its box drawn in
/// the text's colour and in a picture's own. (An emoji drawn as bars has no
/// picture pixels, so no cell at all.)
#[derive(Debug)]
struct Cell {
    subtitle: bool,
    line: usize,
    left: u32,
    right: u32,
    text: usize,
    picture: usize,
}

/// The cells of card `name` (`t3`), built in two colours by [`title_cards`]: the
/// card's lines are bands of rows with ink; in each, a cell is a run of columns
/// with picture pixels, ended by half an em of columns with none. Also the
/// rightmost column with any ink.
fn picture_cells(site: &Path, name: &str, title_px: u32) -> (Vec<Cell>, u32) {
    let (w, stride, a) = pixels(&site.join(format!("public/cards/{name}.png")));
    let (_, stride_b, b) = pixels(&site.join(format!("teal/cards/{name}.png")));
    let h = a.len() / stride / w as usize;
    // Each pixel once: 0 paper, 1 text (differs between the colours), 2 picture.
    let kinds: Vec<u8> = a
        .chunks_exact(stride)
        .zip(b.chunks_exact(stride_b))
        .map(|(p, q)| {
            if p[..3].iter().zip(&q[..3]).any(|(c, d)| c.abs_diff(*d) > 6) {
                1
            } else if p[..3].iter().all(|&c| c > 247) {
                0
            } else {
                2
            }
        })
        .collect();
    let kind = |x: u32, y: usize| kinds[y * w as usize + x as usize];
    let mut rightmost = 0;
    let mut bands: Vec<(usize, usize)> = Vec::new();
    for y in 0..h {
        let inked: Vec<u32> = (0..w).filter(|&x| kind(x, y) != 0).collect();
        if let Some(&x) = inked.last() {
            rightmost = rightmost.max(x);
        }
        // A row with a speck or two of a picture's faint edge is not a line; a
        // gap of a few rows is inside one (the dot of ❗).
        if inked.len() >= 3 {
            match bands.last_mut() {
                Some((_, end)) if *end + 12 >= y => *end = y + 1,
                _ => bands.push((y, y + 1)),
            }
        }
    }
    let mut cells = Vec::new();
    for (line, &(top, bottom)) in bands.iter().enumerate() {
        let subtitle = top >= SUBTITLE_TOP;
        let gap = if subtitle { 16 } else { title_px / 2 };
        let mut open: Option<Cell> = None;
        for x in 0..w {
            let (mut text, mut picture) = (0, 0);
            for y in top..bottom {
                match kind(x, y) {
                    1 => text += 1,
                    2 => picture += 1,
                    _ => {}
                }
            }
            if picture > 0 {
                let cell = open.get_or_insert(Cell {
                    subtitle,
                    line,
                    left: x,
                    right: x,
                    text: 0,
                    picture: 0,
                });
                cell.right = x;
                cell.text += text;
                cell.picture += picture;
            } else if let Some(cell) = open.take_if(|c| x - c.right > gap) {
                cells.push(cell);
            }
        }
        cells.extend(open);
    }
    cells.retain(|c| c.picture >= 10);
    // The text's colour counts in the rows the picture itself spans (a title's
    // next line may be close below).
    for cell in &mut cells {
        let (top, bottom) = bands[cell.line];
        let rows: Vec<usize> = (top..bottom)
            .filter(|&y| (cell.left..=cell.right).any(|x| kind(x, y) == 2))
            .collect();
        let (first, last) = (rows[0], rows[rows.len() - 1]);
        cell.text = (first..=last)
            .flat_map(|y| (cell.left..=cell.right).map(move |x| (x, y)))
            .filter(|&(x, y)| kind(x, y) == 1)
            .count();
    }
    (cells, rightmost)
}

/// Every emoji of the RGI set that the bundled Noto Color Emoji covers (Unicode
/// 15.1), by group, skin tones included.
fn rgi_by_group() -> Vec<(String, Vec<&'static str>)> {
    let covered = |e: &&emojis::Emoji| e.unicode_version() <= emojis::UnicodeVersion::new(15, 1);
    emojis::Group::iter()
        .map(|group| {
            let mut all = Vec::new();
            for e in group.emojis().filter(covered) {
                match e.skin_tones() {
                    Some(tones) => all.extend(tones.filter(covered).map(|t| t.as_str())),
                    None => all.push(e.as_str()),
                }
            }
            (format!("{group:?}"), all)
        })
        .collect()
}

/// Every RGI emoji sequence (3,773 of them: skin tones, flags, ZWJ sequences,
/// keycaps), on 115 cards, 33 to a card: 21 in the title (three lines at 56 px)
/// and 12 in the subtitle (one line at 32 px), one em space apart. Each is one cell, no wider than one
/// emoji (a sequence drawn as its parts would be two or more), of its own colours:
/// not one pixel in the text's colour (the black bars and outlines were), and the
/// build warns of nothing. (Near-black alone is not the test: 🌑 and ▪️ are.)
#[test]
fn every_rgi_emoji_draws_in_colour_on_a_card() {
    let groups = rgi_by_group();
    let mut titles = Vec::new();
    let mut expected = Vec::new();
    for (group, all) in &groups {
        assert!(!all.is_empty(), "{group}");
        for chunk in all.chunks(33) {
            let (title, subtitle) = chunk.split_at(chunk.len().min(21));
            titles.push((title.join("\u{2003}"), subtitle.join("\u{2003}")));
            expected.push((group.clone(), chunk.to_vec()));
        }
    }
    let total: usize = expected.iter().map(|(_, c)| c.len()).sum();
    assert!(total > 3700, "{total} emoji");
    let s = title_cards(&titles);
    let mut failures = Vec::new();
    for (i, (group, chunk)) in expected.iter().enumerate() {
        let (cells, _) = picture_cells(s.path(), &format!("t{i}"), 56);
        if cells.len() != chunk.len() {
            failures.push(format!("{group} {}: {cells:?}", chunk.join(" ")));
            continue;
        }
        for (cell, emoji) in cells.iter().zip(chunk) {
            let px = if cell.subtitle { 32 } else { 56 };
            if cell.text > 0 || cell.right - cell.left > px * 3 / 2 || cell.picture < 20 {
                failures.push(format!("{group} {emoji}: {cell:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} emoji:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Titles (and subtitles) in every bundled script with emoji at the start, in the
/// middle and at the end, with and without U+FE0F, and the number of emoji cells
/// each draws (side-by-side emoji are one cell): every emoji is a picture with
/// nothing in the text's colour, and no ink passes the right margin. The
/// Devanagari title is the one whose second line once turned into bars past the
/// card's edge.
#[test]
fn titles_mixing_every_script_with_emoji_draw_them_all_inside_the_margin() {
    let cases: &[(&str, &str, usize)] = &[
        (
            "🎉 Welcome to the Rust Makers!",
            "Say hi 👋🏽 and tell us ❤ what you build",
            3,
        ),
        ("Chào mừng 👋🏽 các bạn mới", "Tiếng Việt 🇻🇳", 2),
        ("Καλώς ήρθατε 🇬🇷 στην κοινότητα", "Ελληνικά ☕ και Rust", 2),
        ("Привет 👍 друзья ❤️", "🚀 Кириллица", 3),
        (
            "🦀 社区每月聚会：分享我们用铁锈语言构建的项目 🎉",
            "欢迎 👩🏽‍💻",
            3,
        ),
        (
            "東京の勉強会へようこそ 🍣 初心者も大歓迎です 🇯🇵",
            "ひらがな 1️⃣ カタカナ",
            3,
        ),
        ("러스트 모임 👩🏽‍💻 함께 배워요", "한국어 #️⃣ 만남", 2),
        (
            "مرحبا بكم 🌙 في مجتمع صناع رست 🇪🇬",
            "نلتقي كل شهر ✈ لنتعلم",
            3,
        ),
        ("ברוכים הבאים 🕎 לקהילה שלנו", "🏳️‍🌈 שלום", 2),
        (
            "हिंदी में रस्ट सीखें: शुरुआती लोगों के लिए एक पूरी गाइड और अभ्यास 🦀🎉",
            "नमस्ते 🙏🏾",
            2,
        ),
        ("ภาษาไทย 🇹🇭 สำหรับชุมชนผู้สร้างซอฟต์แวร์ 🐘", "สวัสดี 1⃣", 3),
        ("© 2026 Rust Makers™ ↔ friends", "Step 1 → step 2", 0),
    ];
    let titles: Vec<(String, String)> = cases
        .iter()
        .map(|(t, d, _)| (t.to_string(), d.to_string()))
        .collect();
    let s = title_cards(&titles);
    for (i, (title, subtitle, expected)) in cases.iter().enumerate() {
        let (cells, rightmost) = picture_cells(s.path(), &format!("t{i}"), 56);
        assert!(
            rightmost <= 1200 - 80,
            "{title}: ink reaches x={rightmost}, past the right margin"
        );
        assert_eq!(cells.len(), *expected, "{title} / {subtitle}: {cells:?}");
        for cell in &cells {
            assert!(cell.text == 0, "{title} / {subtitle}: {cell:?}");
        }
    }
}
