//! Template lookup: the site's `templates/` first, then the theme's, then the built-in
//! hearth theme compiled into the binary. A site template can extend the one it
//! overrides by its prefixed name (`{% extends "theme/page.html" %}` or
//! `"hearth/page.html"`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ErrorKind, Kwargs, State, Tera};

pub mod i18n;
mod resize_image;

use crate::config::{key_span, DEFAULT_THEME};
use crate::diagnostics::{did_you_mean, Code, Diagnostic, SourceText};
use crate::load::source::slash_path;
use crate::model::{folders, Date, Site};
use crate::output::{Body, Output};

/// Prefix of the local theme's templates (themes/NAME/templates/).
pub const THEME_PREFIX: &str = "theme/";
/// Prefix of the built-in theme's templates.
pub const BUILTIN_PREFIX: &str = "hearth/";

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/hearth/templates/", $name)))),*]
    };
}

/// The built-in theme's templates, compiled in so a fresh install needs no files.
const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "page.html",
    "section.html",
    "index.html",
    "tags.html",
    "tag.html",
    "404.html",
    "partials/page_list.html",
    "partials/pagination.html",
    "partials/avatar.html",
    "partials/member_card.html",
    "partials/link_item.html",
    "partials/event_list.html",
    "members.html",
    "member.html",
    "spotlights.html",
    "links.html",
    "link.html",
    "guidelines.html",
    "guideline.html",
    "events.html",
    "promote.html",
    "search.html",
    "partials/share.html",
    "partials/list_header.html",
    "digests.html",
    "digest.html",
    "digest/email.html",
    "digest/email.txt",
);

/// The built-in theme's card template.
const BUILTIN_CARDS: &[(&str, &str)] = &[(
    "cards/card.svg",
    include_str!("../../themes/hearth/cards/card.svg"),
)];

/// The built-in theme's static files, copied to the output root.
const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/hearth/static/style.css"),
    ),
    (
        "hearth.js",
        include_bytes!("../../themes/hearth/static/hearth.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/hearth/static/search.js"),
    ),
];

/// Where a template came from, for error messages.
#[derive(Debug, Clone)]
struct TemplateSource {
    shown: PathBuf,
    text: Arc<str>,
}

/// The loaded templates of a site, ready to render.
pub struct Templates {
    pub tera: Tera,
    sources: HashMap<String, TemplateSource>,
    /// The local theme's folder, when the site uses one.
    pub theme_dir: Option<PathBuf>,
    /// The site folder: theme files are read through the guarded door below it.
    root: PathBuf,
    /// The local theme's static files (output path, source), listed once.
    static_files: Vec<(String, PathBuf)>,
    /// The theme's words in the site's (or edition's) language (`words` in
    /// templates).
    pub words: i18n::Words,
    /// The English words, to find the key of a word render writes in English.
    english: i18n::Words,
    /// The pictures templates asked for with `resize_image`, made after
    /// rendering (SPEC §6).
    pub resized: resize_image::Asked,
    /// What loading found that is not wrong enough to stop (a missing word).
    pub warnings: Vec<Diagnostic>,
}

impl Templates {
    /// What the templates rendered so far asked for with `resize_image`.
    pub fn asked_pictures(&self) -> Vec<crate::model::picture::Resized> {
        self.resized
            .lock()
            .map(|asked| asked.values().cloned().collect())
            .unwrap_or_default()
    }

    pub fn load(
        site: &Site,
        config_source: Option<&SourceText>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let root = &site.root;
        let name = site.config.theme.as_str();
        let local = root.join(folders::THEMES).join(name);
        let theme_dir = if local.is_dir() {
            Some(local)
        } else if name == DEFAULT_THEME {
            None
        } else {
            let mut d = Diagnostic::error(Code::Theme, format!("there is no theme `{name}`"));
            d = match config_source {
                Some(s) => d.at(s, key_span(&s.text, "theme")),
                None => d.in_file("site.yaml"),
            };
            let mut names = vec![DEFAULT_THEME.to_string()];
            if let Ok(entries) = std::fs::read_dir(root.join(folders::THEMES)) {
                names.extend(
                    entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned()),
                );
            }
            let help = match did_you_mean(name, names.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("use `theme: {DEFAULT_THEME}` or put a theme in themes/{name}/"),
            };
            return Err(vec![d.with_help(help)]);
        };

