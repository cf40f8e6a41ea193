//! Disk → `Site`. Every per-file problem is collected; nothing stops at the first.

pub mod content;
pub mod front_matter;
pub mod guidelines;
pub mod indexes;
pub mod links;
pub mod members;
pub mod pictures;
pub mod site_config;
pub mod source;
pub mod translations;

pub use crate::markdown::{Environment, LinkIndex, LinkTarget};
pub use site_config::{config, ConfigError, SiteConfig};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::config::key_span;
use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::markdown::{self, RenderOptions};
use crate::model::member::{Avatar, Member};
use crate::model::page::PageKind;
use crate::model::site::sort_pages;
use crate::model::{Date, Page, Site};
use source::slash_path;

pub const CONFIG_FILE: &str = "site.yaml";
pub use crate::model::folders::{CONTENT as CONTENT_DIR, STATIC as STATIC_DIR};

/// What a build asks of loading.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Replaces site.yaml's base_url (`--base-url`, or serve's local address).
    pub base_url: Option<String>,
    pub now: Date,
}

/// A loaded site and the markdown environment its texts render in (kept by
/// `serve` to re-render one page without reloading the rest).
pub struct Loaded {
    pub site: Site,
    pub markdown: Environment,
    /// The site in each of its other languages (SPEC §5), in site.yaml's order.
    pub editions: Vec<Site>,
}

