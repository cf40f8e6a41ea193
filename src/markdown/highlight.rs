//! Code highlighting with syntect into CSS classes, so one page works in light and dark.
//!
//! The syntax set (syntect's defaults plus two-face's extras: TOML, TypeScript,
//! Dockerfile, …) is loaded once per process from its precompiled dump.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

/// Classes are prefixed so they never collide with a theme's own CSS.
pub const CLASS_PREFIX: &str = "hl-";
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// syntect's own grammars: for the languages it has, about 13% faster than
/// two-face's versions of them (measured on the benchmark corpus).
fn core_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// two-face's larger set, for what syntect lacks (TOML, TypeScript, Dockerfile…).
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static LazyThemeSet {
    static SET: OnceLock<LazyThemeSet> = OnceLock::new();
    SET.get_or_init(|| LazyThemeSet::from(two_face::theme::extra()))
}

/// Names accepted by `highlight.light` and `highlight.dark`.
pub fn theme_names() -> Vec<String> {
    themes().theme_names().map(str::to_string).collect()
}

/// The grammar for a fence's language, and the set it belongs to.
fn find_syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let lang = lang.trim();
    if lang.is_empty() {
        return None;
    }
    let lower = lang.to_ascii_lowercase();
    [core_syntaxes(), syntaxes()].into_iter().find_map(|set| {
        set.find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_token(&lower))
            .map(|s| (s, set))
    })
}

/// Whether a fence's language is highlighted at all (by tree-sitter or syntect).
fn known(lang: &str) -> bool {
    super::grammars::knows(lang) || find_syntax(lang).is_some()
}

/// Highlights `code` as `lang` into `<span class="hl-…">` markup: with tree-sitter
/// for the languages it has here (`grammars`), else with syntect. Unknown languages
/// and plain blocks come back escaped, unhighlighted.
pub fn highlight(code: &str, lang: &str) -> String {
    if let Some(html) = super::grammars::highlight(code, lang) {
        return html;
    }
    let Some((syntax, set)) = find_syntax(lang) else {
        return crate::escape::html(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return crate::escape::html(code);
        }
    }
    gen.finalize()
}

/// Highlighted code blocks kept between builds, keyed by a hash of language and code:
/// highlighting is most of a build's work, and most blocks do not change between
/// two CI runs. The file holds only the blocks the last build used.
pub struct HighlightCache {
    path: Option<PathBuf>,
    /// The cache file as read, and where each entry's HTML lies in it: no copy of
    /// tens of megabytes into separate strings.
    file: Vec<u8>,
    old: HashMap<[u8; 16], (usize, usize, u32)>,
    used: Mutex<HashSet<[u8; 16]>>,
    /// Blocks highlighted by this build, compressed as they will be written (a
    /// 10,000-page site's are 19 MB of HTML, held until the cache is saved).
    new: Mutex<HashMap<[u8; 16], Vec<u8>>>,
}

/// Entries are a 16-byte key, the packed length (4 bytes, LE), the packed bytes'
/// CRC-32 (a flipped bit on disk is a miss, never published) and the bytes.
const CACHE_MAGIC: &[u8] = b"hearth-highlight-5\n";

impl Default for HighlightCache {
    fn default() -> Self {
        HighlightCache::none()
    }
}

impl HighlightCache {
    /// No file: highlight everything, remember nothing.
    pub fn none() -> Self {
        HighlightCache {
            path: None,
            file: Vec::new(),
            old: HashMap::new(),
            used: Mutex::new(HashSet::new()),
            new: Mutex::new(HashMap::new()),
        }
    }

    /// Opens the cache file; a missing or unreadable one (or a planted link) is an
    /// empty cache.
    pub fn open(path: PathBuf) -> Self {
        let file = crate::site_fs::cache_read(&path).unwrap_or_default();
        let old = parse(&file);
        HighlightCache {
            path: Some(path),
            file,
            old,
            ..HighlightCache::none()
        }
    }

    /// A cached block.
    fn cached(&self, key: &[u8; 16]) -> Option<String> {
        let &(start, len, sum) = self.old.get(key)?;
        let packed = self.file.get(start..start + len)?;
        (crc32fast::hash(packed) == sum).then_some(())?;
        unpack_html(packed)
    }

