//! The languages of a site (SPEC §5): each one's name and direction, and for
//! every page, guideline and list, the languages it exists in and where. One
//! value shared by every edition of the site, so that each page's `hreflang`
//! alternates, its language switcher and the sitemap say the same thing.

use std::collections::HashMap;

use super::url::Lang;

/// One language of the site, as visitors see it named.
#[derive(Debug, Clone)]
pub struct Language {
    /// BCP 47 code as site.yaml spells it ("fr"); the default language's too.
    pub code: String,
    /// The language's own name ("Français", "العربية"), for the switcher.
    pub name: String,
    pub dir: &'static str,
    /// Whether it is the site's default language (at the root).
    pub default: bool,
}

impl Language {
    pub fn lang(&self) -> Lang<'_> {
        match self.default {
            true => Lang::SITE,
            false => Lang::translation(&self.code),
        }
    }
}

/// What each edition publishes, by key: a page's or guideline's original source
/// path (its translations share it), or a list's path within an edition
/// ("/members/"). Each key maps to the languages (indices into `all`) that have it
/// and the full site path it has there ("/fr/news/bienvenue/").
#[derive(Debug, Default)]
pub struct Languages {
    /// The default language first, then `languages` in site.yaml's order.
    pub all: Vec<Language>,
    pub editions: HashMap<String, Vec<(usize, String)>>,
    /// Each output's key by its full site path ("/fr/news/bienvenue/" →
    /// "content/news/welcome.md").
    pub keys: HashMap<String, String>,
    /// Every edition's sitemap entries: full site path and last change.
    pub sitemap: Vec<(String, Option<String>)>,
}

impl Languages {
    /// Where the thing under `key` exists: (language, full site path), in the
    /// order of `all`.
    pub fn alternates(&self, key: &str) -> &[(usize, String)] {
        self.editions.get(key).map_or(&[], Vec::as_slice)
    }

    pub fn index_of(&self, code: Option<&str>) -> usize {
        match code {
            None => 0,
            Some(c) => self.all.iter().position(|l| l.code == c).unwrap_or(0),
        }
    }
}

/// The key under which a source's translations meet: the original's path with
/// the language suffix taken out ("content/news/welcome.fr.md" →
/// "content/news/welcome.md").
pub fn original_source(path: &str, code: &str) -> String {
    let suffix = format!(".{code}.md");
    match path.strip_suffix(&suffix) {
        Some(stem) => format!("{stem}.md"),
        None => path.to_string(),
    }
}

/// A file's name without its language suffix: "welcome.fr.md" → "welcome.md".
pub fn logical_name(file: &std::path::Path, translation: Option<&str>) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match translation {
        Some(code) => original_source(&name, code),
        None => name,
    }
}

/// A language's own name when neither the theme nor the site names it
/// (`language_name` in i18n/CODE.yaml): the autonyms of common languages, else
/// the code itself.
pub fn autonym(code: &str) -> String {
    let lower = code.to_ascii_lowercase();
    let name = match lower.as_str() {
        "en" => "English",
        "fr" => "Français",
        "ar" => "العربية",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "pt-br" => "Português (Brasil)",
        "pt-pt" => "Português (Portugal)",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "sv" => "Svenska",
        "tr" => "Türkçe",
        "ru" => "Русский",
        "uk" => "Українська",
        "el" => "Ελληνικά",
        "he" => "עברית",
        "fa" => "فارسی",
        "hi" => "हिन्दी",
        "ja" => "日本語",
        "ko" => "한국어",
        "zh" | "zh-hans" | "zh-cn" => "简体中文",
        "zh-hant" | "zh-tw" => "繁體中文",
        _ => return code.to_string(),
    };
    name.to_string()
}

/// A suffix shaped like a language code (SPEC §5): two or three letters,
/// optionally `-` and more letters or digits ("fr", "pt-br", "zh-hans").
pub fn looks_like_code(suffix: &str) -> bool {
    let mut parts = suffix.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_shaped_like_codes() {
        for yes in ["fr", "ar", "pt-br", "zh-hans", "FR"] {
            assert!(looks_like_code(yes), "{yes}");
        }
        for no in ["draft", "v2", "x", "fr-", "2026", "old_notes"] {
            assert!(!looks_like_code(no), "{no}");
        }
        assert_eq!(
            original_source("content/news/welcome.fr.md", "fr"),
            "content/news/welcome.md"
        );
    }
}
