//! Translations beside their originals (SPEC §5): `welcome.fr.md` beside
//! `welcome.md`, `_index.fr.md`, `members/ada.fr.md`, `guidelines/x.fr.md`. A
//! file's language comes from its name; what a translation does not set comes
//! from its original; each language of `languages` becomes an edition of the
//! site (a `Site` whose `lang` is the code): its own pages, and in its lists the
//! originals it has no translation of.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::source::{display_path, slash_path};
use crate::config::{key_span, Config};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::guideline::{Behind, Guideline};
use crate::model::languages::{looks_like_code, original_source};
use crate::model::member::MemberText;
use crate::model::page::PageKind;
use crate::model::{Page, Site};

/// The language `file` is written in, by its name: `None` for an original (and
/// for every file of a site without `languages`), the code for `x.CODE.md`. A
/// suffix shaped like a code that is not one of `languages` is an error naming
/// the file.
pub fn language_of(
    root: &Path,
    file: &Path,
    config: &Config,
) -> Result<Option<String>, Diagnostic> {
    let Some(languages) = &config.languages else {
        return Ok(None);
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((_, suffix)) = stem.rsplit_once('.') else {
        return Ok(None);
    };
    if !looks_like_code(suffix) {
        return Ok(None);
    }
    if let Some(code) = languages.keys().find(|c| c.eq_ignore_ascii_case(suffix)) {
        return Ok(Some(code.clone()));
    }
    let shown = display_path(root, file);
    let why = if suffix.eq_ignore_ascii_case(&config.language) {
        format!(
            "{} ends in `.{suffix}`, the default language: its pages need no suffix",
            shown.display()
        )
    } else {
        format!(
            "{} ends in `.{suffix}`, which is not one of the site's `languages`",
            shown.display()
        )
    };
    let known: Vec<&str> = languages.keys().map(String::as_str).collect();
    Err(Diagnostic::error(Code::Translation, why)
        .in_file(&shown)
        .with_help(match known.is_empty() {
            true => format!("add `{suffix}` to `languages` in site.yaml, or rename the file"),
            false => format!(
                "the site's other languages are {}; add `{suffix}` to `languages` in site.yaml, or rename the file",
                known.join(", ")
            ),
        }))
}

/// Takes from its original what a page translation does not set (SPEC §5: date,
/// updated, authors, event, spotlight, weight, and a section's list settings).
pub fn inherit(t: &mut Page, original: &Page) {
    let o = &original.meta;
    let m = &mut t.meta;
    if t.date.is_none() {
        t.date = original.date;
    }
    m.updated = m.updated.or(o.updated);
    if m.authors.is_empty() {
        m.authors = o.authors.clone();
    }
    if m.event.is_none() {
        m.event = o.event.clone();
    }
    if m.spotlight.is_none() {
        m.spotlight = o.spotlight.clone();
    }
    m.weight = m.weight.or(o.weight);
    m.sort_by = m.sort_by.or(o.sort_by);
    m.paginate_by = m.paginate_by.or(o.paginate_by);
    m.feed = m.feed.or(o.feed);
    if m.template.is_none() {
        m.template = o.template.clone();
    }
    if m.search.is_none() {
        m.search = o.search;
    }
    if t.kind == PageKind::SectionIndex && t.meta.title.is_none() {
        t.title = original.title.clone();
    }
}

/// What loading found in the site's other languages, placed by [`editions`].
#[derive(Default)]
pub struct Found {
    pub pages: Vec<Page>,
    pub members: Vec<MemberText>,
    pub guidelines: Vec<Guideline>,
}

/// Each language of `languages` as an edition of `site` (whose pages, members and
/// guidelines are the originals), in site.yaml's order.
pub fn editions(
    site: &Site,
    mut found: Found,
    dirs: &[PathBuf],
    bundles: &BTreeMap<PathBuf, String>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Site> {
    let Some(languages) = &site.config.languages else {
        return Vec::new();
    };
    let originals: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (slash_path(&p.source.path), i))
        .collect();
    for t in &mut found.pages {
        let code = t.translation.clone().unwrap_or_default();
        let key = original_source(&slash_path(&t.source.path), &code);
        if let Some(&i) = originals.get(&key) {
            inherit(t, &site.pages[i]);
        }
    }
    for m in &found.members {
        if !site.members.contains_key(&m.handle) {
            problems.push(
                Diagnostic::error(
                    Code::Translation,
                    format!(
                        "{} translates a member profile, but there is no members/{}.md",
                        m.source.path.display(),
                        m.handle
                    ),
                )
                .in_file(&m.source.path)
                .with_help("a translation holds a bio and answers; the profile itself is members/HANDLE.md"),
            );
        }
    }
    languages
        .iter()
        .map(|(code, lc)| {
            let mut config = site.config.clone();
            config.base_url = format!("{}{code}/", config.root_url);
            config.base_path = format!("{}{code}/", config.root_path);
            config.language = code.clone();
            if let Some(t) = &lc.title {
                config.title = t.clone();
            }
            if let Some(d) = &lc.description {
                config.description = d.clone();
            }
            if let Some(m) = &lc.menu {
                config.menu = m.clone();
            }
            edition(
                site, &originals, config, code, &mut found, dirs, bundles, problems,
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn edition(
    site: &Site,
    originals: &HashMap<String, usize>,
    config: Config,
    code: &str,
    found: &mut Found,
    dirs: &[PathBuf],
    bundles: &BTreeMap<PathBuf, String>,
    problems: &mut Vec<Diagnostic>,
) -> Site {
    let mine = |lang: &Option<String>| lang.as_deref() == Some(code);
    let mut translations: HashMap<String, Page> = HashMap::new();
    let mut alone = Vec::new();
    for p in std::mem::take(&mut found.pages) {
        if !mine(&p.translation) {
            found.pages.push(p);
            continue;
        }
        let key = original_source(&slash_path(&p.source.path), code);
        if originals.contains_key(&key) {
            translations.insert(key, p);
        } else {
            alone.push(p);
        }
    }
    let mut pages = Vec::with_capacity(site.pages.len() + alone.len());
    let mut borrowed = Vec::new();
    for (i, o) in site.pages.iter().enumerate() {
        match translations.remove(&slash_path(&o.source.path)) {
            Some(t) => pages.push(t),
            None => {
                let mut copy = o.clone();
                // The home page without a title of its own is named after the
                // site, in this language.
                if copy.kind == PageKind::SectionIndex
                    && copy.meta.title.is_none()
                    && copy.path == "/"
                {
                    copy.title.clone_from(&config.title);
                }
                borrowed.push((pages.len(), i));
                pages.push(copy);
            }
        }
    }
    pages.extend(alone);
    super::check_unique_paths(pages.iter().filter(|p| mine(&p.translation)), problems);

    let mut members = site.members.clone();
    for t in found.members.iter().filter(|t| t.code == code) {
        if let Some(m) = members.get_mut(&t.handle) {
            m.source = t.source.clone();
            m.body_start = t.body_start;
            m.front_matter = t.front_matter.clone();
            m.meta.answers.extend(t.answers.clone());
        }
    }

    let mut guidelines: Vec<Guideline> = Vec::new();
    let mut theirs: Vec<Guideline> = Vec::new();
    found.guidelines.retain(|g| match mine(&g.translation) {
        true => {
            theirs.push(g.clone());
            false
        }
        false => true,
    });
    for o in &site.guidelines {
        match theirs.iter().position(|t| t.slug == o.slug) {
            Some(at) => {
                let mut t = theirs.remove(at);
                t.meta.order = t.meta.order.or(o.meta.order);
                t.behind = behind(&t, o, problems);
                guidelines.push(t);
            }
            None => guidelines.push(o.clone()),
        }
    }
    for t in theirs {
        if let Some(v) = &t.meta.translates {
            problems.push(
                Diagnostic::error(
                    Code::Translation,
                    format!(
                        "`translates: {}`, but there is no original guidelines/{}.md",
                        v.0, t.slug
                    ),
                )
                .at(&t.source, translates_span(&t))
                .with_help("remove `translates:`, or add the original"),
            );
        }
        guidelines.push(t);
    }

    let sections = super::indexes::build_sections(&pages, dirs, bundles, &config.title);
    let tags = super::indexes::build_tags(&pages, &site.links);
    Site {
        root: site.root.clone(),
        config,
        pages,
        sections,
        tags,
        // Published by the default edition; known here for the favicon.
        assets: site.assets.clone(),
        pictures: site.pictures.clone(),
        members,
        links: site.links.clone(),
        guidelines,
        mentions: BTreeMap::new(),
        now: site.now,
        lang: Some(code.to_string()),
        borrowed,
        languages: None,
    }
}

fn translates_span(g: &Guideline) -> std::ops::Range<usize> {
    let fm = g.front_matter.clone();
    let at = key_span(&g.source.text[fm.clone()], "translates");
    match at == (0..0) {
        true => fm.start..fm.start + 3,
        false => fm.start + at.start..fm.start + at.end,
    }
}

/// Whether guideline translation `t` follows an older version than its original
/// `o` (SPEC §5): a warning, and a notice on the page. A `translates:` that names
/// no version of the original is an error.
fn behind(t: &Guideline, o: &Guideline, problems: &mut Vec<Diagnostic>) -> Option<Behind> {
    let Some(current) = o.meta.version.as_ref() else {
        if let Some(v) = &t.meta.translates {
            problems.push(
                Diagnostic::error(
                    Code::Translation,
                    format!(
                        "`translates: {}`, but guidelines/{}.md has no `version`",
                        v.0, o.slug
                    ),
                )
                .at(&t.source, translates_span(t))
                .with_help("give the original a `version:`, or remove `translates:`"),
            );
        }
        return None;
    };
    let versions: Vec<&str> = std::iter::once(current.0.as_str())
        .chain(
            o.meta
                .changes
                .iter()
                .filter_map(|c| c.version.as_ref().map(|v| v.0.as_str())),
        )
        .collect();
    let follows = match &t.meta.translates {
        Some(v) if v.0 == current.0 => return None,
        Some(v) if versions.contains(&v.0.as_str()) => v.0.clone(),
        Some(v) => {
            problems.push(
                Diagnostic::error(
                    Code::Translation,
                    format!(
                        "`translates: {}` names no version of guidelines/{}.md (its versions: {})",
                        v.0,
                        o.slug,
                        versions.join(", ")
                    ),
                )
                .at(&t.source, translates_span(t))
                .with_help(format!(
                    "write the version this text translates, such as `translates: \"{}\"`",
                    current.0
                )),
            );
            return None;
        }
        None => "an earlier version".to_string(),
    };
    let mut d = Diagnostic::warning(
        Code::TranslationBehind,
        format!(
            "“{}” follows version {follows} of “{}”; the current version is {}",
            t.title, o.title, current.0
        ),
    )
    .with_help(format!(
        "bring the translation up to date with guidelines/{}.md, then set `translates: \"{}\"`",
        o.slug, current.0
    ));
    d = match t.meta.translates.is_some() {
        true => d.at(&t.source, translates_span(t)),
        false => d.in_file(&t.source.path),
    };
    problems.push(d);
    Some(Behind {
        follows,
        current: current.0.clone(),
        original: o.path.clone(),
    })
}
