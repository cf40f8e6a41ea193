//! site.yaml: read and checked once per build, with a base_url override applied.

use std::path::Path;

use super::{source, CONFIG_FILE};
use crate::config::{key_span, Config};
use crate::diagnostics::{did_you_mean, Code, Diagnostic, SourceText};
use crate::markdown;

/// Reads and checks site.yaml alone (the command line needs `output` before loading).
pub fn config(root: &Path) -> Result<(Config, SourceText), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        return Err(vec![Diagnostic::error(
            Code::Config,
            format!("no {CONFIG_FILE} in {}", root.display()),
        )
        .in_file(CONFIG_FILE)
        .with_help("run `hearth init` to start a site here, or pass the site's folder: `hearth build path/to/site`")]);
    }
    let source = source::read(root, &path).map_err(|d| vec![d])?;
    let mut config = Config::from_yaml(&source)?;
    let mut problems = Vec::new();
    // An error about a key's value, pointing at the key in site.yaml.
    let at_key = |key: &str, message: String| {
        Diagnostic::error(Code::Config, message).at(&source, key_span(&source.text, key))
    };
    let known = markdown::highlight::theme_names();
    for (key, name) in [
        ("light", config.highlight.light.clone()),
        ("dark", config.highlight.dark.clone()),
    ] {
        if !known.contains(&name) {
            let d = at_key(
                key,
                format!("`{key}: {name}` is not a highlight theme hearth knows"),
            );
            problems.push(
                match did_you_mean(&name, known.iter().map(String::as_str)) {
                    Some(best) => d.with_help(format!("did you mean `{best}`?")),
                    None => d.with_help(format!("known themes: {}", known.join(", "))),
                },
            );
        }
    }
    // Values that name files or reach other libraries are checked where they are
    // read: `language: "../../x"` once reached the search index's file names, and a
    // theme is a folder under themes/.
    if !crate::model::page::is_language_tag(&config.language) {
        problems.push(
            at_key(
                "language",
                format!("`language: {}` is not a language tag", config.language),
            )
            .with_help("use a BCP 47 tag such as `en`, `pt-BR` or `ar`"),
        );
    }
    for (key, why) in config.images.problems() {
        problems.push(at_key(key, why));
    }
    let theme_ok = !config.theme.is_empty()
        && !config.theme.starts_with('.')
        && config
            .theme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !theme_ok {
        problems.push(
            at_key("theme", format!("`theme: {}` is not a theme's name", config.theme)).with_help("a theme is a folder in themes/ named with letters, digits, `-` and `_` (or the built-in `hearth`)"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    config.output = config.output.trim().to_string();
    Ok((config, source))
}

/// site.yaml as a build uses it: read and checked once, with `--base-url` (or
/// serve's local address) applied. Every stage after this borrows it.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub config: Config,
    /// The file's text, for errors that point at a key of site.yaml.
    pub source: SourceText,
}

impl SiteConfig {
    /// Reads site.yaml and applies a base_url override; a bad override is an error
    /// of its own, returned apart so a command line can answer it with exit code 2.
    pub fn read(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, ConfigError> {
        let (mut config, source) = config(root).map_err(ConfigError::Site)?;
        if let Some(url) = base_url {
            config
                .set_base_url(url)
                .map_err(|why| ConfigError::BaseUrl(format!("--base-url {url}: {why}")))?;
        }
        Ok(SiteConfig { config, source })
    }
}

/// Why site.yaml could not be used.
#[derive(Debug)]
pub enum ConfigError {
    Site(Vec<Diagnostic>),
    BaseUrl(String),
}

impl ConfigError {
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            ConfigError::Site(ds) => ds,
            ConfigError::BaseUrl(why) => vec![Diagnostic::error(Code::Config, why)],
        }
    }
}
