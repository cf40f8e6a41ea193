//! Which cards exist and what each says, before layout: pure, no rendering. `render`
//! takes the plan too, since every page's Open Graph tags name its card.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::model::member::{Avatar, Member};
use crate::model::page::{CardSetting, PageKind};
use crate::model::url::{card_output, link_card_output, link_page_path, Lang};
use crate::model::{Page, Site};

/// What a card shows, before layout.
#[derive(Debug, Clone, PartialEq)]
pub struct CardJob {
    /// The site path the card promotes ("/news/welcome/"; "/links/#anchor").
    pub path: String,
    /// The card's path in the output ("cards/news/welcome.png").
    pub output: String,
    pub kind: &'static str,
    pub kicker: String,
    pub title: String,
    pub subtitle: String,
    pub avatar: Option<CardAvatar>,
    /// Describes the image for `og:image:alt`.
    pub alt: String,
    /// What the card is for, named in diagnostics.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CardAvatar {
    /// The avatar's file (its name gives the type) and its checked bytes.
    File(PathBuf, std::sync::Arc<Vec<u8>>),
    Initials {
        initials: String,
        hue: u16,
    },
}

/// Every card of the site, findable by the site path it promotes.
#[derive(Debug, Default)]
pub struct CardPlan {
    pub jobs: Vec<CardJob>,
    by_path: HashMap<String, usize>,
}

impl CardPlan {
    /// The card for a site path ("/news/welcome/", or "/links/#anchor" for a link).
    pub fn for_path(&self, path: &str) -> Option<&CardJob> {
        self.by_path.get(path).map(|&i| &self.jobs[i])
    }

    /// The site-wide card (the home page's), for pages without their own.
    pub fn site_card(&self) -> Option<&CardJob> {
        self.for_path("/")
    }

    /// Replaces (or removes) the card of one site path after an edit.
    pub fn update(&mut self, job: Option<CardJob>, path: &str) {
        match (self.by_path.get(path).copied(), job) {
            (Some(i), Some(mut job)) => {
                job.path = path.to_string();
                self.jobs[i] = job;
            }
            (Some(i), None) => {
                self.jobs.remove(i);
                self.by_path = self
                    .jobs
                    .iter()
                    .enumerate()
                    .map(|(i, j)| (j.path.clone(), i))
                    .collect();
            }
            (None, Some(job)) => self.push(path.to_string(), job),
            (None, None) => {}
        }
    }

    pub fn push(&mut self, path: String, mut job: CardJob) {
        job.path.clone_from(&path);
        self.by_path.insert(path, self.jobs.len());
        self.jobs.push(job);
    }
}

/// The words a card adds to what the page says (its kicker, a member's facts), in
/// the edition's language: the theme's words (`theme/i18n.rs`).
pub struct CardWords<'a> {
    words: &'a crate::theme::i18n::Words,
    names: crate::model::date::Names,
}

impl<'a> CardWords<'a> {
    pub fn new(words: &'a crate::theme::i18n::Words) -> Self {
        CardWords {
            names: crate::theme::i18n::date_words(words),
            words,
        }
    }

    fn say<'w>(&'w self, key: &str, english: &'w str) -> &'w str {
        self.words.get(key).map_or(english, String::as_str)
    }