/// Loads the whole site: sources and front matter, checked and cross-referenced;
/// markdown is rendered after, by `markdown::stage`. The site comes back with its
/// problems (every one of them, so one build reports all); only a missing site.yaml
/// or content/ folder returns none.
pub fn site(
    root: &Path,
    site_config: &SiteConfig,
    opts: &LoadOptions,
) -> (Option<Loaded>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let config = site_config.config.clone();
    let config_source = &site_config.source;
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error(Code::Config, "this site has no content/ folder")
                .at(config_source, 0..0)
                .with_help("create content/_index.md for the home page"),
        );
        return (None, problems);
    }
    let mut found = content::walk(root, &content_dir, &mut problems);
    let mut pages = Vec::new();
    // Files that failed to load are still known to links, so one broken page is one
    // error, not one more for every link to it.
    let mut broken = Vec::new();
    let mut languages = Vec::with_capacity(found.markdown.len());
    found.markdown.retain(
        |file| match translations::language_of(root, file, &config) {
            Ok(lang) => {
                languages.push(lang);
                true
            }
            Err(d) => {
                problems.push(d);
                broken.push(slash_path(&source::display_path(root, file)));
                false
            }
        },
    );
    for (file, result) in
        found
            .markdown
            .iter()
            .zip(content::read_pages(root, &found.markdown, &languages))
    {
        match result {
            Ok(page) => pages.push(page),
            Err(ds) => {
                problems.extend(ds);
                broken.push(slash_path(&source::display_path(root, file)));
            }
        }
    }
    let content_rel = PathBuf::from(CONTENT_DIR);
    content::assign_paths(&mut pages, &content_rel, &config.title);
    problems.extend(folder_clashes(root, &config, config_source, &found.dirs));
    let members::Loaded {
        members,
        broken: broken_members,
        translations: member_texts,
    } = members::load(root, &config, &mut problems);
    let mut guidelines = guidelines::load(root, &config, opts.now, &mut problems);
    let mut translated = translations::Found {
        guidelines: guidelines
            .iter()
            .filter(|g| g.translation.is_some())
            .cloned()
            .collect(),
        members: member_texts,
        pages: Vec::new(),
    };
    guidelines.retain(|g| g.translation.is_none());
    // A translation's URL is its edition's path under /CODE/.
    let full_path = |lang: &Option<String>, path: &str| match lang {
        Some(code) => crate::model::url::Lang::translation(code).path(path),
        None => path.to_string(),
    };

    // Every markdown file is known to links, drafts included, so a link to a draft says
    // so instead of "does not exist".
    let mut by_source: HashMap<String, LinkTarget> = HashMap::new();
    for p in &pages {
        let target = LinkTarget::Page {
            path: full_path(&p.translation, &p.path),
            draft: p.is_draft(),
        };
        by_source.insert(slash_path(&p.source.path), target);
    }
    for b in broken {
        by_source.insert(b, LinkTarget::Broken);
    }
    for m in members.values() {
        let target = LinkTarget::Page {
            path: m.path.clone(),
            draft: false,
        };
        by_source.insert(slash_path(&m.source.path), target);
    }
    for g in guidelines.iter().chain(&translated.guidelines) {
        let target = LinkTarget::Page {
            path: full_path(&g.translation, &g.path),
            draft: false,
        };
        by_source.insert(slash_path(&g.source.path), target);
    }
    for t in &translated.members {
        if let Some(m) = members.get(&t.handle) {
            let target = LinkTarget::Page {
                path: full_path(&Some(t.code.clone()), &m.path),
                draft: false,
            };
            by_source.insert(slash_path(&t.source.path), target);
        }
    }
    pages.retain(|p| opts.drafts || !p.is_draft());
    let (originals, their): (Vec<Page>, Vec<Page>) =
        pages.into_iter().partition(|p| p.translation.is_none());
    let pages = originals;
    translated.pages = their;
    check_unique_paths(&pages, &mut problems);
    check_member_references(&pages, &members, &broken_members, &mut problems);
    let sanitizer = std::sync::Arc::new(markdown::sanitize::Sanitizer::new(
        &markdown::sanitize::Policy {
            remote_images: config.members.remote_images,
            site_host: url::Url::parse(&config.base_url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
        },
    ));
    let known = links::Known {
        members: &members,
        broken_members: &broken_members,
        pages: &by_source,
        drafts_built: opts.drafts,
    };
    let curated = links::load(root, &known, &sanitizer, &mut problems);

    // Page bundles: folders whose index.md is a page, not a section.
    let bundles: BTreeMap<PathBuf, String> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Page && p.is_bundle())
        .map(|p| {
            let dir = p
                .dir
                .strip_prefix(&content_rel)
                .unwrap_or(&p.dir)
                .to_path_buf();
            (dir, p.path.clone())
        })
        .collect();
    let mut assets = content::assets(&content_dir, &found.assets, &bundles);
    let asset_urls: HashMap<String, String> = found
        .assets
        .iter()
        .zip(&assets)
        .map(|(src, a)| {
            (
                slash_path(&source::display_path(root, src)),
                format!("/{}", a.dest),
            )
        })
        .collect();

    assets.extend(content::static_files(
        root,
        &root.join(STATIC_DIR),
        &mut problems,
    ));

    // Avatars are published as checked at loading (an SVG rewritten), also when
    // they live under static/.
    for m in members.values() {
        if let Avatar::File {
            source,
            url_path,
            bytes,
        } = &m.avatar
        {
            let dest = url_path.trim_start_matches('/').to_string();
            match assets.iter_mut().find(|a| a.dest == dest) {
                Some(a) => a.bytes = Some(bytes.clone()),
                None => assets.push(crate::model::Asset {
                    source: source.clone(),
                    dest,
                    bytes: Some(bytes.clone()),
                }),
            }
        }
    }
    let avatars: BTreeSet<String> = members
        .values()
        .filter_map(|m| match &m.avatar {
            Avatar::File { url_path, .. } => Some(url_path.trim_start_matches('/').to_string()),
            Avatar::Placeholder { .. } => None,
        })
        .collect();
    let pictures = std::sync::Arc::new(pictures::take(
        root,
        &config,
        &mut assets,
        &avatars,
        &mut problems,
    ));
    let link_index = LinkIndex {
        base_path: config.base_path.clone(),
        pages: by_source,
        assets: asset_urls,
        drafts_built: opts.drafts,
        members: members.keys().cloned().collect(),
        pictures: pictures.clone(),
        ..LinkIndex::empty(root)
    };
    let (markdown, cache_problem) =
        Environment::open(root, link_index, sanitizer, config.content.sanitize);
    problems.extend(cache_problem);
    let sections = indexes::build_sections(&pages, &found.dirs, &bundles, &config.title);
    let tags = indexes::build_tags(&pages, &curated);
    let mut site = Site {
        root: root.to_path_buf(),
        config,
        pages,
        sections,
        tags,
        assets,
        pictures,
        members,
        links: curated,
        guidelines,
        // Known once the markdown stage has rendered the pages.
        mentions: BTreeMap::new(),
        now: opts.now,
        lang: None,
        borrowed: Vec::new(),
        languages: None,
    };
    let editions = translations::editions(&site, translated, &found.dirs, &bundles, &mut problems);
    site.pages.shrink_to_fit();
    (
        Some(Loaded {
            site,
            markdown,
            editions,
        }),
        problems,
    )
}

/// The folders a language's code would share with what the site publishes at
/// its root: a section (`content/news/` and a language `news`), a generated list,
/// or a folder of static/. Each is an error at the code in site.yaml.
pub fn folder_clashes(
    root: &Path,
    config: &crate::config::Config,
    source: &crate::diagnostics::SourceText,
    dirs: &[PathBuf],
) -> Vec<Diagnostic> {
    const GENERATED: &[&str] = &[
        "members",
        "spotlights",
        "links",
        "guidelines",
        "events",
        "tags",
        "promote",
        "search",
        "pagefind",
        "cards",
        "page",
    ];
    let mut problems = Vec::new();
    for code in config.language_codes() {
        let section = dirs.iter().any(|d| {
            d.components().count() == 1 && content::section_path(d) == format!("/{code}/")
        });
        let static_dir = root.join(crate::model::folders::STATIC).join(code).is_dir();
        let what = if section {
            format!("content/ has a section at /{code}/")
        } else if GENERATED.contains(&code) {
            format!("hearth publishes its own /{code}/")
        } else if static_dir {
            format!("static/{code}/ is published at /{code}/")
        } else {
            continue;
        };
        problems.push(
            Diagnostic::error(
                Code::Config,
                format!("the language `{code}` would be served under /{code}/, but {what}"),
            )
            .at(source, key_span(&source.text, code))
            .with_help("use the language's BCP 47 code (`fr`, `pt-br`), or rename the folder"),
        );
    }
    problems
}

