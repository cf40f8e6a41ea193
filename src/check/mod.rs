//! `hearth check`: everything a build validates, without writing anything, plus the
//! links and anchors of the rendered pages, descriptions and cards, and with
//! `--external` every outside link. A thin driver around the build pipeline.

mod a11y;
pub mod external;
pub mod links;
pub mod report;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceText};
use crate::load::LoadOptions;
use crate::model::Date;
use crate::output::Body;
use links::{BrokenKind, HtmlPage};

/// A link broken on more pages than this is reported once: it is in a template.
const COLLAPSE_AFTER: usize = 2;

pub struct CheckOptions {
    pub site: PathBuf,
    /// `--external`, with what it may reach.
    pub external: Option<external::Policy>,
    pub strict: bool,
    pub now: Date,
}

/// What a check found: problems (errors and warnings) and reports for the team.
pub struct Findings {
    pub diagnostics: Diagnostics,
    pub notes: Vec<String>,
}

pub fn run(opts: &CheckOptions) -> Result<Findings, String> {
    let root = &opts.site;
    if !root.is_dir() {
        return Err(format!("{} is not a folder", root.display()));
    }
    let load_opts = LoadOptions {
        drafts: false,
        base_url: None,
        now: opts.now,
    };
    let mut diags = Diagnostics::default();
    let built = match crate::prepare(root, &load_opts) {
        Ok(b) => b,
        Err(d) => {
            return Ok(Findings {
                diagnostics: d,
                notes: Vec::new(),
            })
        }
    };
    diags.extend(built.diagnostics.items.iter().cloned());
    let site = &built.site;
    let sources: BTreeMap<String, SourceText> = site
        .pages
        .iter()
        .map(|p| (p.source.path.display().to_string(), p.source.clone()))
        .chain(
            site.members
                .values()
                .map(|m| (m.source.path.display().to_string(), m.source.clone())),
        )
        .chain(
            site.guidelines
                .iter()
                .map(|g| (g.source.path.display().to_string(), g.source.clone())),
        )
        .collect();

    // Internal links and anchors, in every rendered page (templates included).
    let mut files: HashSet<String> = built.outputs.iter().map(|o| o.path.clone()).collect();
    files.extend(built.plan.jobs.iter().map(|j| j.output.clone()));
    // Pictures are made by `build` (and by serve when asked), not rendered.
    files.extend(
        site.pictures
            .list
            .iter()
            .flat_map(|p| p.outputs().map(str::to_string)),
    );
    files.extend(built.asked_pictures().into_iter().map(|r| r.made.dest));
    for e in &built.editions {
        files.extend(e.plan.jobs.iter().map(|j| j.output.clone()));
    }
    let pages: Vec<HtmlPage> = built
        .outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .filter_map(|o| match &o.body {
            Body::Bytes(b) => std::str::from_utf8(b).ok().map(|html| HtmlPage {
                path: &o.path,
                html,
                origin: &o.origin,
            }),
            _ => None,
        })
        .collect();
    let broken = links::check(&pages, &files, &site.config);
    let mut by_target: BTreeMap<&str, Vec<&links::Broken>> = BTreeMap::new();
    for b in &broken {
        by_target.entry(&b.target).or_default().push(b);
    }
    for (target, all) in by_target {
        if all.len() > COLLAPSE_AFTER {
            let mut examples: Vec<&str> = all.iter().take(3).map(|b| b.on.as_str()).collect();
            if all.len() > 3 {
                examples.push("…");
            }
            diags.push(
                Diagnostic::error(
                    Code::BrokenLink,
                    format!(
                        "`{target}` is broken on {} pages ({})",
                        all.len(),
                        examples.join(", ")
                    ),
                )
                .with_help(
                    "a link on this many pages is usually in a template or the site.yaml menu",
                ),
            );
            continue;
        }
        for b in all {
            diags.push(broken_diagnostic(b, &sources, &site.config.base_path));
        }
    }

    // Headings that skip a level and links with no text, at their lines.
    for p in &site.pages {
        diags.extend(a11y::check(&p.source, p.body_start));
    }
    for m in site.members.values() {
        diags.extend(a11y::check(&m.source, m.body_start));
    }
    for g in &site.guidelines {
        diags.extend(a11y::check(&g.source, g.body_start));
    }

    // Every page and item has a description for search engines and cards.
    for p in &site.pages {
        if p.description().trim().is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::NoDescription,
                    format!(
                        "“{}” has no description and no text to take one from",
                        p.title
                    ),
                )
                .at(&p.source, p.front_matter.start..p.front_matter.start + 3)
                .with_help("add `description: …` to the front matter"),
            );
        }
    }

    // Every og:image names a card (or file) the build writes.
    for page in &pages {
        if let Some(image) = og_image(page.html) {
            let path = image
                .strip_prefix(site.config.base_url.as_str())
                .unwrap_or(&image)
                .to_string();
            if !files.contains(&path) {
                diags.push(Diagnostic::error(
                    Code::MissingCard,
                    format!(
                        "/{} points og:image at {image}, which the build does not write",
                        page.path
                    ),
                ));
            }
        }
    }

    let mut notes = crate::community_notes(site);
    if let Some(policy) = &opts.external {
        notes.extend(check_external(
            site, &sources, &mut diags, opts.now, root, policy,
        ));
    }
    if opts.strict {
        diags.promote_warnings();
    }
    diags.sort();
    Ok(Findings {
        diagnostics: diags,
        notes,
    })
}

