//! The markdown stage, between loading and rendering: every text of a loaded site
//! (pages, bios, guidelines) rendered to HTML with the site's link index, in
//! parallel. Broken links become diagnostics at their place in the file; every one
//! of them is reported, with whatever loading found.
//!
//! A page's rendered text is keyed by its source path: given the site of an earlier
//! load (`Earlier`, kept by `serve`), a page whose file and link targets are
//! unchanged keeps its text, so a page appearing, moving or disappearing costs one
//! render, not ten thousand. Any other page is looked up in the text cache
//! (`text_cache`), which does the same between builds, before it is rendered.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use super::{Environment, LinkIndex, LinkResolver, RenderOptions, Rendered};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::page::Content;
use crate::model::{Page, Site};

/// An earlier load's pages by source path, with the link index they rendered with.
pub struct Earlier<'a> {
    pages: HashMap<&'a Path, &'a Page>,
    index: &'a LinkIndex,
    sanitize_pages: bool,
}

impl<'a> Earlier<'a> {
    pub fn new(site: &'a Site, env: &'a Environment) -> Self {
        let index = &env.links;
        Earlier {
            pages: site
                .pages
                .iter()
                .map(|p| (p.source.path.as_path(), p))
                .collect(),
            index,
            sanitize_pages: env.sanitize_pages,
        }
    }

    /// The earlier text of `page` when rendering it again against `index` would
    /// give the same: the same file, and every markdown file it links to the same
    /// target.
    fn content_for(&self, page: &Page, index: &LinkIndex) -> Option<Content> {
        let old = self.pages.get(page.source.path.as_path())?;
        let same = old.source.text == page.source.text
            && old.body_start == page.body_start
            && old.dir == page.dir
            && index.resolves_alike(self.index, &old.content.links_to);
        same.then(|| old.content.clone())
    }
}

/// Whether pages keep their markdown once it is rendered. `serve` keeps it (an
/// edit is compared with it); a build has no use for it after this stage, and
/// letting each page's go as soon as it is rendered makes room for the HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    Keep,
    /// Keep only the front matter (later errors point into it).
    Drop,
}

/// Renders every page, bio and guideline of `site` in place and indexes who is
/// @mentioned where. Pages that `earlier` already rendered alike keep their text.
/// The pages `deferred` are left out (a build renders them batch by batch with
/// [`render_pages`], each batch written before the next is made). Returns the
/// problems found in the texts and the indices of the pages rendered (not kept).
pub fn render_site(
    site: &mut Site,
    env: &Environment,
    earlier: Option<&Earlier>,
    bodies: Bodies,
    deferred: &[usize],
) -> (Vec<Diagnostic>, Vec<usize>) {
    let deferred: std::collections::HashSet<usize> = deferred.iter().copied().collect();
    let which: Vec<usize> = (0..site.pages.len())
        .filter(|i| !deferred.contains(i))
        .collect();
    let (mut problems, fresh) = render_pages(site, env, earlier, bodies, &which);
    site.mentions = mentions_index(&site.pages);

    let bios: Vec<_> = site
        .members
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|m| {
            let dir = m.source.path.parent().unwrap_or(Path::new(""));
            render_text(&m.source, m.body_start, dir, env, RenderOptions::default())
        })
        .collect();
    let sanitize = site.config.members.sanitize;
    for (m, (r, found)) in site.members.values_mut().zip(bios) {
        problems.extend(found);
        m.bio_html = if sanitize {
            env.sanitizer.clean(&r.content.html)
        } else {
            r.content.html
        };
        m.bio_lead = r.content.lead;
    }

    let numbered = RenderOptions {
        numbered_rules: true,
    };
    let texts: Vec<_> = site
        .guidelines
        .par_iter()
        .map(|g| {
            let dir = g.source.path.parent().unwrap_or(Path::new(""));
            render_text(&g.source, g.body_start, dir, env, numbered)
        })
        .collect();
    for (g, (r, found)) in site.guidelines.iter_mut().zip(texts) {
        problems.extend(found);
        g.content = r.content;
        g.rules = r.rules;
    }
    (problems, fresh)
}

