//! `guidelines/*.md` → guideline pages, with a warning when one is due for review.

use std::path::Path;

use super::front_matter;
use super::source::{list_files, read};
use crate::config::{key_span, Config};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::guideline::{Guideline, GuidelineMeta};
use crate::model::page::Content;
use crate::model::url::slugify;
use crate::model::url::Lang;
use crate::model::Date;

pub use crate::model::folders::GUIDELINES as GUIDELINES_DIR;

/// Every guideline, originals first in their order, then the translations
/// (`code-of-conduct.fr.md`), which `translations` places beside them.
pub fn load(
    root: &Path,
    config: &Config,
    now: Date,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Guideline> {
    let dir = root.join(GUIDELINES_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let files = list_files(root, &dir, &["md"], problems);
    let mut out: Vec<Guideline> = files
        .iter()
        .filter_map(|f| {
            let translation = match super::translations::language_of(root, f, config) {
                Ok(t) => t,
                Err(d) => {
                    problems.push(d);
                    return None;
                }
            };
            match parse(root, f, config, now, translation, problems) {
                Ok(g) => Some(g),
                Err(ds) => {
                    problems.extend(ds);
                    None
                }
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.translation.cmp(&b.translation).then_with(|| {
            a.meta
                .order
                .unwrap_or(i64::MAX)
                .cmp(&b.meta.order.unwrap_or(i64::MAX))
                .then_with(|| a.title.cmp(&b.title))
        })
    });
    out
}

fn parse(
    root: &Path,
    file: &Path,
    config: &Config,
    now: Date,
    translation: Option<String>,
    problems: &mut Vec<Diagnostic>,
) -> Result<Guideline, Vec<Diagnostic>> {
    let source = read(root, file).map_err(|d| vec![d])?;
    let (meta, split): (GuidelineMeta, _) = front_matter::parse(
        &source,
        &front_matter::Kind {
            name: "guideline",
            what: "a guideline's front matter",
            example: "title: Code of Conduct",
        },
    )?;
    let title = meta
        .title
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if title.is_empty() {
        return Err(vec![Diagnostic::error(
            Code::Guideline,
            "this guideline has no title",
        )
        .at(&source, split.block.start..split.block.start + 3)
        .with_help("add `title: …` to the front matter")]);
    }
    if let Some(reviewed) = meta.reviewed {
        let days = config.guidelines.review_every_days;
        let age = reviewed.days_until(now);
        if age > i64::from(days) {
            let span = key_span(&source.text[split.yaml.clone()], "reviewed");
            problems.push(
                Diagnostic::warning(
                    Code::GuidelineReview,
                    format!("“{title}” was last reviewed {age} days ago ({}), more than the {days} days site.yaml asks", reviewed.ymd()),
                )
                .at(&source, span.start + split.yaml.start..span.end + split.yaml.start)
                .with_help("read it again with the team, then update `reviewed:`"),
            );
        }
    }
    if let (None, Some(v)) = (&translation, &meta.translates) {
        let span = key_span(&source.text[split.yaml.clone()], "translates");
        problems.push(
            Diagnostic::error(
                Code::Translation,
                format!(
                    "`translates: {}` is for translations (`{}`), not for the original",
                    v.0, "code-of-conduct.fr.md"
                ),
            )
            .at(
                &source,
                span.start + split.yaml.start..span.end + split.yaml.start,
            )
            .with_help("remove it; the original's version is `version:`"),
        );
    }
    let logical = crate::model::languages::logical_name(file, translation.as_deref());
    let stem = logical.strip_suffix(".md").unwrap_or(&logical).to_string();
    let slug = slugify(&stem);
    if slug.is_empty() {
        return Err(vec![Diagnostic::error(
            Code::EmptySlug,
            format!("the name `{stem}` leaves nothing usable in a URL"),
        )
        .in_file(&source.path)
        .with_help("rename the file with letters or digits")]);
    }
    Ok(Guideline {
        path: crate::model::url::guideline_path(Lang::SITE, &slug),
        slug,
        title,
        meta,
        body_start: split.body_start,
        front_matter: split.block,
        source,
        content: Content::default(),
        rules: Vec::new(),
        translation,
        behind: None,
    })
}