fn og_image(html: &str) -> Option<String> {
    let at = html.find("<meta property=\"og:image\" content=\"")?;
    let rest = &html[at + 35..];
    Some(crate::escape::text_of(&rest[..rest.find('"')?]))
}

/// Points at the link in its markdown when it can be found there.
fn broken_diagnostic(
    b: &links::Broken,
    sources: &BTreeMap<String, SourceText>,
    base_path: &str,
) -> Diagnostic {
    let (code, what) = match b.kind {
        BrokenKind::Missing => (
            Code::BrokenLink,
            "goes to a page or file the site does not have",
        ),
        BrokenKind::Anchor => (
            Code::BrokenAnchor,
            "names an anchor that is not on its page",
        ),
        BrokenKind::OutsideBase => (
            Code::UnprefixedLink,
            "is a site path without the base_url's path; it breaks when published",
        ),
    };
    let mut d = Diagnostic::error(code, format!("the link `{}` on {} {what}", b.target, b.on));
    d = match b.kind {
        BrokenKind::OutsideBase => d.with_help(format!("write it relative to the page, or start it with {base_path}")),
        BrokenKind::Anchor => d.with_help("check the heading's text: ids follow GitHub's rule (lowercase, hyphens)"),
        BrokenKind::Missing if b.target.split(['#', '?']).next().is_some_and(|p| p.ends_with('/')) => {
            d.with_help("link to the page's markdown file (`../about.md`) to have hearth check it as you write")
        }
        BrokenKind::Missing => d.with_help("put the file under static/ or beside the page in content/"),
    };
    match sources.get(&b.origin) {
        Some(src) => {
            let unprefixed = b
                .target
                .strip_prefix(base_path.trim_end_matches('/'))
                .unwrap_or(&b.target);
            let fragment = b.target.split_once('#').map(|(_, f)| format!("#{f}"));
            let candidates = [
                Some(b.target.as_str()),
                Some(unprefixed),
                fragment.as_deref(),
            ];
            let found = candidates
                .into_iter()
                .flatten()
                .find_map(|c| src.text.find(c).map(|i| i..i + c.len()));
            match found {
                Some(span) => d.at(src, span),
                None => d.in_file(&src.path),
            }
        }
        None => d.with_help(format!(
            "it is in {}: a template or generated page",
            b.origin
        )),
    }
}

/// An outside URL, where it is written (file and span) and who curated it.
type Outside = (
    String,
    Option<(SourceText, std::ops::Range<usize>)>,
    Option<String>,
);

/// Fetches outside links; returns the link-rot report by curator.
fn check_external(
    site: &crate::model::Site,
    sources: &BTreeMap<String, SourceText>,
    diags: &mut Diagnostics,
    now: Date,
    root: &Path,
    policy: &external::Policy,
) -> Vec<String> {
    // (url, where it is written, curator)
    let mut targets: Vec<Outside> = Vec::new();
    for l in &site.links {
        targets.push((
            l.meta.url.clone(),
            Some((l.source.clone(), l.span.clone())),
            l.meta.curated_by.clone(),
        ));
    }
    for m in site.members.values() {
        for link in m.meta.links.iter().filter(|l| l.url.starts_with("http")) {
            let span = m.source.text.find(&link.url).map(|i| i..i + link.url.len());
            targets.push((link.url.clone(), span.map(|s| (m.source.clone(), s)), None));
        }
    }
    for p in &site.pages {
        for url in links::links(&p.content.html) {
            if (url.starts_with("http://") || url.starts_with("https://"))
                && !url.starts_with(&site.config.base_url)
            {
                let src = sources.get(&p.source.path.display().to_string()).cloned();
                let span = src
                    .as_ref()
                    .and_then(|s| s.text.find(&url).map(|i| i..i + url.len()));
                targets.push((url, src.zip(span), None));
            }
        }
    }
    let cache_file = match crate::site_fs::cache_dir(root, "") {
        Ok(dir) => Some(dir.join(external::CACHE_FILE)),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let cache = external::Cache::open(cache_file);
    let urls: Vec<String> = targets.iter().map(|t| t.0.clone()).collect();
    let outcomes = external::check(&urls, &cache, now, policy);
    cache.save();
    let mut rot: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut reported = HashSet::new();
    for (url, place, curator) in &targets {
        let Some(outcome) = outcomes.get(url) else {
            continue;
        };
        let d = match outcome {
            external::Outcome::Ok(_) => continue,
            external::Outcome::Blocked(code) => Diagnostic::warning(
                Code::BlockedExternal,
                format!("{url} answered {code}: it blocks robots or limits requests; check it in a browser"),
            ),
            external::Outcome::NotChecked(why) => {
                Diagnostic::warning(Code::NotChecked, format!("{url}: {why}"))
            }
            external::Outcome::Broken(why) => {
                if let Some(c) = curator {
                    rot.entry(c.clone()).or_default().push(url.clone());
                }
                Diagnostic::error(Code::BrokenExternal, format!("{url} is broken: {why}"))
            }
        };
        let key = (
            url.clone(),
            place.as_ref().map(|(s, r)| (s.path.clone(), r.start)),
        );
        if !reported.insert(key) {
            continue;
        }
        diags.push(match place {
            Some((src, span)) => d.at(src, span.clone()),
            None => d,
        });
    }
    rot.into_iter()
        .map(|(curator, urls)| {
            let name = site
                .members
                .get(&curator)
                .map_or(curator.clone(), |m| m.name.clone());
            format!(
                "link rot: {} of the links {name} (@{curator}) curated are broken: {}",
                urls.len(),
                urls.join(", ")
            )
        })
        .collect()
}
