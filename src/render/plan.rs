//! The incremental planner: what an edit to pages changes ([`edit_pages`]), and
//! which of the jobs the site publishes show the edited pages
//! ([`Renderer::shows`]). `serve` asks it which jobs an edit touches; rendering is
//! in pages.rs, the list of jobs in jobs.rs.

use super::jobs::Job;
use super::*;
use crate::model::url;

/// What an edit to pages changed, as far as outputs go: [`Lists`] to re-render
/// with the pages.
#[derive(Debug, Clone)]
pub struct EditPlan {
    /// The pages edited, by their place in `Site::pages`.
    pub pages: Vec<usize>,
    /// The slugs of the tags the pages had or have.
    pub tags: Vec<String>,
    /// Whether what lists show of the pages changed.
    pub lists: bool,
    /// Whether the sitemap can have changed (a date, a tag, an event or spotlight
    /// that makes a list appear or go).
    pub sitemap: bool,
    /// What the pages were before: the lists that showed them then.
    pub before: Before,
}

impl EditPlan {
    /// The lists to render again with the edited pages.
    pub fn lists(&self) -> Lists {
        if self.lists {
            Lists::Related {
                pages: self.pages.clone(),
                tags: self.tags.clone(),
                before: self.before.clone(),
                sitemap: self.sitemap,
            }
        } else {
            Lists::None
        }
    }
}

/// Puts edited pages (`(index, the page as loaded again)`) into `site` and says
/// what that changed; `None` when the edit changes which files exist (a new URL,
/// a draft published or withdrawn, a tag or calendar that goes with the page),
/// which only a reload of the sources handles. `site` is unchanged then.
pub fn edit_pages(site: &mut Site, edited: Vec<(usize, Page)>) -> Option<EditPlan> {
    let slugs = |p: &Page| -> Vec<String> { p.meta.tags.iter().map(|t| url::slugify(t)).collect() };
    for (i, page) in &edited {
        let old = &site.pages[*i];
        if page.path != old.path || page.is_draft() != old.is_draft() {
            return None;
        }
        // A tag this page alone had goes with its page (and `/tags/` with the last
        // tag): files go away.
        let has = slugs(page);
        let tag_gone = slugs(old).iter().any(|slug| {
            !has.contains(slug)
                && site
                    .tags
                    .get(slug)
                    .is_some_and(|t| t.pages == [*i] && t.links.is_empty())
        });
        // Likewise a page that stops being an event takes its `.ics` file away.
        if tag_gone || old.meta.event.is_some() && page.meta.event.is_none() {
            return None;
        }
    }
    let mut plan = EditPlan {
        pages: Vec::with_capacity(edited.len()),
        tags: Vec::new(),
        lists: false,
        sitemap: false,
        before: Before::default(),
    };
    let mut same_index = true;
    for (i, page) in edited {
        let old = &site.pages[i];
        // What lists are made of beyond entries: tags and mentions.
        same_index &=
            page.meta.tags == old.meta.tags && page.content.mentions == old.content.mentions;
        plan.sitemap |= page.meta.updated.or(page.date) != old.meta.updated.or(old.date)
            || page.meta.event.is_some() != old.meta.event.is_some()
            || page.meta.spotlight.is_some() != old.meta.spotlight.is_some();
        plan.before
            .members
            .extend(old.named_members().map(str::to_string));
        plan.before.spotlight |= old.meta.spotlight.is_some();
        plan.before.event |= old.meta.event.is_some();
        let before = context::list_entry(site, old);
        let section_index = old.kind == PageKind::SectionIndex;
        plan.tags.extend(slugs(old).into_iter().chain(slugs(&page)));
        site.pages[i] = page;
        let after = context::list_entry(site, &site.pages[i]);
        // New tags or mentions change lists even where the page's entry looks the
        // same (a tag new to the site has no link in it until reindexed).
        plan.lists |= before != after || section_index || !same_index;
        plan.pages.push(i);
    }
    if plan.lists && same_index {
        crate::load::reorder(site, &plan.pages);
    } else if plan.lists {
        crate::load::reindex(site);
    }
    plan.tags.sort();
    plan.tags.dedup();
    plan.sitemap |= !same_index;
    Some(plan)
}

/// What the lists that show edited pages are found by, worked out once per edit
/// from the pages and what they were before (each list job is then a lookup).
pub(super) struct Shown<'e> {
    tags: &'e [String],
    /// The sections that hold the pages (a section's own `_index.md` holds it),
    /// and the home page.
    sections: Vec<&'e str>,
    /// The members the pages name now or named before.
    members: Vec<&'e str>,
    spotlight: bool,
    event: bool,
    /// A curated link is discussed on one of the pages.
    discussed: bool,
}

impl<'e> Shown<'e> {
    pub(super) fn new(
        site: &'e Site,
        pages: &[usize],
        tags: &'e [String],
        before: &'e Before,
    ) -> Self {
        let pages: Vec<&Page> = pages.iter().map(|&i| &site.pages[i]).collect();
        let mut sections = vec!["/"];
        sections.extend(pages.iter().map(|p| {
            if p.kind == PageKind::SectionIndex {
                p.path.as_str()
            } else {
                p.section.as_str()
            }
        }));
        let mut members: Vec<&str> = before.members.iter().map(String::as_str).collect();
        for p in &pages {
            members.extend(p.named_members());
        }
        Shown {
            tags,
            sections,
            members,
            spotlight: before.spotlight || pages.iter().any(|p| p.meta.spotlight.is_some()),
            event: before.event
                || pages.iter().any(|p| {
                    p.meta.event.is_some()
                        || p.section == url::EVENTS_PATH
                        || p.path == url::EVENTS_PATH
                }),
            discussed: site.links.iter().any(|l| {
                l.discuss_path
                    .as_deref()
                    .is_some_and(|d| pages.iter().any(|p| p.path == d))
            }),
        }
    }
}

impl Renderer<'_> {
    /// Whether the list `job` shows one of the edited pages (as it is now, or as
    /// it was): their sections and the home page, their tags and the tag list,
    /// the members they name, the spotlight and event lists, the link library
    /// where a link is discussed on one of them, and the promotion kit.
    pub(super) fn shows(&self, job: &Job, edit: &Shown) -> bool {
        match job {
            Job::Section(s, _) => edit.sections.contains(&s.path.as_str()),
            Job::TagList => true,
            Job::Tag(t) => edit.tags.contains(&t.slug),
            Job::Spotlights => edit.spotlight,
            Job::Events => edit.event,
            Job::Links(_) => edit.discussed,
            Job::Member(m) => edit.members.contains(&m.handle.as_str()),
            Job::Promote(_) => true,
            _ => false,
        }
    }
}
