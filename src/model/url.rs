//! URL rules: slugs for files and tags, GitHub-style heading ids, and the routes:
//! one function or constant per kind of site path, so that `/members/…`,
//! `/links/#…` or a card's path is written in one place. Site paths here carry no
//! base_url prefix; `config::prefixed` adds it, in one place too.

/// The member directory.
pub const MEMBERS_PATH: &str = "/members/";
/// Every spotlight, newest first.
pub const SPOTLIGHTS_PATH: &str = "/spotlights/";
/// The link library.
pub const LINKS_PATH: &str = "/links/";
/// The link library's Atom feed.
pub const LINKS_FEED: &str = "/links/feed.xml";
/// The guideline index.
pub const GUIDELINES_PATH: &str = "/guidelines/";
/// Upcoming and past events.
pub const EVENTS_PATH: &str = "/events/";
/// The community digest (SPEC §7): the list, and each period's page under it.
pub const DIGEST_PATH: &str = "/digest/";
pub const DIGEST_FEED: &str = "/digest/feed.xml";
/// Every event in one calendar.
pub const EVENTS_ICS: &str = "/events.ics";
/// Every tag.
pub const TAGS_PATH: &str = "/tags/";
/// The promotion kit.
pub const PROMOTE_PATH: &str = "/promote/";
/// The site's Atom feed of dated pages.
pub const FEED_PATH: &str = "/feed.xml";
/// The search page (reads `?q=`), and the folder of the index it loads.
pub const SEARCH_PATH: &str = "/search/";
pub const SEARCH_BUNDLE: &str = "/pagefind/";

/// Which language a site path is in: the site's own (`Lang::SITE`, at the root) or
/// a translation's, under `/CODE/` (SPEC §5). Every route takes one, so a second
/// language is one argument, not a second set of routes; the constants above are
/// the routes' language-neutral form, placed in a language by [`Lang::path`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Lang<'a>(Option<&'a str>);

impl<'a> Lang<'a> {
    /// The site's default language: paths at the root, as without `languages`.
    pub const SITE: Lang<'static> = Lang(None);

    /// A language of `languages` (its BCP 47 code, as site.yaml spells it).
    pub fn translation(code: &'a str) -> Lang<'a> {
        Lang(Some(code))
    }

    /// The code of a translation; `None` for the site's language.
    pub fn code(self) -> Option<&'a str> {
        self.0
    }

    /// A language-neutral site path in this language: "/members/" → "/fr/members/".
    pub fn path(self, path: &str) -> String {
        match self.0 {
            None => path.to_string(),
            Some(code) => format!("/{code}{path}"),
        }
    }
}

/// A member's profile: "/members/ada/".
pub fn member_path(lang: Lang, handle: &str) -> String {
    lang.path(&format!("{MEMBERS_PATH}{handle}/"))
}

/// A guideline page: "/guidelines/code-of-conduct/".
pub fn guideline_path(lang: Lang, slug: &str) -> String {
    lang.path(&format!("{GUIDELINES_PATH}{slug}/"))
}

/// A tag's page: "/tags/rust/".
pub fn tag_path(lang: Lang, slug: &str) -> String {
    lang.path(&format!("{TAGS_PATH}{slug}/"))
}

/// A tag's page in the link library: "/links/tags/async/".
pub fn link_tag_path(lang: Lang, slug: &str) -> String {
    lang.path(&format!("{LINKS_PATH}tags/{slug}/"))
}

/// A curated link's place in the library: "/links/#async-in-depth".
pub fn link_anchor_path(lang: Lang, anchor: &str) -> String {
    lang.path(&format!("{LINKS_PATH}#{anchor}"))
}

/// A curated link's own page, where its share links and the promotion kit point:
/// "/links/async-in-depth/".
pub fn link_page_path(lang: Lang, anchor: &str) -> String {
    lang.path(&format!("{LINKS_PATH}{anchor}/"))
}

/// Page `pager` (from 1) of a section's list: "/news/", "/news/page/2/".
pub fn pager_path(section_path: &str, pager: usize) -> String {
    if pager <= 1 {
        section_path.to_string()
    } else {
        format!("{section_path}page/{pager}/")
    }
}