/// Re-reads one content page, for `serve`: front matter, URL and markdown, with the
/// link index of the last full load. Cross-references are checked as in a build.
pub fn reload_page(
    root: &Path,
    file: &Path,
    kind: PageKind,
    env: &Environment,
    site: &Site,
) -> Result<Page, Vec<Diagnostic>> {
    let members = &site.members;
    let source = source::read(root, file).map_err(|d| vec![d])?;
    let mut page = content::from_source(source, kind, root, file, None)?;
    content::assign_paths(
        std::slice::from_mut(&mut page),
        Path::new(CONTENT_DIR),
        &site.config.title,
    );
    let mut problems = Vec::new();
    check_member_references(
        std::slice::from_ref(&page),
        members,
        &BTreeSet::new(),
        &mut problems,
    );
    let (r, found) = markdown::stage::render_text(
        &page.source,
        page.body_start,
        &page.dir,
        env,
        RenderOptions::default(),
    );
    problems.extend(found);
    if !problems.is_empty() {
        return Err(problems);
    }
    page.content = env.page_content(r.content);
    Ok(page)
}

/// Recomputes what depends on every page (section order, tags, mentions) after one
/// page changed in place.
pub fn reindex(site: &mut Site) {
    for s in site.sections.values_mut() {
        sort_pages(&site.pages, &mut s.pages, s.sort_by);
    }
    site.tags = indexes::build_tags(&site.pages, &site.links);
    site.mentions = markdown::stage::mentions_index(&site.pages);
}

/// [`reindex`] after pages were edited in place (`serve`): when the edits kept every
/// page's URL, tags and mentions, only the order of the sections and tags that hold
/// an edited page can have changed (a new title or date), so only those are sorted
/// again. At 10,000 pages this is a fraction of a millisecond against ~10 ms.
pub fn reorder(site: &mut Site, edited: &[usize]) {
    let holds = |ids: &[usize]| ids.iter().any(|i| edited.contains(i));
    for s in site.sections.values_mut() {
        if holds(&s.pages) {
            sort_pages(&site.pages, &mut s.pages, s.sort_by);
        }
    }
    for t in site.tags.values_mut() {
        if holds(&t.pages) {
            sort_pages(&site.pages, &mut t.pages, Default::default());
        }
    }
}

/// `authors:` and `spotlight:` must name members: one error at each wrong handle.
fn check_member_references(
    pages: &[Page],
    members: &BTreeMap<String, Member>,
    broken: &BTreeSet<String>,
    problems: &mut Vec<Diagnostic>,
) {
    for p in pages {
        let fm = p.front_matter.clone();
        let mut refs: Vec<(&str, &str)> = p
            .meta
            .authors
            .iter()
            .map(|a| ("author", a.as_str()))
            .collect();
        if let Some(s) = &p.meta.spotlight {
            refs.push(("spotlight", s.as_str()));
        }
        for (what, handle) in refs {
            if members.contains_key(handle) || broken.contains(handle) {
                continue;
            }
            let key = if what == "author" {
                "authors"
            } else {
                "spotlight"
            };
            let block = &p.source.text[fm.clone()];
            let key_at = key_span(block, key).start;
            let span = match block.get(key_at..).and_then(|rest| rest.find(handle)) {
                Some(i) if !handle.is_empty() => {
                    fm.start + key_at + i..fm.start + key_at + i + handle.len()
                }
                _ => fm.start..fm.start + 3,
            };
            let mut d = Diagnostic::error(
                Code::MemberRef,
                format!("{what} `{handle}` is not a member"),
            )
            .at(&p.source, span);
            d = match did_you_mean(handle, members.keys().map(String::as_str)) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d.with_help(format!(
                    "add members/{handle}.md, or use a member's handle (the file name in members/)"
                )),
            };
            problems.push(d);
        }
    }
}

/// Two sources for one URL is an error naming both.
pub(super) fn check_unique_paths<'a>(
    pages: impl IntoIterator<Item = &'a Page>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    let mut sorted: Vec<&Page> = pages.into_iter().collect();
    sorted.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    for p in sorted {
        if let Some(first) = seen.get(p.path.as_str()) {
            problems.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "{} and {} both want the URL {}",
                        first.source.path.display(),
                        p.source.path.display(),
                        p.path
                    ),
                )
                .at(&p.source, p.front_matter.clone())
                .with_help("give one of them another `slug:` or file name"),
            );
        } else {
            seen.insert(&p.path, p);
        }
    }
}