    pub(super) fn key(code: &str, lang: &str) -> [u8; 16] {
        let mut h = blake3::Hasher::new();
        h.update(CACHE_MAGIC);
        h.update(lang.as_bytes());
        h.update(&[0]);
        h.update(code.as_bytes());
        let mut key = [0; 16];
        key.copy_from_slice(&h.finalize().as_bytes()[..16]);
        key
    }

    /// `highlight(code, lang)`, from the cache when the same block was seen before.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        self.highlight_noting(code, lang, &mut Vec::new())
    }

    /// [`HighlightCache::highlight`], noting the block's key in `keys` (a text kept
    /// in the text cache notes the blocks it holds: see [`HighlightCache::keep`]).
    pub(super) fn highlight_noting(
        &self,
        code: &str,
        lang: &str,
        keys: &mut Vec<[u8; 16]>,
    ) -> String {
        if !known(lang) {
            return crate::escape::html(code);
        }
        let key = Self::key(code, lang);
        keys.push(key);
        if let Some(html) = self.cached(&key) {
            if let Ok(mut used) = self.used.lock() {
                used.insert(key);
            }
            return html;
        }
        // Blocks repeat within one build too (shared snippets, boilerplate).
        let again = self
            .new
            .lock()
            .ok()
            .and_then(|new| new.get(&key).and_then(|p| unpack_html(p)));
        if let Some(html) = again {
            return html;
        }
        let html = highlight(code, lang);
        let packed = pack(html.as_bytes());
        if let Ok(mut new) = self.new.lock() {
            new.insert(key, packed);
        }
        html
    }

    /// Counts blocks as used by this build without highlighting them: those of a
    /// text the text cache handed over, which must stay for when it renders again.
    pub(super) fn keep(&self, keys: &[[u8; 16]]) {
        if let Ok(mut used) = self.used.lock() {
            used.extend(keys.iter().filter(|k| self.old.contains_key(*k)));
        }
    }

    /// Writes the blocks this build used, when anything changed. Failing to write
    /// the cache only costs time on the next build.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let (Ok(used), Ok(new)) = (self.used.lock(), self.new.lock()) else {
            return;
        };
        if new.is_empty() && used.len() == self.old.len() {
            return;
        }
        // Every entry is compressed already.
        let mut entries: Vec<([u8; 16], std::borrow::Cow<[u8]>)> = self
            .old
            .iter()
            .filter(|(k, _)| used.contains(*k))
            .filter_map(|(k, &(start, len, _))| {
                Some((
                    *k,
                    std::borrow::Cow::Borrowed(self.file.get(start..start + len)?),
                ))
            })
            .collect();
        for (k, packed) in new.iter() {
            entries.push((*k, std::borrow::Cow::Borrowed(packed.as_slice())));
        }
        entries.sort_by_key(|(k, _)| *k);
        let mut out =
            Vec::with_capacity(entries.iter().map(|(_, v)| v.len() + 24).sum::<usize>() + 32);
        out.extend_from_slice(CACHE_MAGIC);
        for (k, v) in &entries {
            out.extend_from_slice(k);
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            out.extend_from_slice(&crc32fast::hash(v).to_le_bytes());
            out.extend_from_slice(v);
        }
        // A cache that cannot be written only makes the next build slower.
        let _ = crate::site_fs::cache_write(path, &out);
    }
}

/// Fuzzing's door (`fuzz/fuzz_targets/caches.rs`): `bytes` read as a
/// `highlight.bin`, and every entry it lists unpacked as a build would.
#[doc(hidden)]
pub fn fuzz_read(bytes: &[u8]) -> usize {
    let cache = HighlightCache {
        old: parse(bytes),
        file: bytes.to_vec(),
        ..HighlightCache::none()
    };
    let keys: Vec<[u8; 16]> = cache.old.keys().copied().collect();
    keys.iter().filter(|k| cache.cached(k).is_some()).count()
}

/// A cache entry: the HTML's length (4 bytes, little-endian), then its LZ4 block.
/// Classed HTML shrinks several times, and LZ4 packs and unpacks it in a fraction
/// of the time deflate takes.
fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u32).to_le_bytes().to_vec();
    out.extend(lz4_flex::block::compress(bytes));
    out
}