/// A section's Atom feed: "/news/" → "/news/feed.xml" (the section's path carries
/// its language).
pub fn section_feed_path(section_path: &str) -> String {
    format!("{section_path}feed.xml")
}

/// A card's output path for the language-neutral site path it promotes: "/" →
/// "cards/index.png"; "/news/welcome/" → "cards/news/welcome.png"; in French,
/// "cards/fr/news/welcome.png".
pub fn card_output(lang: Lang, path: &str) -> String {
    let folder = match lang.code() {
        None => "cards".to_string(),
        Some(code) => format!("cards/{code}"),
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        format!("{folder}/index.png")
    } else {
        format!("{folder}/{trimmed}.png")
    }
}

/// A curated link's card: "cards/links/async-in-depth.png".
pub fn link_card_output(lang: Lang, anchor: &str) -> String {
    card_output(lang, &format!("{LINKS_PATH}{anchor}/"))
}

/// An event's own calendar: "/events/december-call/" → "/events/december-call.ics".
pub fn event_calendar_path(page_path: &str) -> String {
    format!("{}.ics", page_path.trim_end_matches('/'))
}

/// A URL-safe slug for file names, folders and tags: ASCII, lowercase, hyphens
/// ("Café Nights" → "cafe-nights"). Uses the `slug` crate's transliteration.
pub fn slugify(s: &str) -> String {
    shorten(slug::slugify(s))
}

/// The longest slug kept whole. A slug becomes a file or folder name, and file
/// systems refuse names over 255 bytes; a 60-word title must still build.
pub const MAX_SLUG: usize = 80;

/// Cuts a long slug at a word boundary and adds a short hash of the whole slug, so two
/// long titles that start alike still get different URLs, the same on every build.
fn shorten(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let hash = blake3::hash(slug.as_bytes()).to_hex();
    let keep = MAX_SLUG - 9;
    let cut = slug[..keep]
        .rfind('-')
        .filter(|&i| i > keep / 2)
        .unwrap_or(keep);
    format!("{}-{}", slug[..cut].trim_end_matches('-'), &hash[..8])
}

/// The slug of a content file name: the stem, with a leading `YYYY-MM-DD-` dropped.
/// Returns the slug and the date the name carried, if any.
pub fn file_slug(stem: &str) -> (String, Option<&str>) {
    match split_date_prefix(stem) {
        Some((date, rest)) => (slugify(rest), Some(date)),
        None => (slugify(stem), None),
    }
}

fn split_date_prefix(stem: &str) -> Option<(&str, &str)> {
    let date = stem.get(..10)?;
    let b = date.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    let rest = stem.get(10..)?;
    let rest = rest.strip_prefix(['-', '_'])?;
    (shape && !rest.is_empty()).then_some((date, rest))
}

/// A heading id by GitHub's rule (github-slugger), so `#anchors` agree on a forge's
/// file view and on the site: lowercase the text, keep letters, combining marks
/// (U+FE0F included), decimal and letter numbers, `_` and `-`, turn each space into
/// `-`, and drop everything else: punctuation, symbols (emoji), other numbers (`²`,
/// `½`), format characters (the zero-width joiner) and other spaces. Written by
/// hand over the Unicode general category: no crate follows this exact rule.
pub fn heading_id(text: &str) -> String {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    // `str::to_lowercase`, not per character: a final Σ becomes ς, as in JavaScript.
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            _ => match get_general_category(c) {
                G::UppercaseLetter
                | G::LowercaseLetter
                | G::TitlecaseLetter
                | G::ModifierLetter
                | G::OtherLetter
                | G::NonspacingMark
                | G::SpacingMark
                | G::EnclosingMark
                | G::DecimalNumber
                | G::LetterNumber
                | G::ConnectorPunctuation => Some(c),
                _ => None,
            },
        })
        .collect()
}

/// Hands out unique ids in document order: `intro`, `intro-1`, `intro-2`.
#[derive(Default)]
pub struct IdRegistry {
    seen: std::collections::HashMap<String, usize>,
}

