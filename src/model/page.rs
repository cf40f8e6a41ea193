//! A markdown page or section index as the site knows it: its front matter, where it
//! came from and the URL it gets. Plain data: no I/O, no HTML rendering.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::date::Date;
use crate::diagnostics::SourceText;

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first; undated pages last, by title.
    #[default]
    Date,
    /// Lightest first; pages without a weight last, by title.
    Weight,
    /// Alphabetical.
    Title,
}

/// `card: false` opts out; `card: {title, subtitle}` overrides the card's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CardSetting {
    Off,
    Custom {
        title: Option<String>,
        subtitle: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardOverride {
    title: Option<String>,
    subtitle: Option<String>,
}

impl<'de> Deserialize<'de> for CardSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Flag(bool),
            Map(CardOverride),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom("`card` takes `false` or a map with `title` and `subtitle`")
        })? {
            Raw::Flag(false) => Ok(CardSetting::Off),
            Raw::Flag(true) => Ok(CardSetting::Custom {
                title: None,
                subtitle: None,
            }),
            Raw::Map(m) => Ok(CardSetting::Custom {
                title: m.title,
                subtitle: m.subtitle,
            }),
        }
    }
}

/// The `event:` block that makes a page an event.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventMeta {
    pub start: Date,
    pub end: Option<Date>,
    pub location: Option<String>,
    pub url: Option<String>,
}

/// Front matter of `content/**.md`, exactly the keys SPEC §1 lists.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub card: Option<CardSetting>,
    pub event: Option<EventMeta>,
    pub spotlight: Option<String>,
    /// This page's language when it differs from the site's (`lang`, and `dir` for
    /// right-to-left scripts).
    pub language: Option<String>,
    /// `false`: leave this page out of the site's search.
    pub search: Option<bool>,
    #[serde(default)]
    pub extra: serde_json::Value,
    // Only `_index.md` takes these three.
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub feed: Option<bool>,
}

/// Whether a markdown file is a page or describes its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    /// `_index.md`: the section's title, intro text and list settings.
    SectionIndex,
}

/// The HTML made from a page's markdown, filled in after every URL is known.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Content {
    pub html: String,
    pub summary: Option<String>,
    /// Plain text of the first paragraph, the fallback description.
    pub lead: String,
    pub toc: Vec<TocEntry>,
    pub words: usize,
    /// Handles of members the text @mentions, in order of first mention.
    #[serde(skip)]
    pub mentions: Vec<String>,
    /// The markdown files (site-relative source paths) the text links to: when
    /// pages appear or move, only texts whose links now lead elsewhere re-render.
    #[serde(skip)]
    pub links_to: Vec<String>,
}

/// A numbered rule of a guideline page ("3.2"), citable by its id.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub number: String,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub kind: PageKind,
    pub source: SourceText,
    /// Byte offset where the markdown body starts (after the front matter).
    pub body_start: usize,
    /// Byte span of the front matter, for pointing at it as a whole.
    pub front_matter: std::ops::Range<usize>,
    pub meta: PageMeta,
    pub title: String,
    /// The date from front matter, or else from a `YYYY-MM-DD-` file name.
    pub date: Option<Date>,
    pub slug: String,
    /// Site path without the base_url prefix: "/news/welcome/".
    pub path: String,
    /// Site path of the section the page belongs to ("/news/"; "/" for the root).
    pub section: String,
    /// The folder (relative to the site) the page sits in.
    pub dir: PathBuf,
    pub content: Content,
    /// The language of `languages` this page is written in (`welcome.fr.md`:
    /// "fr"); `None` for the default language. Its `path` is then the path within
    /// that language's edition ("/news/welcome/", published at /fr/news/welcome/).
    pub translation: Option<String>,
}

impl Page {
    pub fn is_draft(&self) -> bool {
        self.meta.draft
    }

    /// The members whose pages show this page: its authors, the member it
    /// spotlights and the ones it @mentions (by handle, repeats and all).
    pub fn named_members(&self) -> impl Iterator<Item = &str> {
        self.meta
            .authors
            .iter()
            .map(String::as_str)
            .chain(self.meta.spotlight.as_deref())
            .chain(self.content.mentions.iter().map(String::as_str))
    }

    /// A page bundle's `index.md` (or its translation `index.fr.md`): the page
    /// takes its folder's name.
    pub fn is_bundle(&self) -> bool {
        let name = self
            .source
            .path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        match &self.translation {
            None => name == "index.md",
            Some(code) => name == format!("index.{code}.md"),
        }
    }

    /// A post: a page with a date that is not an event (search's "Post" kind).
    pub fn is_post(&self) -> bool {
        self.kind == PageKind::Page && self.date.is_some() && self.meta.event.is_none()
    }

    /// The description for meta tags: the front matter's, else the first paragraph.
    pub fn description(&self) -> &str {
        match &self.meta.description {
            Some(d) if !d.trim().is_empty() => d,
            _ => &self.content.lead,
        }
    }
}

/// Languages written right to left, by their primary subtag (BCP 47): Arabic,
/// Hebrew, Persian, Urdu, Pashto, Sindhi, Uyghur, Yiddish, Dhivehi, Sorani Kurdish,
/// Syriac, N'Ko, Aramaic, Kashmiri. A script subtag decides when there is one
/// (`az-Arab` is right to left, `ku-Latn` is not).
pub fn text_direction(language: &str) -> &'static str {
    const RTL: &[&str] = &[
        "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr", "nqo", "arc",
        "ks",
    ];
    const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"];
    let lower = language.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    match parts.find(|p| p.len() == 4) {
        Some(script) if RTL_SCRIPTS.contains(&script) => "rtl",
        Some(_) => "ltr",
        None if RTL.contains(&primary) => "rtl",
        None => "ltr",
    }
}

pub use crate::config::is_language_tag;

#[cfg(test)]
mod language_tests {
    use super::*;

    #[test]
    fn right_to_left_languages_and_scripts_are_known() {
        for rtl in ["ar", "he", "fa-IR", "ur", "az-Arab", "ar-EG"] {
            assert_eq!(text_direction(rtl), "rtl", "{rtl}");
        }
        for ltr in ["en", "hi", "zh-Hant", "ku-Latn", "th", "ja"] {
            assert_eq!(text_direction(ltr), "ltr", "{ltr}");
        }
        assert!(is_language_tag("pt-BR") && is_language_tag("zh-Hant-TW"));
        assert!(
            !is_language_tag("english please") && !is_language_tag("") && !is_language_tag("x")
        );
    }
}