        let builtin_templates = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, text)| (*n, format!("(built-in theme) templates/{n}"), *text));
        let builtin_cards = BUILTIN_CARDS
            .iter()
            .map(|(n, text)| (*n, format!("(built-in theme) {n}"), *text));
        let mut templates: Vec<(String, TemplateSource)> = builtin_templates
            .chain(builtin_cards)
            .map(|(n, shown, text)| {
                (
                    format!("{BUILTIN_PREFIX}{n}"),
                    TemplateSource {
                        shown: PathBuf::from(shown),
                        text: Arc::from(text),
                    },
                )
            })
            .collect();
        let mut problems = Vec::new();
        let (words, found) = i18n::words(site, theme_dir.as_deref());
        let (warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) = found
            .into_iter()
            .partition(|d| d.severity == crate::diagnostics::Severity::Warning);
        problems.extend(errors);
        if let Some(dir) = &theme_dir {
            read_dir(
                root,
                &dir.join("templates"),
                THEME_PREFIX,
                &mut templates,
                &mut problems,
            );
        }
        read_dir(
            root,
            &root.join(folders::TEMPLATES),
            "",
            &mut templates,
            &mut problems,
        );

        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(crate::escape::tera_html);
        if let Err(e) = tera.set_fallback_prefixes([THEME_PREFIX, BUILTIN_PREFIX]) {
            problems.push(Diagnostic::error(Code::Template, e.to_string()));
        }
        register_helpers(&mut tera, site, &words);
        let resized = resize_image::register(&mut tera, site);
        let sources: HashMap<String, TemplateSource> = templates.iter().cloned().collect();
        let this = Templates {
            resized,
            tera: Tera::new(),
            sources,
            static_files: theme_dir
                .as_ref()
                .map(|dir| {
                    crate::load::content::static_files(root, &dir.join("static"), &mut problems)
                        .into_iter()
                        .map(|a| (a.dest, a.source))
                        .collect()
                })
                .unwrap_or_default(),
            theme_dir,
            root: root.clone(),
            english: i18n::english(),
            words,
            warnings,
        };
        // Parse each template alone first, so that every syntax error is reported,
        // not only the first of the batch.
        for (name, src) in &templates {
            let mut scratch = Tera::new();
            scratch.autoescape_on([".html", ".htm", ".xml", ".svg"]);
            scratch.register_from(&tera);
            if let Err(e) = scratch.add_raw_template(name, &src.text) {
                // Only syntax errors are this template's alone; references to other
                // templates are checked when the whole set is added below.
                if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    problems.push(this.diagnostic(&e, None));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.text.as_ref())))
        {
            return Err(vec![this.diagnostic(&e, None)]);
        }
        Ok(Templates { tera, ..this })
    }

    /// The source of the template `name` resolves to (site, then theme, then
    /// built-in), for cache keys.
    /// An English word of the theme (`"Members"`) in the language rendered:
    /// the titles of generated lists are written in English in render.
    pub fn say<'a>(&'a self, english: &'a str) -> &'a str {
        self.english
            .iter()
            .find(|(_, w)| w.as_str() == english)
            .and_then(|(k, _)| self.words.get(k))
            .map_or(english, String::as_str)
    }

    pub fn source_of(&self, name: &str) -> Option<&str> {
        [
            String::new(),
            THEME_PREFIX.to_string(),
            BUILTIN_PREFIX.to_string(),
        ]
        .iter()
        .find_map(|prefix| self.sources.get(&format!("{prefix}{name}")))
        .map(|s| s.text.as_ref())
    }

    pub fn exists(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// The theme's static files for the output root: the built-in theme's, then the
    /// local theme's (the site's own `static/` comes after and may replace them).
    pub fn static_outputs(&self) -> Vec<Output> {
        let builtin = BUILTIN_STATIC.iter().map(|(name, bytes)| Output {
            path: name.to_string(),
            body: Body::Static(bytes),
            origin: format!("(built-in theme) static/{name}"),
        });
        let local = self.static_files.iter().map(|(dest, source)| Output {
            origin: source.display().to_string(),
            path: dest.clone(),
            body: Body::Copy(source.clone()),
        });
        builtin.chain(local).collect()
    }

    /// Fonts for card text beyond the built-in ones, in the order they are tried:
    /// the site's (`templates/cards/fonts/`), then the local theme's
    /// (`themes/NAME/cards/fonts/`).
    pub fn card_fonts(&self) -> Vec<Vec<u8>> {
        let root = &self.root;
        let mut dirs = vec![root.join(folders::TEMPLATES).join("cards").join("fonts")];
        dirs.extend(self.theme_dir.iter().map(|d| d.join("cards").join("fonts")));
        let mut ignored = Vec::new();
        dirs.iter()
            .filter(|d| d.is_dir())
            .flat_map(|d| crate::site_fs::list_files(root, d, &["otf", "ttf"], &mut ignored))
            .filter_map(|f| crate::site_fs::read(root, &f).ok())
            .collect()
    }

    /// Names a site page may ask for with `template:`.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .sources
            .keys()
            .map(|n| {
                n.strip_prefix(THEME_PREFIX)
                    .or_else(|| n.strip_prefix(BUILTIN_PREFIX))
                    .unwrap_or(n)
                    .to_string()
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Turns a Tera error into a diagnostic at the template's line. `rendering` names
    /// the content file being rendered, when there is one.
    pub fn diagnostic(&self, e: &tera::Error, rendering: Option<&Path>) -> Diagnostic {
        let context = rendering
            .map(|p| format!(" (while rendering {})", p.display()))
            .unwrap_or_default();
        match e.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let kind = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    "syntax error in template"
                } else {
                    "template failed"
                };
                let message = format!(
                    "{kind} `{}`: {}{context}",
                    report.filename(),
                    report.message()
                );
                match self.sources.get(report.filename()) {
                    Some(src) => Diagnostic::error(Code::Template, message).at(
                        &SourceText {
                            path: src.shown.clone(),
                            text: src.text.clone(),
                        },
                        report.span().range.clone(),
                    ),
                    None => Diagnostic::error(Code::Template, message),
                }
            }
            other => Diagnostic::error(Code::Template, format!("{other}{context}")),
        }
    }
}