    fn date(&self, d: &crate::model::Date, format: &str) -> String {
        d.format_in(format, &self.names).unwrap_or_default()
    }
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

fn member_avatar(m: &Member) -> CardAvatar {
    match &m.avatar {
        Avatar::File { source, bytes, .. } => CardAvatar::File(source.clone(), bytes.clone()),
        Avatar::Placeholder { initials, hue } => CardAvatar::Initials {
            initials: initials.clone(),
            hue: *hue,
        },
    }
}

/// Decides which cards exist and what they say. Pure: no rendering.
pub fn plan(site: &Site, words: &CardWords) -> CardPlan {
    let mut plan = CardPlan::default();
    if !site.config.cards.enabled {
        return plan;
    }
    let config = &site.config;
    let home_described =
        (0..site.pages.len()).any(|i| site.renders(i) && site.pages[i].path == "/");
    if !home_described {
        plan.push(
            "/".into(),
            CardJob {
                path: String::new(),
                output: card_output(site.edition(), "/"),
                kind: "site",
                kicker: String::new(),
                title: config.title.clone(),
                subtitle: config.description.clone(),
                avatar: None,
                alt: format!("{}: {}", config.title, config.description),
                origin: "site.yaml".into(),
            },
        );
    }
    // Made in parallel (a build makes the plan twice, 10,000 pages took 16 ms
    // each time on one core), kept in the pages' order.
    // A translated edition draws the cards of its own pages only.
    let page_jobs: Vec<Option<CardJob>> = site
        .pages
        .par_iter()
        .map(|p| {
            site.owns(&p.translation)
                .then(|| page_card(site, p, words))
                .flatten()
        })
        .collect();
    for (p, job) in site.pages.iter().zip(page_jobs) {
        if let Some(job) = job {
            plan.push(p.path.clone(), job);
        }
    }
    for m in site.members.values() {
        let mut facts: Vec<String> = Vec::new();
        facts.extend(m.meta.pronouns.clone());
        facts.extend(m.meta.location.clone());
        if let Some(j) = m.meta.joined {
            facts.push(format!(
                "{} {}",
                words.say("member_since", "Member since"),
                words.date(&j, "%B %Y")
            ));
        }
        let kicker = match &m.meta.role {
            Some(role) => format!("{} · {}", upper(words.say("member", "Member")), upper(role)),
            None => upper(words.say("member", "Member")),
        };
        plan.push(
            m.path.clone(),
            CardJob {
                path: String::new(),
                output: card_output(site.edition(), &m.path),
                kind: "member",
                kicker,
                title: m.name.clone(),
                subtitle: facts.join(" · "),
                avatar: Some(member_avatar(m)),
                alt: format!("{} on {}", m.name, config.title),
                origin: m.source.path.display().to_string(),
            },
        );
    }
    for g in site.guidelines.iter().filter(|g| site.owns(&g.translation)) {
        let kicker = match &g.meta.version {
            Some(v) => format!(
                "{} · {} {}",
                upper(words.say("guidelines", "Guidelines")),
                upper(words.say("version", "Version")),
                upper(&v.0)
            ),
            None => upper(words.say("guidelines", "Guidelines")),
        };
        plan.push(
            g.path.clone(),
            CardJob {
                path: String::new(),
                output: card_output(site.edition(), &g.path),
                kind: "guideline",
                kicker,
                title: g.title.clone(),
                subtitle: g
                    .meta
                    .summary
                    .clone()
                    .unwrap_or_else(|| g.content.lead.clone()),
                avatar: None,
                alt: format!("{} of {}", g.title, config.title),
                origin: g.source.path.display().to_string(),
            },
        );
    }
    for l in &site.links {
        let curator = l.meta.curated_by.as_ref().and_then(|h| site.members.get(h));
        let kicker = match curator {
            Some(m) => format!(
                "{} {}",
                upper(words.say("card_recommended_by", "Recommended by")),
                upper(&m.name)
            ),
            None => upper(words.say("card_recommended_reading", "Recommended reading")),
        };
        plan.push(
            link_page_path(Lang::SITE, &l.anchor),
            CardJob {
                path: String::new(),
                output: link_card_output(site.edition(), &l.anchor),
                kind: "link",
                kicker,
                title: l.meta.title.clone(),
                subtitle: crate::escape::text_of(&l.note_html),
                avatar: None,
                alt: format!(
                    "{} ({}), recommended on {}",
                    l.meta.title, l.host, config.title
                ),
                origin: l.source.path.display().to_string(),
            },
        );
    }
    // A card for each digest (SPEC §7), in each language.
    if let Some(every) = crate::digest::every(config) {
        for d in crate::digest::complete(site, every, site.now) {
            let path = crate::digest::page_path(&d.period);
            let (title, summary) = (d.period.title(), d.summary());
            plan.push(
                path.clone(),
                CardJob {
                    output: card_output(site.edition(), &path),
                    path,
                    kind: "digest",
                    kicker: upper(words.say("digest", "Digest")),
                    alt: format!("{title} on {}: {summary}", config.title),
                    title,
                    subtitle: summary,
                    avatar: None,
                    origin: format!("digest {}", d.period.slug()),
                },
            );
        }
    }
    plan
}

/// The card of one page, or none when it opts out (`card: false`).
pub fn page_card(site: &Site, p: &Page, words: &CardWords) -> Option<CardJob> {
    let (title_override, subtitle_override) = match &p.meta.card {
        Some(CardSetting::Off) => return None,
        Some(CardSetting::Custom { title, subtitle }) => (title.clone(), subtitle.clone()),
        None => (None, None),
    };
    let title = title_override.unwrap_or_else(|| p.title.clone());
    let description = p.description().to_string();
    let spotlight = p.meta.spotlight.as_ref().and_then(|h| site.members.get(h));
    let (kind, kicker, subtitle) = if let Some(ev) = &p.meta.event {
        let day = words.date(&ev.start, "%a %-d %b %Y");
        let mut when = ev.start.format("%H:%M").unwrap_or_default();
        if let Some(end) = ev.end {
            when.push('–');
            when.push_str(&end.format("%H:%M").unwrap_or_default());
        }
        when.push_str(&format!(
            " (UTC{})",
            ev.start.format("%:z").unwrap_or_default()
        ));
        if let Some(loc) = &ev.location {
            when.push_str(" · ");
            when.push_str(loc);
        }
        (
            "event",
            format!(
                "{} · {}",
                upper(words.say("card_event", "Event")),
                upper(&day)
            ),
            when,
        )
    } else if spotlight.is_some() {
        (
            "spotlight",
            upper(words.say("member_spotlight", "Member spotlight")),
            description,
        )
    } else {
        let mut kicker = String::new();
        if p.kind == PageKind::Page && p.section != "/" {
            if let Some(s) = site.sections.get(&p.section) {
                kicker = upper(&s.title);
            }
        }
        if let (PageKind::Page, Some(d)) = (p.kind, p.date) {
            let date = upper(&words.date(&d, "%-d %b %Y"));
            kicker = if kicker.is_empty() {
                date
            } else {
                format!("{kicker} · {date}")
            };
        }
        let kind = if p.path == "/" { "site" } else { "page" };
        (kind, kicker, description)
    };
    Some(CardJob {
        path: p.path.clone(),
        output: card_output(site.edition(), &p.path),
        kind,
        kicker,
        subtitle: subtitle_override.unwrap_or(subtitle),
        alt: if title == site.config.title {
            format!("{title}: {}", site.config.description)
        } else {
            format!("{title} — {}", site.config.title)
        },
        title,
        avatar: spotlight.map(member_avatar),
        origin: p.source.path.display().to_string(),
    })
}