/// The bytes of an entry; `None` when it is malformed, or claims more than LZ4 can
/// expand it to (a doctored file must not make hearth allocate gigabytes).
fn unpack(entry: &[u8]) -> Option<Vec<u8>> {
    let (len, block) = entry.split_first_chunk::<4>()?;
    let len = u32::from_le_bytes(*len) as usize;
    if len > block.len().saturating_mul(255) + 16 {
        return None;
    }
    let bytes = lz4_flex::block::decompress(block, len).ok()?;
    (bytes.len() == len).then_some(bytes)
}

/// A highlight cache entry's HTML.
fn unpack_html(entry: &[u8]) -> Option<String> {
    String::from_utf8(unpack(entry)?).ok()
}

/// Indexes the cache file; anything malformed ends the index (the rest is rebuilt).
fn parse(bytes: &[u8]) -> HashMap<[u8; 16], (usize, usize, u32)> {
    let mut map = HashMap::new();
    if !bytes.starts_with(CACHE_MAGIC) {
        return map;
    }
    let mut at = CACHE_MAGIC.len();
    while let Some(head) = bytes.get(at..at + 24) {
        let mut key = [0; 16];
        key.copy_from_slice(&head[..16]);
        let len = u32::from_le_bytes([head[16], head[17], head[18], head[19]]) as usize;
        let sum = u32::from_le_bytes([head[20], head[21], head[22], head[23]]);
        let start = at + 24;
        if bytes.get(start..start + len).is_none() {
            break;
        }
        map.insert(key, (start, len, sum));
        at = start + len;
    }
    map
}

/// The default theme's code backgrounds (`--code-bg` in style.css), light and dark.
const CODE_BG_LIGHT: syntect::highlighting::Color = rgb(0xf4, 0xf1, 0xec);
const CODE_BG_DARK: syntect::highlighting::Color = rgb(0x26, 0x22, 0x1e);

const fn rgb(r: u8, g: u8, b: u8) -> syntect::highlighting::Color {
    syntect::highlighting::Color { r, g, b, a: 0xff }
}

