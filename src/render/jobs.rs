//! One list of what the site publishes: every output render writes is a [`Job`]
//! that knows its own site path. The sitemap is made from that list, the generated
//! lists are read off it, and an edit in `serve` re-renders the jobs of it that
//! show the edited pages (plan.rs). Cards (`cards::CardPlan`, each job with its
//! path) and the search index (its files are named by their content's hash) list
//! their own outputs; static files and page assets are copies that name theirs.

use super::*;
use crate::model::url::{self, Lang};

/// How many pages a section's list takes.
pub(super) fn pager_count(s: &Section) -> usize {
    match s.paginate_by {
        Some(n) if n > 0 => s.pages.len().div_ceil(n).max(1),
        _ => 1,
    }
}

pub(super) fn pager_path(s: &Section, pager: usize) -> String {
    crate::model::url::pager_path(&s.path, pager)
}

/// One output of render: a page, a list, a feed, a calendar or a file.
pub(super) enum Job<'a> {
    Page(usize),
    Section(&'a Section, usize),
    TagList,
    Tag(&'a Tag),
    NotFound,
    Members,
    Member(&'a crate::model::Member),
    Spotlights,
    Links(Option<String>),
    /// A curated link's own page.
    LinkPage(&'a crate::model::CuratedLink),
    Guidelines,
    Guideline(&'a crate::model::Guideline),
    Events,
    Promote(&'a [promote::Item]),
    /// The search page (its results come from the index, in the browser).
    Search,
    /// `/digest/` (SPEC §7): every complete period's digest, newest first.
    Digests,
    /// One period's digest: its page, email body or plain text.
    Digest(crate::digest::Period, digest::DigestKind),
    /// A file that is not a page.
    File(FileJob<'a>),
}

/// The outputs that are files rather than pages (files.rs renders them).
pub(super) enum FileJob<'a> {
    /// The promotion kit's posts as CSV, for scheduling tools.
    PromoteCsv(&'a [promote::Item]),
    /// The site's Atom feed (no section) or a section's, with the pages it carries.
    Feed(Option<&'a Section>, Vec<usize>),
    /// The link library's feed.
    LinksFeed,
    /// The digests' feed, one entry per period.
    DigestFeed,
    /// Every event in one calendar: upcoming, then past.
    Calendar(Vec<usize>),
    /// One event's own calendar.
    EventCalendar(usize),
    Sitemap,
    Robots,
    HighlightCss,
}

impl Job<'_> {
    /// The site path this job publishes (no base_url prefix): "/news/",
    /// "/feed.xml".
    pub(super) fn path(&self, site: &Site) -> String {
        let lang = Lang::SITE;
        match self {
            Job::Page(i) => site.pages[*i].path.clone(),
            Job::Section(s, pager) => pager_path(s, *pager),
            Job::TagList => lang.path(TAGS_PATH),
            Job::Tag(t) => url::tag_path(lang, &t.slug),
            Job::NotFound => "/404.html".into(),
            Job::Members => lang.path(url::MEMBERS_PATH),
            Job::Member(m) => m.path.clone(),
            Job::Spotlights => lang.path(url::SPOTLIGHTS_PATH),
            Job::Links(None) => lang.path(url::LINKS_PATH),
            Job::Links(Some(tag)) => url::link_tag_path(lang, tag),
            Job::LinkPage(l) => url::link_page_path(lang, &l.anchor),
            Job::Guidelines => lang.path(url::GUIDELINES_PATH),
            Job::Guideline(g) => g.path.clone(),
            Job::Events => lang.path(url::EVENTS_PATH),
            Job::Promote(_) => lang.path(url::PROMOTE_PATH),
            Job::Search => lang.path(url::SEARCH_PATH),
            Job::Digests => lang.path(url::DIGEST_PATH),
            Job::Digest(p, kind) => {
                let page = digest::digest_path(lang, p);
                match kind {
                    digest::DigestKind::Page => page,
                    digest::DigestKind::Email => format!("{page}email.html"),
                    digest::DigestKind::Text => format!("{page}email.txt"),
                }
            }
            Job::File(f) => f.path(site),
        }
    }

    /// What the job is to the sitemap and the generated lists. One exhaustive
    /// match: a new kind of job says here whether it is a generated list, and the
    /// sitemap, the lists' sections and the planner follow.
    pub(super) fn kind(&self) -> Kind {
        match self {
            Job::Page(_) => Kind::Page,
            Job::Section(_, pager) => Kind::Section(*pager),
            Job::TagList
            | Job::Members
            | Job::Spotlights
            | Job::Links(None)
            | Job::Guidelines
            | Job::Events
            | Job::Digests => Kind::GeneratedList,
            Job::Digest(p, digest::DigestKind::Page) => {
                Kind::Item(crate::model::Date::parse(&p.last_day().to_string()).ok())
            }
            Job::Digest(..) => Kind::Unlisted,
            Job::Tag(_) | Job::Member(_) | Job::Links(Some(_)) => Kind::Item(None),
            Job::Guideline(g) => Kind::Item(g.meta.reviewed.or(g.meta.effective)),
            Job::LinkPage(l) => Kind::Item(Some(l.meta.date)),
            Job::Promote(_) | Job::Search | Job::NotFound | Job::File(_) => Kind::Unlisted,
        }
    }

    /// Its entry in the sitemap, for the pages a visitor reads (not the kit, the
    /// search page, feeds or files), dated by what it shows.
    pub(super) fn sitemap_entry(&self, site: &Site) -> Option<sitemap::Entry> {
        let dated = |p: &Page| p.meta.updated.or(p.date).map(|d| d.ymd());
        // A list or section is dated by its `_index.md`, when it has one.
        let index_dated = |path: &str| {
            site.sections
                .get(path)
                .and_then(|s| s.index)
                .and_then(|i| dated(&site.pages[i]))
        };
        let path = self.path(site);
        let lastmod = match (self, self.kind()) {
            (Job::Page(i), _) => dated(&site.pages[*i]),
            (_, Kind::Section(1) | Kind::GeneratedList) => index_dated(&path),
            (_, Kind::Item(date)) => date.map(|d| d.ymd()),
            _ => return None,
        };
        Some(sitemap::Entry { path, lastmod })
    }
}

/// What a job is to the sitemap and the generated lists ([`Job::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Page,
    /// A content section's list, by pager (the sitemap lists the first).
    Section(usize),
    /// A list hearth makes; a content section at its URL gives it its title and
    /// intro instead of being rendered itself.
    GeneratedList,
    /// A page of one thing (a tag, a member, a curated link, a guideline), dated
    /// for the sitemap when it has a date of its own.
    Item(Option<crate::model::Date>),
    /// Not in the sitemap: the kit, the search page, 404, files.
    Unlisted,
}

impl FileJob<'_> {
    pub(super) fn path(&self, site: &Site) -> String {
        let lang = Lang::SITE;
        match self {
            FileJob::PromoteCsv(_) => lang.path(&format!("/{}", promote::POSTS_CSV)),
            FileJob::Feed(None, _) => lang.path(url::FEED_PATH),
            FileJob::Feed(Some(s), _) => url::section_feed_path(&s.path),
            FileJob::LinksFeed => lang.path(url::LINKS_FEED),
            FileJob::DigestFeed => lang.path(url::DIGEST_FEED),
            FileJob::Calendar(_) => lang.path(url::EVENTS_ICS),
            FileJob::EventCalendar(i) => url::event_calendar_path(&site.pages[*i].path),
            FileJob::Sitemap => "/sitemap.xml".into(),
            FileJob::Robots => "/robots.txt".into(),
            FileJob::HighlightCss => format!("/{HIGHLIGHT_CSS}"),
        }
    }
}

/// The generated lists among `jobs`: a content section at one of their URLs gives
/// the list its title and intro instead of being rendered itself.
pub(super) fn generated_lists(site: &Site, jobs: &[Job]) -> Vec<String> {
    jobs.iter()
        .filter(|j| j.kind() == Kind::GeneratedList)
        .map(|j| j.path(site))
        .collect()
}

impl<'a> Renderer<'a> {
    /// Every list page: the generated lists (each only when it has something to
    /// show), the sections they leave, member pages and the promotion kit.
    pub(super) fn list_jobs(&self, promo_items: &'a [promote::Item]) -> Vec<Job<'a>> {
        let site = self.site;
        let mut community = Vec::new();
        if !site.tags.is_empty() {
            community.push(Job::TagList);
            community.extend(site.tags.values().map(Job::Tag));
        }
        if !site.members.is_empty() {
            community.push(Job::Members);
        }
        if !site.spotlights().is_empty() {
            community.push(Job::Spotlights);
        }
        if !site.links.is_empty() {
            community.push(Job::Links(None));
            community.extend(
                self.link_tag_slugs()
                    .into_iter()
                    .map(|t| Job::Links(Some(t))),
            );
            community.extend(site.links.iter().map(Job::LinkPage));
        }
        if !site.guidelines.is_empty() {
            community.push(Job::Guidelines);
        }
        if !site.events().is_empty() {
            community.push(Job::Events);
        }
        if !self.digests.is_empty() {
            community.push(Job::Digests);
            community.extend(
                self.digests
                    .iter()
                    .map(|&p| Job::Digest(p, digest::DigestKind::Page)),
            );
        }
        let generated = generated_lists(site, &community);
        // Sections first: a big section's pagers are the longest lists.
        let mut jobs: Vec<Job> = site
            .sections
            .values()
            .filter(|s| !generated.contains(&s.path))
            .flat_map(|s| (1..=pager_count(s)).map(move |pager| Job::Section(s, pager)))
            .collect();
        jobs.extend(community);
        jobs.extend(site.members.values().map(Job::Member));
        if !promo_items.is_empty() {
            jobs.push(Job::Promote(promo_items));
        }
        jobs
    }

    /// What goes with the lists: the calendars, the link library's feed and the
    /// promotion kit's CSV.
    pub(super) fn list_file_jobs(&self, promo_items: &'a [promote::Item]) -> Vec<Job<'a>> {
        let site = self.site;
        let mut jobs = Vec::new();
        let events = site.events();
        if !events.is_empty() {
            let (upcoming, past) = self.split_events();
            jobs.push(Job::File(FileJob::Calendar(
                upcoming.into_iter().chain(past).collect(),
            )));
            jobs.extend(
                events
                    .into_iter()
                    .filter(|&i| site.renders(i))
                    .map(|i| Job::File(FileJob::EventCalendar(i))),
            );
        }
        if !site.links.is_empty() {
            jobs.push(Job::File(FileJob::LinksFeed));
        }
        if !promo_items.is_empty() {
            jobs.push(Job::File(FileJob::PromoteCsv(promo_items)));
        }
        if !self.digests.is_empty() {
            for &p in &self.digests {
                jobs.push(Job::Digest(p, digest::DigestKind::Email));
                jobs.push(Job::Digest(p, digest::DigestKind::Text));
            }
            jobs.push(Job::File(FileJob::DigestFeed));
        }
        jobs
    }

    /// The feeds: the site's, then each section's that asks for one.
    pub(super) fn feed_jobs(&self) -> Vec<Job<'a>> {
        feeds::page_feeds(self.site)
            .into_iter()
            .map(|(section, pages)| Job::File(FileJob::Feed(section, pages)))
            .collect()
    }

    /// What a whole build writes besides pages, lists and feeds.
    pub(super) fn extra_jobs(&self) -> Vec<Job<'a>> {
        let site = self.site;
        let mut jobs: Vec<Job> = site
            .guidelines
            .iter()
            .filter(|g| site.owns(&g.translation))
            .map(Job::Guideline)
            .collect();
        if site.config.search.enabled {
            jobs.push(Job::Search);
        }
        // One 404 page, robots.txt and stylesheet for the whole site: the default
        // edition's.
        if site.lang.is_none() {
            jobs.push(Job::NotFound);
            jobs.push(Job::File(FileJob::Robots));
            jobs.push(Job::File(FileJob::HighlightCss));
        }
        jobs
    }

    /// Everything render publishes for this site, in one list.
    pub(super) fn published(&self, promo_items: &'a [promote::Item]) -> Vec<Job<'a>> {
        let site = self.site;
        let mut jobs: Vec<Job> = (0..site.pages.len())
            .filter(|&i| site.pages[i].kind == PageKind::Page && site.renders(i))
            .map(Job::Page)
            .collect();
        jobs.extend(self.list_jobs(promo_items));
        jobs.extend(self.list_file_jobs(promo_items));
        jobs.extend(self.feed_jobs());
        jobs.push(Job::File(FileJob::Sitemap));
        jobs.extend(self.extra_jobs());
        jobs
    }
}
