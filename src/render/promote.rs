//! The promotion kit for social media managers: `/promote/` lists the newest items
//! worth sharing, each with its card, a ready caption and the tagged URL per network;
//! `/promote/posts.csv` holds the same rows for bulk schedulers.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::share::{self, ShareView};
use crate::cards::CardPlan;
use crate::config::Platform;
use crate::model::page::PageKind;
use crate::model::url::Lang;
use crate::model::{Date, Site};

pub use crate::model::url::PROMOTE_PATH;
pub const POSTS_CSV: &str = "promote/posts.csv";
/// How many of the newest items the kit offers.
pub const KIT_SIZE: usize = 30;

/// Something worth sharing, with everything needed to post it.
#[derive(Serialize)]
pub struct Item {
    /// "News", "Spotlight", "Event", "Link", "New member", …
    pub kind: &'static str,
    pub title: String,
    pub date: String,
    /// The page's own URL (no tracking parameters).
    pub permalink: String,
    /// The card's absolute URL.
    pub image: String,
    /// The card's URL on this site (prefixed path), for the page itself.
    pub image_src: String,
    pub image_alt: String,
    /// A caption that fits every network (the shortest limit).
    pub caption: String,
    pub share: ShareView,
    /// Anchor id on /promote/.
    pub id: String,
    /// The id of its kind ("kind-new-member"), what the kit's filter matches.
    pub kind_id: String,
}

/// A kind of item in the kit, for its filter: the kind, its id, how many items.
#[derive(Serialize)]
pub struct Kind {
    pub kind: &'static str,
    pub id: String,
    pub count: usize,
}

/// The kinds the kit's items have, in the order they first appear (newest first).
pub fn kinds(items: &[Item]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = Vec::new();
    for item in items {
        match kinds.iter_mut().find(|k| k.kind == item.kind) {
            Some(k) => k.count += 1,
            None => kinds.push(Kind {
                kind: item.kind,
                id: item.kind_id.clone(),
                count: 1,
            }),
        }
    }
    kinds
}

fn kind_id(kind: &str) -> String {
    format!("kind-{}", crate::model::url::slugify(kind))
}

/// Whether the kit has anything to offer, without building it (every page checks).
pub fn has_items(site: &Site, cards: &CardPlan) -> bool {
    let carded = |path: &str| cards.for_path(path).is_some();
    site.pages.iter().any(|p| {
        p.kind == PageKind::Page && p.date.is_some() && site.owns(&p.translation) && carded(&p.path)
    }) || site
        .links
        .iter()
        .any(|l| carded(&crate::model::url::link_page_path(Lang::SITE, &l.anchor)))
        || site
            .members
            .values()
            .any(|m| m.meta.promote && m.meta.joined.is_some() && carded(&m.path))
}

/// A shareable thing before the newest are chosen: date, kind, path, title and
/// description.
type Candidate<'a> = (Date, &'static str, Cow<'a, str>, Cow<'a, str>, Cow<'a, str>);

/// The newest shareable items, newest first: dated pages (news, spotlights, events),
/// curated links and members who joined.
pub fn items(site: &Site, cards: &CardPlan) -> Vec<Item> {
    let config = &site.config;
    // Borrowed where the site has the text: every dated page is a candidate, and
    // `serve` makes this list again after each title edit.
    // Only what has a card is shared; the pages are looked at side by side.
    let mut raw: Vec<Candidate> = site
        .pages
        .par_iter()
        .filter_map(|p| {
            let date = p
                .date
                .filter(|_| p.kind == PageKind::Page && site.owns(&p.translation))?;
            cards.for_path(&p.path)?;
            let kind = if p.meta.event.is_some() {
                "Event"
            } else if p.meta.spotlight.is_some() {
                "Spotlight"
            } else {
                "Post"
            };
            Some((
                date,
                kind,
                Cow::Borrowed(p.path.as_str()),
                Cow::Borrowed(p.title.as_str()),
                Cow::Borrowed(p.description()),
            ))
        })
        .collect();
    for l in &site.links {
        let path = crate::model::url::link_page_path(Lang::SITE, &l.anchor);
        if cards.for_path(&path).is_none() {
            continue;
        }
        let note = crate::markdown::shorten(&crate::escape::text_of(&l.note_html), 200);
        raw.push((
            l.meta.date,
            "Link",
            Cow::Owned(path),
            Cow::Borrowed(&l.meta.title),
            Cow::Owned(note),
        ));
    }
    for m in site
        .members
        .values()
        .filter(|m| m.meta.promote && cards.for_path(&m.path).is_some())
    {
        if let Some(joined) = m.meta.joined {
            let welcome = format!("Welcome {} to {}!", m.name, config.title);
            raw.push((
                joined,
                "New member",
                Cow::Borrowed(&m.path),
                Cow::Owned(welcome),
                Cow::Borrowed(&m.bio_lead),
            ));
        }
    }
    // The newest KIT_SIZE are picked before they are sorted: `serve` does this
    // after each title edit, over every dated page.
    let newest_first = |a: &Candidate, b: &Candidate| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2));
    if raw.len() > KIT_SIZE {
        raw.select_nth_unstable_by(KIT_SIZE - 1, newest_first);
        raw.truncate(KIT_SIZE);
    }
    raw.sort_by(newest_first);
    raw.into_iter()
        .filter_map(|(date, kind, path, title, description)| {
            let card = cards.for_path(&path)?;
            let permalink = config.permalink(&path);
            Some(Item {
                kind,
                kind_id: kind_id(kind),
                date: date.ymd(),
                image: config.root_permalink(&card.output),
                image_src: config.root_url(&card.output),
                image_alt: card.alt.clone(),
                caption: share::fit(&share::caption(&title, &description), 256),
                share: share::share_view(config, &title, &description, &permalink),
                id: format!(
                    "item-{}",
                    crate::model::url::slugify(&format!("{kind} {path}"))
                ),
                permalink,
                title: title.into_owned(),
            })
        })
        .take(KIT_SIZE)
        .collect()
}

/// RFC 4180 CSV: one row per item and network (e-mail left out), with the post text
/// cut for that network and the link tagged for it.
pub fn csv(items: &[Item]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(["date", "message", "link", "image_url"]);
    for item in items {
        for l in &item.share.links {
            if l.platform == Platform::Email.id() {
                continue;
            }
            let _ = w.write_record([
                inert_cell(&item.date).as_ref(),
                inert_cell(&l.text).as_ref(),
                inert_cell(&l.url).as_ref(),
                inert_cell(&item.image).as_ref(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// A CSV cell a spreadsheet will not run: a cell starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return is a formula to Excel and LibreOffice, so it gets a
/// leading `'` (OWASP's rule against CSV injection). Titles come from strangers.
pub fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::inert_cell;

    #[test]
    fn cells_that_spreadsheets_would_run_are_made_inert() {
        for bad in [
            "=HYPERLINK(\"http://evil.example/\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(inert_cell(bad), format!("'{bad}"));
        }
        assert_eq!(inert_cell("Meet Ada"), "Meet Ada");
    }
}
