//! `members/HANDLE.md` → members: handle rules, welcome answers, avatars.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front_matter;
use super::source::{list_files, read};
use crate::config::{key_span, value_span, Config};
use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::model::member::{
    hue, initials, is_valid_handle, Avatar, Member, MemberMeta, MemberText,
};
use crate::model::url::Lang;

pub use crate::model::folders::MEMBERS as MEMBERS_DIR;

/// Reads every member file. Bios are rendered later, once every handle is known.
pub fn load(root: &Path, config: &Config, problems: &mut Vec<Diagnostic>) -> Loaded {
    let dir = root.join(MEMBERS_DIR);
    let mut loaded = Loaded::default();
    if !dir.is_dir() {
        return loaded;
    }
    let mut files = list_files(root, &dir, &["md"], problems);
    // Translations (`ada.fr.md`: a bio and answers in French) are read apart.
    files.retain(
        |f| match super::translations::language_of(root, f, config) {
            Ok(None) => true,
            Ok(Some(code)) => {
                match parse_translation(root, f, &code, config) {
                    Ok(t) => loaded.translations.push(t),
                    Err(ds) => problems.extend(ds),
                }
                false
            }
            Err(d) => {
                problems.push(d);
                false
            }
        },
    );
    let results: Vec<Result<Member, Vec<Diagnostic>>> =
        files.par_iter().map(|f| parse(root, f, config)).collect();
    for (file, r) in files.iter().zip(results) {
        match r {
            Ok(m) => {
                loaded.members.insert(m.handle.clone(), m);
            }
            Err(ds) => {
                problems.extend(ds);
                if let Some(stem) = file.file_stem() {
                    loaded.broken.insert(stem.to_string_lossy().into_owned());
                }
            }
        }
    }
    loaded
}

/// The members that loaded, and the handles of member files that did not: their own
/// errors are reported, references to them are not (no follow-on errors).
#[derive(Default)]
pub struct Loaded {
    pub members: BTreeMap<String, Member>,
    pub broken: std::collections::BTreeSet<String>,
    /// Bios and answers in the site's other languages.
    pub translations: Vec<MemberText>,
}

/// The keys a member's translation may set.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslatedMeta {
    #[serde(default)]
    answers: BTreeMap<String, String>,
}

