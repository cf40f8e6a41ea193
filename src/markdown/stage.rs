//! The markdown stage, between loading and rendering: every text of a loaded site
//! (pages, bios, guidelines) rendered to HTML with the site's link index, in
//! parallel. Broken links become diagnostics at their place in the file; every one
//! of them is reported, with whatever loading found.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::{LinkIndex, LinkResolver, RenderOptions, Rendered};
use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::model::{Page, Site};

/// Renders every page, bio and guideline of `site` in place and indexes who is
/// @mentioned where. Returns the problems found in the texts.
pub fn render_site(site: &mut Site, index: &LinkIndex) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let rendered: Vec<_> = site
        .pages
        .par_iter()
        .map(|p| {
            render_text(
                &p.source,
                p.body_start,
                &p.dir,
                index,
                RenderOptions::default(),
            )
        })
        .collect();
    for (page, (r, found)) in site.pages.iter_mut().zip(rendered) {
        problems.extend(found);
        page.content = index.page_content(r.content);
    }
    site.mentions = mentions_index(&site.pages);

    let bios: Vec<_> = site
        .members
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|m| {
            let dir = m.source.path.parent().unwrap_or(Path::new(""));
            render_text(
                &m.source,
                m.body_start,
                dir,
                index,
                RenderOptions::default(),
            )
        })
        .collect();
    let sanitize = site.config.members.sanitize;
    for (m, (r, found)) in site.members.values_mut().zip(bios) {
        problems.extend(found);
        m.bio_html = if sanitize {
            index.sanitizer.clean(&r.content.html)
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
            render_text(&g.source, g.body_start, dir, index, numbered)
        })
        .collect();
    for (g, (r, found)) in site.guidelines.iter_mut().zip(texts) {
        problems.extend(found);
        g.content = r.content;
        g.rules = r.rules;
    }
    problems
}

/// Renders one markdown body (from `body_start` of `source`, in folder `dir` for
/// relative links); broken links become diagnostics at their place in the file.
pub fn render_text(
    source: &SourceText,
    body_start: usize,
    dir: &Path,
    index: &LinkIndex,
    opts: RenderOptions,
) -> (Rendered, Vec<Diagnostic>) {
    let ctx = LinkResolver { site: index, dir };
    let r = super::render(&source.text[body_start..], &ctx, opts);
    let problems = r
        .problems
        .iter()
        .map(|prob| {
            let span = prob.span.start + body_start..prob.span.end + body_start;
            let d = Diagnostic::error(Code::Link, prob.message.clone()).at(source, span);
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
