//! `site.yaml` → `Config`: every key SPEC §1 names, defaults for the optional ones, and
//! an error naming the key and line for anything else.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, SourceText};

mod images;
mod languages;
use crate::yaml::Document;
pub use images::{ImageFormat, ImagesConfig};
pub use languages::{is_language_tag, LanguageConfig, LanguageMap};

/// The name of the built-in default theme.
pub const DEFAULT_THEME: &str = "hearth";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// The site's other languages (SPEC §5), by BCP 47 code, each served under
    /// `/CODE/`. Absent: one language, and nothing of §5 applies.
    #[serde(default)]
    pub languages: Option<LanguageMap>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output: String,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Where people join the community (a chat, a forum, a sign-up form): the home
    /// page's main button. Not in SPEC: hearth's own addition, like `extra`.
    #[serde(default)]
    pub join: Option<MenuItem>,
    #[serde(default)]
    pub highlight: Highlight,
    #[serde(default)]
    pub members: MembersConfig,
    #[serde(default)]
    pub content: ContentConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    #[serde(default)]
    pub digest: DigestConfig,
    #[serde(default)]
    pub guidelines: GuidelinesConfig,
    #[serde(default)]
    pub cards: CardsConfig,
    #[serde(default)]
    pub share: ShareConfig,
    /// Free-form values for templates, as Zola's `[extra]` and Hugo's `params`.
    #[serde(default)]
    pub extra: serde_json::Value,
    /// The path part of `base_url`, always starting and ending with `/` ("/hub/").
    #[serde(skip)]
    pub base_path: String,
    /// Where the site's default language lives: `base_url` itself, except in a
    /// translated edition (SPEC §5), whose `base_url` is the language's folder
    /// ("https://example.org/hub/fr/") while theme files, cards and the pages it
    /// falls back to stay at the root.
    #[serde(skip)]
    pub root_url: String,
    #[serde(skip)]
    pub root_path: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    #[serde(default = "default_light")]
    pub light: String,
    #[serde(default = "default_dark")]
    pub dark: String,
}

impl Default for Highlight {
    fn default() -> Self {
        Highlight {
            light: default_light(),
            dark: default_dark(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembersConfig {
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default = "yes")]
    pub sanitize: bool,
    /// Keep images from other hosts in bios (they can track readers).
    #[serde(default)]
    pub remote_images: bool,
}

impl Default for MembersConfig {
    fn default() -> Self {
        MembersConfig {
            questions: Vec::new(),
            sanitize: true,
            remote_images: false,
        }
    }
}

/// `content:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// Sanitize page markdown like bios: for sites that take posts by pull request.
    #[serde(default)]
    pub sanitize: bool,
}

/// `search:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub key: String,
    pub ask: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidelinesConfig {
    #[serde(default = "default_review_days")]
    pub review_every_days: u32,
}

impl Default for GuidelinesConfig {
    fn default() -> Self {
        GuidelinesConfig {
            review_every_days: default_review_days(),
        }
    }
}

/// `digest:` (SPEC §7): how often the community digest is made.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    #[serde(default)]
    pub every: DigestEvery,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestEvery {
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
    #[default]
    Off,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardsConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default = "default_accent")]
    pub accent: String,
}