fn parse_translation(
    root: &Path,
    file: &Path,
    code: &str,
    config: &Config,
) -> Result<MemberText, Vec<Diagnostic>> {
    let source = read(root, file).map_err(|d| vec![d])?;
    let name = crate::model::languages::logical_name(file, Some(code));
    let handle = name.strip_suffix(".md").unwrap_or(&name).to_string();
    let (meta, split): (TranslatedMeta, _) = front_matter::parse(
        &source,
        &front_matter::Kind {
            name: "member translation",
            what: "a member translation's front matter (only `answers`; the rest of the profile is in the original)",
            example: "answers:",
        },
    )?;
    let yaml = &source.text[split.yaml.clone()];
    let mut problems = Vec::new();
    for key in meta.answers.keys() {
        let span = key_span(yaml, key);
        let span = span.start + split.yaml.start..span.end + split.yaml.start;
        problems.extend(unasked(config, key, &source, span));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(MemberText {
        handle,
        code: code.to_string(),
        body_start: split.body_start,
        front_matter: split.block,
        answers: meta.answers,
        source,
    })
}

fn parse(root: &Path, file: &Path, config: &Config) -> Result<Member, Vec<Diagnostic>> {
    let source = read(root, file).map_err(|d| vec![d])?;
    let handle = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut problems = Vec::new();
    if !is_valid_handle(&handle) {
        let suggestion = crate::model::url::slugify(&handle);
        problems.push(
            Diagnostic::error(
                Code::Member,
                format!("`{handle}` is not a valid handle: the file name must be lowercase letters, digits and hyphens"),
            )
            .in_file(&source.path)
            .with_help(format!("rename the file to members/{suggestion}.md")),
        );
        return Err(problems);
    }
    let (meta, split): (MemberMeta, _) = front_matter::parse(
        &source,
        &front_matter::Kind {
            name: "member file",
            what: "a member's front matter",
            example: "name: Your Name",
        },
    )?;
    let yaml = &source.text[split.yaml.clone()];
    let at = |range: std::ops::Range<usize>| {
        if range == (0..0) {
            split.block.start..split.block.start + 3
        } else {
            range.start + split.yaml.start..range.end + split.yaml.start
        }
    };
    let name = meta
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        problems.push(
            Diagnostic::error(Code::Member, format!("member `{handle}` has no name"))
                .at(&source, split.block.start..split.block.start + 3)
                .with_help("add `name: …` to the front matter"),
        );
    }
    for key in meta.answers.keys() {
        problems.extend(unasked(config, key, &source, at(key_span(yaml, key))));
    }
    for link in &meta.links {
        // A profile may also give an e-mail address to write to.
        let url = link.url.trim();
        if url.starts_with("mailto:") && url::Url::parse(url).is_ok() {
            continue;
        }
        if let Err(why) = crate::model::url::check_web_url(url) {
            problems.push(
                Diagnostic::error(Code::Member, format!("link `{}`: {why}", link.url))
                    .at(&source, at(value_span(yaml, &link.url)))
                    .with_help("profile links must start with https://, http:// or mailto:"),
            );
        }
    }
    let path = crate::model::url::member_path(Lang::SITE, &handle);
    let placeholder = || Avatar::Placeholder {
        initials: initials(&name),
        hue: hue(&handle),
    };
    let avatar = match &meta.avatar {
        Some(a) => match find_avatar(root, file, a) {
            Ok(Some((src, url_path))) => {
                let checked = crate::site_fs::read(root, &src).and_then(|bytes| {
                    crate::images::safe_picture(a, bytes).map_err(|why| {
                        Diagnostic::error(Code::Avatar, format!("avatar `{a}`: {why}"))
                            .at(&source, at(value_span(yaml, a)))
                            .with_help(
                                "use a PNG, JPEG, WebP or SVG picture of a few hundred pixels",
                            )
                    })
                });
                match checked {
                    Ok(bytes) => Avatar::File {
                        source: src,
                        url_path: url_path.unwrap_or_else(|| format!("{path}{}", file_name(a))),
                        bytes: std::sync::Arc::new(bytes),
                    },
                    Err(d) => {
                        problems.push(d);
                        placeholder()
                    }
                }
            }
            Ok(None) => {
                problems.push(
                    Diagnostic::error(Code::Member, format!("avatar `{a}` does not exist"))
                        .at(&source, at(value_span(yaml, a)))
                        .with_help(format!(
                            "put the picture beside the member file (members/{a}) or under static/, or remove `avatar:` for a placeholder"
                        )),
                );
                placeholder()
            }
            Err(d) => {
                problems.push(d);
                placeholder()
            }
        },
        None => placeholder(),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Member {
        handle,
        name,
        meta,
        body_start: split.body_start,
        front_matter: split.block,
        path,
        avatar,
        bio_html: String::new(),
        bio_lead: String::new(),
        source,
    })
}

/// An answer to a question site.yaml does not ask is an error at its key.
fn unasked(
    config: &Config,
    key: &str,
    source: &crate::diagnostics::SourceText,
    span: std::ops::Range<usize>,
) -> Option<Diagnostic> {
    let keys: Vec<&str> = config
        .members
        .questions
        .iter()
        .map(|q| q.key.as_str())
        .collect();
    if keys.contains(&key) {
        return None;
    }
    let d = Diagnostic::error(
        Code::Member,
        format!("`{key}` answers a question that site.yaml does not ask"),
    )
    .at(source, span);
    Some(match did_you_mean(key, keys.iter().copied()) {
        Some(best) => d.with_help(format!("did you mean `{best}`?")),
        None if keys.is_empty() => d.with_help("site.yaml has no `members.questions`"),
        None => d.with_help(format!("the questions are: {}", keys.join(", "))),
    })
}

fn file_name(p: &str) -> String {
    p.rsplit('/').next().unwrap_or(p).to_string()
}

/// An avatar beside the member file (copied under the profile's URL) or under
/// static/ (already copied; its URL is its path there), found through the guarded
/// door: a link out of the site is an error, not a picture.
fn find_avatar(
    root: &Path,
    member_file: &Path,
    avatar: &str,
) -> Result<Option<(PathBuf, Option<String>)>, Diagnostic> {
    if avatar.split('/').any(|part| part == "..") {
        return Ok(None);
    }
    let rel = avatar.trim_start_matches('/');
    if let Some(dir) = member_file.parent() {
        let beside = dir.join(rel);
        if !rel.contains('/') && crate::site_fs::is_file(root, &beside)? {
            return Ok(Some((beside, None)));
        }
    }
    let in_static = root.join(crate::model::folders::STATIC).join(rel);
    if crate::site_fs::is_file(root, &in_static)? {
        return Ok(Some((in_static, Some(format!("/{rel}")))));
    }
    Ok(None)
}