fn read_dir(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, TemplateSource)>,
    problems: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for file in crate::site_fs::walk(root, dir, problems).files {
        let rel = file.strip_prefix(dir).unwrap_or(&file);
        match crate::load::source::read(root, &file) {
            Ok(src) => out.push((
                format!("{prefix}{}", slash_path(rel)),
                TemplateSource {
                    shown: src.path,
                    text: src.text,
                },
            )),
            Err(d) => problems.push(d),
        }
    }
}

/// Filters and functions theme authors get besides Tera's own.
fn register_helpers(tera: &mut Tera, site: &Site, words: &i18n::Words) {
    match site.config.languages.is_some() {
        true => {
            let names = i18n::date_words(words);
            tera.register_filter(
                "date",
                move |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                    let format: &str = kwargs.get("format")?.unwrap_or("%-d %B %Y");
                    let date = Date::parse(value).map_err(tera::Error::message)?;
                    date.format_in(format, &names).map_err(tera::Error::message)
                },
            );
        }
        false => tera.register_filter("date", date_filter),
    }
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| {
        crate::model::url::slugify(s)
    });
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
    tera.register_filter(
        "urlencode_strict",
        tera_contrib::urlencode::urlencode_strict,
    );
    tera.register_filter("json_encode", tera_contrib::json::json_encode);
    let base_path = site.config.base_path.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(crate::config::prefixed(&base_path, path))
        },
    );
    let base_url = site.config.base_url.clone();
    tera.register_function(
        "absolute_url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(crate::config::prefixed(&base_url, path))
        },
    );
}

/// `{{ page.date | date(format="%-d %B %Y") }}`: strftime on a date string.
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let format: &str = kwargs.get("format")?.unwrap_or("%-d %B %Y");
    let date = Date::parse(value).map_err(tera::Error::message)?;
    date.format(format).map_err(tera::Error::message)
}
