//! The smaller views that lists and pages share, handed to templates: members (in
//! lists, bylines and their cards), events, curated links, tags and named links.
//! docs/templates.md documents every field.

use serde::Serialize;

use crate::model::member::{Avatar, Member, ProfileLink};
use crate::model::url::Lang;
use crate::model::{CuratedLink, Page, Site};

#[derive(Serialize, Clone)]
pub struct NamedLink {
    pub title: String,
    pub url: String,
    /// On a site of several languages, the language of a title that is not the
    /// page's (an original a translated edition falls back to), for `lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// The default language's code for a title of the default language shown in a
/// translated edition (none where the title is in the page's language).
pub fn fallback_lang(site: &Site, translation: &Option<String>) -> Option<String> {
    let languages = site.languages.as_ref()?;
    (!site.owns(translation))
        .then(|| languages.all.first().map(|l| l.code.clone()))
        .flatten()
}

#[derive(Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A member's picture: a file, or initials on a colour.
#[derive(Serialize)]
pub struct AvatarView {
    pub url: Option<String>,
    /// A photo's smallest square crop (SPEC §6), else `url`.
    pub src: Option<String>,
    /// A photo's square crops with their widths ("…-64x64.webp 64w, …"), for
    /// `srcset` beside a `sizes` of the size shown; empty for other pictures.
    pub srcset: String,
    pub initials: String,
    pub hue: u16,
}

/// A member as shown in lists and bylines.
#[derive(Serialize)]
pub struct MemberRef<'a> {
    pub handle: &'a str,
    pub name: &'a str,
    pub url: String,
    pub permalink: String,
    pub role: Option<&'a str>,
    pub pronouns: Option<&'a str>,
    pub location: Option<&'a str>,
    pub joined: Option<String>,
    pub avatar: AvatarView,
    /// Plain text of the bio's first paragraph.
    pub summary: &'a str,
}

impl<'a> MemberRef<'a> {
    pub fn new(site: &Site, m: &'a Member) -> Self {
        let avatar = match &m.avatar {
            Avatar::File { url_path, .. } => {
                let url = site.config.root_url(url_path);
                let crops = site
                    .pictures
                    .by_dest(url_path.trim_start_matches('/'))
                    .map(|p| p.squares.as_slice())
                    .unwrap_or_default();
                let crop_url = |dest: &str| site.config.root_url(&format!("/{dest}"));
                AvatarView {
                    src: Some(
                        crops
                            .first()
                            .map_or_else(|| url.clone(), |c| crop_url(&c.dest)),
                    ),
                    srcset: crops
                        .iter()
                        .map(|c| format!("{} {}w", crop_url(&c.dest), c.width))
                        .collect::<Vec<_>>()
                        .join(", "),
                    url: Some(url),
                    initials: crate::model::member::initials(&m.name),
                    hue: crate::model::member::hue(&m.handle),
                }
            }
            Avatar::Placeholder { initials, hue } => AvatarView {
                url: None,
                src: None,
                srcset: String::new(),
                initials: initials.clone(),
                hue: *hue,
            },
        };
        MemberRef {
            handle: &m.handle,
            name: &m.name,
            url: site.config.url(&m.path),
            permalink: site.config.permalink(&m.path),
            role: m.meta.role.as_deref(),
            pronouns: m.meta.pronouns.as_deref(),
            location: m.meta.location.as_deref(),
            joined: m.meta.joined.map(|d| d.to_string()),
            avatar,
            summary: &m.bio_lead,
        }
    }
}

/// A welcome question with a member's answer.
#[derive(Serialize)]
pub struct Answer<'a> {
    pub key: &'a str,
    pub ask: &'a str,
    pub answer: &'a str,
}

/// A member with their answers, for profile pages and spotlights.
#[derive(Serialize)]
pub struct MemberCard<'a> {
    #[serde(flatten)]
    pub base: MemberRef<'a>,
    pub bio: &'a str,
    pub links: &'a [ProfileLink],
    /// Answered questions in site.yaml's order; unanswered ones are left out.
    pub answers: Vec<Answer<'a>>,
}

impl<'a> MemberCard<'a> {
    pub fn new(site: &'a Site, m: &'a Member) -> Self {
        MemberCard {
            base: MemberRef::new(site, m),
            bio: &m.bio_html,
            links: &m.meta.links,
            answers: site
                .config
                .members
                .questions
                .iter()
                .filter_map(|q| {
                    let answer = m.meta.answers.get(&q.key)?;
                    (!answer.trim().is_empty()).then_some(Answer {
                        key: &q.key,
                        ask: &q.ask,
                        answer,
                    })
                })
                .collect(),
        }
    }
}

/// An event's details for templates.
#[derive(Serialize)]
pub struct EventView {
    pub start: String,
    pub end: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// The event's own calendar file.
    pub ics: String,
    pub upcoming: bool,
}

impl EventView {
    pub fn new(site: &Site, p: &Page) -> Option<Self> {
        let ev = p.meta.event.as_ref()?;
        Some(EventView {
            start: ev.start.to_string(),
            end: ev.end.map(|d| d.to_string()),
            location: ev.location.clone(),
            url: ev.url.clone(),
            ics: site.url_in(&p.translation, &super::calendar::ics_path(p)),
            upcoming: ev.end.unwrap_or(ev.start) >= site.now,
        })
    }
}

/// A curated link for templates.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub host: &'a str,
    /// The curator's note as sanitized HTML.
    pub note: &'a str,
    pub date: String,
    pub tags: Vec<TagRef>,
    pub curator: Option<MemberRef<'a>>,
    pub discuss: Option<NamedLink>,
    /// Its anchor on /links/, and the absolute URL of that anchor.
    pub anchor: &'a str,
    pub permalink: String,
    /// Its own page (`/links/SLUG/`, prefixed), where sharing points.
    pub page_url: String,
}

impl<'a> LinkView<'a> {
    pub fn new(site: &'a Site, l: &'a CuratedLink) -> Self {
        LinkView {
            title: &l.meta.title,
            url: &l.meta.url,
            host: &l.host,
            note: &l.note_html,
            date: l.meta.date.to_string(),
            tags: l
                .meta
                .tags
                .iter()
                .map(|t| {
                    let slug = crate::model::url::slugify(t);
                    TagRef {
                        name: t.clone(),
                        url: site
                            .config
                            .url(&crate::model::url::link_tag_path(Lang::SITE, &slug)),
                        slug,
                    }
                })
                .collect(),
            curator: l
                .meta
                .curated_by
                .as_ref()
                .and_then(|h| site.members.get(h))
                .map(|m| MemberRef::new(site, m)),
            discuss: l.discuss_path.as_ref().and_then(|path| {
                let page = site.pages.iter().find(|p| &p.path == path)?;
                Some(NamedLink {
                    title: page.title.clone(),
                    url: site.page_url(page),
                    lang: fallback_lang(site, &page.translation),
                })
            }),
            anchor: &l.anchor,
            permalink: format!(
                "{}#{}",
                site.config.permalink(crate::model::url::LINKS_PATH),
                l.anchor
            ),
            page_url: site
                .config
                .url(&crate::model::url::link_page_path(Lang::SITE, &l.anchor)),
        }
    }
}