impl Default for CardsConfig {
    fn default() -> Self {
        CardsConfig {
            enabled: true,
            accent: default_accent(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Mastodon,
    Bluesky,
    Linkedin,
    X,
    Facebook,
    Email,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    #[serde(default = "default_platforms")]
    pub platforms: Vec<Platform>,
    #[serde(default)]
    pub utm: Utm,
}

impl Default for ShareConfig {
    fn default() -> Self {
        ShareConfig {
            platforms: default_platforms(),
            utm: Utm::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Utm {
    #[serde(default = "default_medium")]
    pub medium: String,
    #[serde(default = "default_campaign")]
    pub campaign: String,
}

impl Default for Utm {
    fn default() -> Self {
        Utm {
            medium: default_medium(),
            campaign: default_campaign(),
        }
    }
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    DEFAULT_THEME.into()
}
fn default_output() -> String {
    "public".into()
}
fn default_light() -> String {
    "InspiredGitHub".into()
}
fn default_dark() -> String {
    "base16-ocean.dark".into()
}
fn default_review_days() -> u32 {
    365
}
fn default_accent() -> String {
    "#d94f30".into()
}
fn default_platforms() -> Vec<Platform> {
    vec![
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Linkedin,
        Platform::X,
        Platform::Facebook,
        Platform::Email,
    ]
}
fn default_medium() -> String {
    "social".into()
}
fn default_campaign() -> String {
    "community".into()
}
fn yes() -> bool {
    true
}

impl Config {
    /// Parses site.yaml; every problem found is returned, each at its line.
    pub fn from_yaml(source: &SourceText) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = Document::whole(source)
            .parse("site.yaml")
            .map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let at_key = |key: &str| key_span(&source.text, key);
        match normalize_base_url(&config.base_url) {
            Ok((url, path)) => {
                config.root_url = url.clone();
                config.root_path = path.clone();
                config.base_url = url;
                config.base_path = path;
            }
            Err(why) => problems.push(
                Diagnostic::error(Code::Config, format!("`base_url: {}` {why}", config.base_url))
                    .at(source, at_key("base_url"))
                    .with_help("write the full address the site is published at, e.g. `base_url: https://example.org/hub/`"),
            ),
        }
        if config.title.trim().is_empty() {
            problems.push(
                Diagnostic::error(Code::Config, "`title` is empty")
                    .at(source, at_key("title"))
                    .with_help("give the site a name, e.g. `title: Rust Makers`"),
            );
        }
        let mut seen = BTreeSet::new();
        for q in &config.members.questions {
            let valid = !q.key.is_empty()
                && q.key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                problems.push(
                    Diagnostic::error(
                        Code::Config,
                        format!("question key `{}` may use only a-z, 0-9 and _", q.key),
                    )
                    .at(source, value_span(&source.text, &q.key)),
                );
            }
            if !seen.insert(q.key.as_str()) {
                problems.push(
                    Diagnostic::error(
                        Code::Config,
                        format!("question key `{}` is used twice", q.key),
                    )
                    .at(source, value_span(&source.text, &q.key)),
                );
            }
        }
        if config.members.questions.len() > 5 {
            problems.push(
                Diagnostic::warning(
                    Code::Config,
                    format!(
                        "{} welcome questions: members answer 3 to 5 more happily than {}",
                        config.members.questions.len(),
                        config.members.questions.len()
                    ),
                )
                .at(source, at_key("questions")),
            );
        }
        for code in config.languages.iter().flat_map(|l| l.keys()) {
            let problem = if !is_language_tag(code) {
                Some(format!("`{code}` in `languages` is not a language tag"))
            } else if code.eq_ignore_ascii_case(&config.language) {
                Some(format!(
                    "`{code}` is the default language (`language: {}`); `languages` lists the others",
                    config.language
                ))
            } else if code.chars().any(|c| c.is_ascii_uppercase()) {
                Some(format!(
                    "`{code}` in `languages` has capitals; its pages are served under /{code}/, so write it in lowercase (`{}`)",
                    code.to_ascii_lowercase()
                ))
            } else {
                None
            };
            if let Some(why) = problem {
                problems.push(
                    Diagnostic::error(Code::Config, why)
                        .at(source, key_span(&source.text, code))
                        .with_help("write a BCP 47 code such as `fr`, `pt-br` or `zh-hans`"),
                );
            }
        }
        let language_menus = config
            .languages
            .iter()
            .flat_map(|l| l.values())
            .flat_map(|l| l.menu.iter().flatten());
        for (what, item) in config
            .menu
            .iter()
            .map(|m| ("menu", m))
            .chain(config.join.iter().map(|j| ("join", j)))
            .chain(language_menus.map(|m| ("menu", m)))
        {
            let url = item.url.trim();
            let scheme = url
                .split_once(':')
                .map(|(s, _)| s.to_ascii_lowercase())
                .filter(|s| !s.contains(['/', '?', '#']));
            if let Some(scheme) =
                scheme.filter(|s| !matches!(s.as_str(), "http" | "https" | "mailto"))
            {
                problems.push(
                    Diagnostic::error(
                        Code::Config,
                        format!("{what} link `{url}` uses `{scheme}:`; only site paths, http, https and mailto are allowed"),
                    )
                    .at(source, value_span(&source.text, &item.url))
                    .with_help("write a site path such as /news/ or a full https:// address"),
                );
            }
        }
        if !is_hex_colour(&config.cards.accent) {
            problems.push(
                Diagnostic::error(
                    Code::Config,
                    format!("`accent: {}` is not a colour", config.cards.accent),
                )
                .at(source, at_key("accent"))
                .with_help("write a hex colour such as \"#d94f30\" (quoted, since # starts a YAML comment)"),
            );
        }
        if problems
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error)
        {
            return Err(problems);
        }
        Ok(config)
    }

    /// Replaces base_url, as `--base-url` does.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (url, path) = normalize_base_url(url)?;
        self.root_url = url.clone();
        self.root_path = path.clone();
        self.base_url = url;
        self.base_path = path;
        Ok(())
    }

    /// `path` at the site's root, whatever the edition: theme files, cards,
    /// avatars, and the pages a translated edition falls back to.
    pub fn root_url(&self, path: &str) -> String {
        prefixed(&self.root_path, path)
    }

    /// The absolute URL of [`Config::root_url`].
    pub fn root_permalink(&self, path: &str) -> String {
        prefixed(&self.root_url, path)
    }

    /// The codes of `languages`, in order (none without `languages`).
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages
            .iter()
            .flat_map(|l| l.keys())
            .map(String::as_str)
    }

    /// The site path `path` ("/news/") with the base_url's prefix ("/hub/news/").
    pub fn url(&self, path: &str) -> String {
        prefixed(&self.base_path, path)
    }

    /// The absolute URL of a site path.
    pub fn permalink(&self, path: &str) -> String {
        prefixed(&self.base_url, path)
    }

    /// The scheme and host of base_url, with no path ("https://example.org").
    pub fn origin(&self) -> &str {
        let path_len = self.root_path.len();
        &self.root_url[..self.root_url.len() - path_len]
    }
}

/// A site path with the base_url's path prefix: `prefixed("/hub/", "/news/")` is
/// "/hub/news/". The one place the prefix rule is written; everything that links to
/// a page goes through it (`Config::url`, markdown links, the templates' `url()`).
pub fn prefixed(base_path: &str, path: &str) -> String {
    format!("{base_path}{}", path.trim_start_matches('/'))
}

/// Checks base_url is an absolute http(s) URL and splits off its path prefix.
pub fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if rest.contains(['?', '#', ' ']) {
        return Err("may not carry a query, a fragment or spaces".into());
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let scheme_len = url.len() - rest.len();
    Ok((format!("{}{host}{path}", &url[..scheme_len]), path))
}

fn is_hex_colour(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// The span of the first line that sets `key:` (at any depth), for pointing at a value
/// that parsed but did not validate.
pub fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line
            .trim_start()
            .trim_start_matches("- ")
            .trim_start_matches('{')
            .trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                let start = offset + (line.len() - trimmed.len());
                return start..start + key.len();
            }
        }
        offset += line.len();
    }
    0..0
}

/// The span of the first occurrence of `value` in the text.
pub fn value_span(text: &str, value: &str) -> std::ops::Range<usize> {
    match text.find(value) {
        Some(i) if !value.is_empty() => i..i + value.len(),
        _ => 0..0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_path_prefix_is_kept_with_slashes() {
        let (url, path) = normalize_base_url("https://example.org/hub").unwrap();
        assert_eq!(url, "https://example.org/hub/");
        assert_eq!(path, "/hub/");
        let (_, root) = normalize_base_url("http://127.0.0.1:8080").unwrap();
        assert_eq!(root, "/");
    }

    #[test]
    fn base_url_without_scheme_is_rejected() {
        assert!(normalize_base_url("example.org").is_err());
        assert!(normalize_base_url("ftp://example.org/").is_err());
    }
}