/// Renders the pages `which` of `site` in place (in parallel); pages that `earlier`
/// rendered alike keep their text. Returns the problems found and the indices of
/// the pages rendered.
pub fn render_pages(
    site: &mut Site,
    env: &Environment,
    earlier: Option<&Earlier>,
    bodies: Bodies,
    which: &[usize],
) -> (Vec<Diagnostic>, Vec<usize>) {
    let mut problems = Vec::new();
    let earlier = earlier
        .filter(|e| env.links.same_settings(e.index) && e.sanitize_pages == env.sanitize_pages);
    let chosen: std::collections::HashSet<usize> = which.iter().copied().collect();
    // The chosen pages first, then the work split among them (splitting all pages
    // would leave one core with the whole batch).
    let pages: Vec<(usize, &mut Page)> = site
        .pages
        .iter_mut()
        .enumerate()
        .filter(|(i, _)| chosen.contains(i))
        .collect();
    let rendered: Vec<_> = pages
        .into_par_iter()
        .map(|(i, p)| {
            let text = match earlier.and_then(|e| e.content_for(p, &env.links)) {
                Some(kept) => {
                    env.kept_earlier_text();
                    Ok(kept)
                }
                None => Err(cached_or_rendered(p, env)),
            };
            if bodies == Bodies::Drop {
                p.source.text = std::sync::Arc::from(&p.source.text[..p.body_start]);
            }
            (i, text)
        })
        .collect();
    let mut fresh = Vec::new();
    for (i, text) in rendered {
        site.pages[i].content = match text {
            Ok(kept) => kept,
            Err((content, found)) => {
                problems.extend(found);
                fresh.push(i);
                content
            }
        };
    }
    (problems, fresh)
}

/// A page's text from the text cache, else rendered (and kept there when it has
/// no problems), sanitized when the site says so.
fn cached_or_rendered(p: &Page, env: &Environment) -> (Content, Vec<Diagnostic>) {
    let key = env.text_key(&p.dir, &p.source.text[p.body_start..]);
    if let Some(kept) = env.cached_text(&key) {
        return (kept, Vec::new());
    }
    let (r, found) = render_text(
        &p.source,
        p.body_start,
        &p.dir,
        env,
        RenderOptions::default(),
    );
    let content = env.page_content(r.content);
    if found.is_empty() {
        env.keep_text(key, &content, &r.asked);
    }
    (content, found)
}

/// Renders one markdown body (from `body_start` of `source`, in folder `dir` for
/// relative links); broken links become diagnostics at their place in the file.
pub fn render_text(
    source: &SourceText,
    body_start: usize,
    dir: &Path,
    env: &Environment,
    opts: RenderOptions,
) -> (Rendered, Vec<Diagnostic>) {
    let ctx = LinkResolver::new(env, dir);
    let mut r = super::render(&source.text[body_start..], &ctx, opts);
    (r.content.links_to, r.asked) = ctx.into_consulted();
    let problems = r
        .problems
        .iter()
        .map(|prob| {
            let span = prob.span.start + body_start..prob.span.end + body_start;
            let d = if prob.warning {
                Diagnostic::warning(prob.code, prob.message.clone())
            } else {
                Diagnostic::error(prob.code, prob.message.clone())
            }
            .at(source, span);
            match &prob.help {
                Some(h) => d.with_help(h.clone()),
                None => d,
            }
        })
        .collect();
    (r, problems)
}

/// Handle → indices of the pages that mention the member.
pub fn mentions_index(pages: &[Page]) -> BTreeMap<String, Vec<usize>> {
    let mut mentions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        for handle in &p.content.mentions {
            mentions.entry(handle.clone()).or_default().push(i);
        }
    }
    mentions
}