impl IdRegistry {
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut n = self.seen.get(base).copied().unwrap_or(0);
        let mut candidate = if n == 0 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        while n > 0 && self.seen.contains_key(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(base.to_string(), n + 1);
        if candidate != base {
            self.seen.insert(candidate.clone(), 1);
        }
        candidate
    }

    /// Registers an id the author chose (`{#id}`), so generated ones avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(1);
    }
}

/// Only http and https links are allowed where strangers supply them.
pub fn check_web_url(raw: &str) -> Result<url::Url, String> {
    let u = url::Url::parse(raw.trim()).map_err(|e| format!("is not a valid URL ({e})"))?;
    match u.scheme() {
        "http" | "https" if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(u),
        "http" | "https" => Err("has no host".into()),
        other => Err(format!(
            "uses `{other}:`, but only http and https are allowed"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_file_names_lose_their_date_prefix() {
        assert_eq!(
            file_slug("2026-11-01-welcome"),
            ("welcome".to_string(), Some("2026-11-01"))
        );
        assert_eq!(file_slug("About Us"), ("about-us".to_string(), None));
        assert_eq!(file_slug("2026-11-01"), ("2026-11-01".to_string(), None));
    }

    #[test]
    fn heading_ids_follow_githubs_rule() {
        assert_eq!(heading_id("Hello, World!"), "hello-world");
        assert_eq!(heading_id("What's new in 2.0?"), "whats-new-in-20");
        assert_eq!(heading_id("Café  au lait"), "café--au-lait");
        assert_eq!(heading_id("snake_case and-dash"), "snake_case-and-dash");
    }

    /// github-slugger's rule in many scripts; the first and fifth are SPEC §1's examples.
    #[test]
    fn heading_ids_follow_githubs_rule_in_every_script() {
        let cases = [
            ("Tools (🛠️)", "tools-\u{fe0f}"),
            ("Tools (🛠)", "tools-"),
            ("🦀 Rust", "-rust"),
            ("👩\u{200d}💻 Dev night", "-dev-night"),
            ("x² and ½", "x-and-"),
            ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
            ("社区 指南", "社区-指南"),
            ("ようこそ！", "ようこそ"),
            ("한국어 안내", "한국어-안내"),
            ("مرحبا بالعالم", "مرحبا-بالعالم"),
            ("שלום עולם", "שלום-עולם"),
            ("ภาษาไทย", "ภาษาไทย"),
            ("Cafe\u{301} crème", "cafe\u{301}-crème"),
            ("ΌΣΟΣ", "όσος"),
            ("Ⅻ rules", "ⅻ-rules"),
            ("a\u{a0}b\tc", "abc"),
            ("C++ & Rust: 2.0 — why?", "c--rust-20--why"),
        ];
        for (text, id) in cases {
            assert_eq!(heading_id(text), id, "{text}");
        }
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        let mut ids = IdRegistry::default();
        assert_eq!(ids.unique("faq"), "faq");
        assert_eq!(ids.unique("faq"), "faq-1");
        assert_eq!(ids.unique("faq"), "faq-2");
        ids.reserve("intro");
        assert_eq!(ids.unique("intro"), "intro-1");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word_with_a_stable_hash() {
        let title = "word ".repeat(60);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_SLUG, "{slug}");
        assert_eq!(slug, slugify(&title), "the same on every build");
        assert!(slug.starts_with("word-word-"), "{slug}");
        assert_ne!(
            slugify(&format!("{title} a")),
            slug,
            "different titles stay apart"
        );
        assert_eq!(slugify("Short title"), "short-title");
    }

    #[test]
    fn card_paths_mirror_page_paths() {
        assert_eq!(card_output(Lang::SITE, "/"), "cards/index.png");
        assert_eq!(
            card_output(Lang::translation("fr"), "/news/welcome/"),
            "cards/fr/news/welcome.png"
        );
        assert_eq!(Lang::translation("fr").path(MEMBERS_PATH), "/fr/members/");
        assert_eq!(
            card_output(Lang::SITE, "/news/welcome/"),
            "cards/news/welcome.png"
        );
        assert_eq!(
            link_card_output(Lang::SITE, "async-in-depth"),
            "cards/links/async-in-depth.png"
        );
    }
}