/// WCAG relative luminance.
fn luminance(c: syntect::highlighting::Color) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: syntect::highlighting::Color, b: syntect::highlighting::Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` moved toward black (on light backgrounds) or white (on dark ones) just
/// enough to reach 4.5:1 against every background in `on` (WCAG AA for text).
fn readable(
    fg: syntect::highlighting::Color,
    on: &[syntect::highlighting::Color],
    dark: bool,
) -> syntect::highlighting::Color {
    let target = if dark { 255.0 } else { 0.0 };
    let mut c = fg;
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        let mix = |v: u8| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
        c = rgb(mix(fg.r), mix(fg.g), mix(fg.b));
        if on.iter().all(|&bg| contrast(c, bg) >= 4.5) {
            break;
        }
    }
    c.a = fg.a;
    c
}

/// A highlight theme whose text colours all read at 4.5:1 on its own background
/// and on the default theme's code background (some bundled themes' comments and
/// strings do not: InspiredGitHub's are 2.7:1).
fn contrast_safe(theme: &syntect::highlighting::Theme) -> syntect::highlighting::Theme {
    let mut theme = theme.clone();
    let own = theme.settings.background.unwrap_or(rgb(0xff, 0xff, 0xff));
    let dark = luminance(own) < 0.2;
    let on = [own, if dark { CODE_BG_DARK } else { CODE_BG_LIGHT }];
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = readable(*fg, &on, dark);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = readable(*fg, &on, dark);
        }
    }
    theme
}

/// The stylesheet for highlighted code: the light theme, and the dark one under
/// `prefers-color-scheme: dark`, each with its text colours made readable and
/// each only in its own scheme.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let theme = |name: &str| {
        themes()
            .get(name)
            .map(contrast_safe)
            .ok_or_else(|| format!("unknown highlight theme `{name}`"))
    };
    let (light_theme, dark_theme) = (theme(light)?, theme(dark)?);
    let css = |t: &syntect::highlighting::Theme| {
        css_for_theme_with_class_style(t, CLASS_STYLE).map_err(|e| e.to_string())
    };
    let light_css = css(&light_theme)?;
    let dark_css = css(&dark_theme)?;
    // Each theme only in its own scheme: a selector that only the light theme
    // styles would otherwise keep its dark-on-light colour in dark mode. Browsers
    // that know no colour schemes take the light one (`not` of an unknown feature).
    Ok(format!(
        "@media not (prefers-color-scheme: dark) {{\n/* {light} */\n{light_css}\n}}\n@media (prefers-color-scheme: dark) {{\n/* {dark} */\n{dark_css}\n}}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry unpacks to what was packed; a doctored one (a length LZ4 could
    /// never reach, a cut block) reads as absent instead of allocating or failing.
    #[test]
    fn cache_entries_round_trip_and_doctored_ones_read_as_absent() {
        let html = "<span class=\"hl-keyword\">fn</span> main() {}\n".repeat(200);
        let packed = pack(html.as_bytes());
        assert!(packed.len() < html.len() / 4, "{}", packed.len());
        assert_eq!(unpack_html(&packed).as_deref(), Some(html.as_str()));
        let mut huge = packed.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(unpack(&huge), None);
        assert_eq!(unpack(&packed[..packed.len() / 2]), None);
        assert_eq!(unpack(&[1, 0]), None);
    }

    #[test]
    fn every_code_colour_of_the_default_themes_reads_at_4_5_to_1() {
        for (name, dark) in [("InspiredGitHub", false), ("base16-ocean.dark", true)] {
            let theme = contrast_safe(themes().get(name).unwrap());
            let own = theme.settings.background.unwrap();
            let page = if dark { CODE_BG_DARK } else { CODE_BG_LIGHT };
            let colours = theme
                .scopes
                .iter()
                .filter_map(|i| i.style.foreground)
                .chain(theme.settings.foreground);
            for c in colours {
                for bg in [own, page] {
                    assert!(contrast(c, bg) >= 4.5, "{name}: {c:?} on {bg:?}");
                }
            }
        }
        let before = themes().get("InspiredGitHub").unwrap();
        let worst = before
            .scopes
            .iter()
            .filter_map(|i| i.style.foreground)
            .map(|c| contrast(c, CODE_BG_LIGHT))
            .fold(f64::MAX, f64::min);
        assert!(
            worst < 4.5,
            "the theme as bundled does fall short ({worst:.2})"
        );
    }

    #[test]
    fn rust_is_highlighted_into_prefixed_classes() {
        let html = highlight("fn main() {}\n", "rust");
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("main"));
    }

    #[test]
    fn toml_and_typescript_are_known() {
        assert!(highlight("a = 1\n", "toml").contains("hl-"));
        assert!(highlight("let a: number = 1;\n", "ts").contains("hl-"));
    }

    #[test]
    fn unknown_language_is_escaped_not_highlighted() {
        assert_eq!(highlight("<b>\n", "nosuchlang"), "&lt;b&gt;\n");
    }

    #[test]
    fn the_cache_returns_what_highlighting_would_and_survives_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hl.bin");
        let cache = HighlightCache::open(path.clone());
        let fresh = cache.highlight("fn main() {}\n", "rust");
        assert_eq!(fresh, highlight("fn main() {}\n", "rust"));
        cache.save();
        let again = HighlightCache::open(path.clone());
        assert_eq!(again.old.len(), 1);
        assert_eq!(again.highlight("fn main() {}\n", "rust"), fresh);
        // A flipped bit in an entry is a miss (highlighted again), never published.
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        let flipped = HighlightCache::open(path.clone());
        assert_eq!(flipped.old.len(), 1);
        assert!(flipped
            .cached(&HighlightCache::key("fn main() {}\n", "rust"))
            .is_none());
        assert_eq!(flipped.highlight("fn main() {}\n", "rust"), fresh);
        std::fs::write(&path, b"garbage").unwrap();
        assert!(
            HighlightCache::open(path).old.is_empty(),
            "a broken file is an empty cache"
        );
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("@media not (prefers-color-scheme: dark) {\n/* InspiredGitHub */"));
        assert!(css.contains("@media (prefers-color-scheme: dark) {\n/* base16-ocean.dark */"));
        assert!(css.contains(".hl-"));
    }
}
