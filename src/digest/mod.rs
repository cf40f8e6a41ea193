//! The community digest (SPEC §7): what happened in one period (an ISO week or
//! a month), read from the model: new members by `joined`, spotlights, posts
//! (dated pages), curated links, events that took place, guideline changes,
//! and the events of the next period. Pure: the build date comes in, so the
//! same files and `SOURCE_DATE_EPOCH` give the same digests anywhere.

pub mod period;

use std::collections::BTreeSet;

use jiff::civil::Date as Day;

use crate::model::guideline::Change;
use crate::model::{CuratedLink, Date, Guideline, Member, PageKind, Site};
pub use period::{Every, Period};

/// One period's digest; each list in the order the digest shows it.
#[derive(Debug)]
pub struct Digest<'a> {
    pub period: Period,
    /// Joined in the period, first to join first.
    pub members: Vec<&'a Member>,
    /// Pages that spotlight a member (indices into `Site::pages`), oldest first.
    pub spotlights: Vec<usize>,
    /// Other dated pages that are not events, oldest first.
    pub posts: Vec<usize>,
    /// Curated links added in the period, oldest first.
    pub links: Vec<&'a CuratedLink>,
    /// Events that started in the period.
    pub events: Vec<usize>,
    /// Guideline changes dated in the period.
    pub changes: Vec<(&'a Guideline, &'a Change)>,
    /// Events that start in the next period.
    pub coming: Vec<usize>,
}

impl Digest<'_> {
    /// Nothing happened (what is coming does not make a digest).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
            && self.spotlights.is_empty()
            && self.posts.is_empty()
            && self.links.is_empty()
            && self.events.is_empty()
            && self.changes.is_empty()
    }

    /// How many things it tells of, what is coming aside.
    pub fn len(&self) -> usize {
        self.members.len()
            + self.spotlights.len()
            + self.posts.len()
            + self.links.len()
            + self.events.len()
            + self.changes.len()
    }
}

impl Digest<'_> {
    /// "2 new members, 1 post".
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        [
            (self.members.len(), "new member", "new members"),
            (self.spotlights.len(), "spotlight", "spotlights"),
            (self.posts.len(), "post", "posts"),
            (self.links.len(), "link", "links"),
            (self.events.len(), "event", "events"),
            (self.changes.len(), "guideline change", "guideline changes"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// `digest.every` as a period length; `None` when digests are off.
pub fn every(config: &crate::config::Config) -> Option<Every> {
    match config.digest.every {
        crate::config::DigestEvery::Week => Some(Every::Week),
        crate::config::DigestEvery::Month => Some(Every::Month),
        crate::config::DigestEvery::Off => None,
    }
}

/// The site path of a period's digest ("/digest/2026-w48/"), in the default
/// language.
pub fn page_path(p: &Period) -> String {
    format!("{}{}/", crate::model::url::DIGEST_PATH, p.slug())
}

/// The calendar day of a date as its author wrote it.
fn day(d: &Date) -> Day {
    d.day()
}

/// The digest of `period`.
pub fn of(site: &Site, period: Period) -> Digest<'_> {
    let within = |d: &Date| period.contains(day(d));
    let next = period.next();
    let pages = || {
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PageKind::Page && !p.is_draft())
    };
    let dated = |list: &mut Vec<usize>| {
        list.sort_by(|&a, &b| {
            let (a, b) = (&site.pages[a], &site.pages[b]);
            a.date.cmp(&b.date).then(a.path.cmp(&b.path))
        })
    };
    let mut members: Vec<&Member> = site
        .members
        .values()
        .filter(|m| m.meta.joined.as_ref().is_some_and(within))
        .collect();
    members.sort_by(|a, b| {
        a.meta
            .joined
            .cmp(&b.meta.joined)
            .then(a.handle.cmp(&b.handle))
    });
    let mut spotlights: Vec<usize> = pages()
        .filter(|(_, p)| p.meta.spotlight.is_some() && p.date.as_ref().is_some_and(within))
        .map(|(i, _)| i)
        .collect();
    dated(&mut spotlights);
    let mut posts: Vec<usize> = pages()
        .filter(|(_, p)| p.meta.spotlight.is_none() && p.meta.event.is_none())
        .filter(|(_, p)| p.date.as_ref().is_some_and(within))
        .map(|(i, _)| i)
        .collect();
    dated(&mut posts);
    let mut links: Vec<&CuratedLink> = site.links.iter().filter(|l| within(&l.meta.date)).collect();
    links.sort_by(|a, b| a.meta.date.cmp(&b.meta.date).then(a.anchor.cmp(&b.anchor)));
    let starting = |p: &Period| {
        let start = |i: &usize| site.pages[*i].meta.event.as_ref().map(|e| e.start);
        let mut events: Vec<usize> = pages()
            .filter(|(_, e)| {
                e.meta
                    .event
                    .as_ref()
                    .is_some_and(|ev| p.contains(day(&ev.start)))
            })
            .map(|(i, _)| i)
            .collect();
        events.sort_by(|a, b| start(a).cmp(&start(b)).then(a.cmp(b)));
        events
    };
    let mut changes: Vec<(&Guideline, &Change)> = site
        .guidelines
        .iter()
        .flat_map(|g| g.meta.changes.iter().map(move |c| (g, c)))
        .filter(|(_, c)| within(&c.date))
        .collect();
    changes.sort_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.slug.cmp(&b.0.slug)));
    Digest {
        period,
        members,
        spotlights,
        posts,
        links,
        events: starting(&period),
        changes,
        coming: starting(&next),
    }
}

/// Every complete period up to `now` that has something in it, newest first.
pub fn complete(site: &Site, every: Every, now: Date) -> Vec<Digest<'_>> {
    let today = day(&now);
    let mut periods = BTreeSet::new();
    let mut note = |d: &Date| {
        let p = Period::of(day(d), every);
        if p.end() <= today {
            periods.insert(p);
        }
    };
    for m in site.members.values() {
        if let Some(d) = &m.meta.joined {
            note(d);
        }
    }
    for p in site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Page && !p.is_draft())
    {
        if let Some(d) = &p.date {
            note(d);
        }
        if let Some(e) = &p.meta.event {
            note(&e.start);
        }
    }
    for l in &site.links {
        note(&l.meta.date);
    }
    for g in &site.guidelines {
        for c in &g.meta.changes {
            note(&c.date);
        }
    }
    periods
        .into_iter()
        .rev()
        .map(|p| of(site, p))
        .filter(|d| !d.is_empty())
        .collect()
}

/// The period `now` is in, not over yet: what `hearth serve` shows at
/// `/digest/latest/` so the team reads the next digest before it goes out.
pub fn current(site: &Site, every: Every, now: Date) -> Digest<'_> {
    of(site, Period::of(day(&now), every))
}
