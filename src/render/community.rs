//! The community pages: member directory and profiles, spotlights, the link library,
//! guidelines and events. Each list is written only when there is something in it;
//! a content section at the same URL supplies its title and intro.

use super::context::Entry;
use crate::model::url::{link_tag_path, Lang};
pub use crate::model::url::{
    EVENTS_ICS, EVENTS_PATH, GUIDELINES_PATH, LINKS_FEED, LINKS_PATH, MEMBERS_PATH, SPOTLIGHTS_PATH,
};
use serde::Serialize;

use super::views::TagRef;
use super::views::{LinkView, MemberCard, MemberRef};
use super::{Output, Renderer};
use crate::diagnostics::Diagnostic;
use crate::model::guideline::{Change, Guideline};
use crate::model::member::Member;
use crate::model::page::{Rule, TocEntry};
use crate::model::site::sort_pages;
use crate::model::url::slugify;

/// Title, description and intro HTML of a generated list, from the content section at
/// its URL when there is one.
#[derive(Serialize)]
pub struct ListIntro<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub content: &'a str,
    pub url: String,
}

#[derive(Serialize)]
struct RoleGroup<'a> {
    role: &'a str,
    id: String,
    members: Vec<MemberRef<'a>>,
}

/// A member in the directory: the member as everywhere, with the id of their role
/// (what the role filter matches) and whether they are among the newest.
#[derive(Serialize)]
struct DirectoryEntry<'a> {
    #[serde(flatten)]
    member: MemberRef<'a>,
    role_id: String,
    new: bool,
}

/// How many of the newest members the directory marks as new.
const NEWEST_MEMBERS: usize = 4;

#[derive(Serialize)]
struct Spotlight<'a> {
    page: Entry<'a>,
    member: Option<MemberRef<'a>>,
}

#[derive(Serialize)]
struct Month<'a> {
    label: String,
    id: String,
    links: Vec<LinkView<'a>>,
}

#[derive(Serialize)]
struct TagCount {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct GuidelineView<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    summary: Option<&'a str>,
    version: Option<&'a str>,
    effective: Option<String>,
    reviewed: Option<String>,
    changes: &'a [Change],
    content: &'a str,
    toc: &'a [TocEntry],
    rules: &'a [Rule],
    /// On a translation that follows an older version of the original: which
    /// version, the current one, and the original (`url`, `lang`).
    behind: Option<BehindView<'a>>,
    /// The original's language, where a translated edition lists an original.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
}

#[derive(Serialize)]
struct BehindView<'a> {
    follows: &'a str,
    current: &'a str,
    url: String,
    lang: &'a str,
}

impl<'a> GuidelineView<'a> {
    fn new(site: &'a crate::model::Site, g: &'a Guideline) -> Self {
        GuidelineView {
            title: &g.title,
            url: site.guideline_url(g),
            permalink: site.permalink_in(&g.translation, &g.path),
            summary: g.meta.summary.as_deref(),
            version: g.meta.version.as_ref().map(|v| v.0.as_str()),
            effective: g.meta.effective.map(|d| d.to_string()),
            reviewed: g.meta.reviewed.map(|d| d.to_string()),
            changes: &g.meta.changes,
            content: &g.content.html,
            toc: &g.content.toc,
            rules: &g.rules,
            lang: super::views::fallback_lang(site, &g.translation),
            behind: g.behind.as_ref().map(|b| BehindView {
                follows: &b.follows,
                current: &b.current,
                url: site.config.root_url(&b.original),
                lang: site
                    .languages
                    .as_ref()
                    .and_then(|l| l.all.first())
                    .map_or("", |l| l.code.as_str()),
            }),
        }
    }
}

impl Renderer<'_> {
    pub(super) fn intro<'s>(
        &'s self,
        path: &str,
        default_title: &'s str,
        default_description: &'s str,
    ) -> ListIntro<'s> {
        let index = self
            .site
            .sections
            .get(path)
            .and_then(|s| s.index)
            .map(|i| &self.site.pages[i]);
        let say = |english| self.templates.say(english);
        ListIntro {
            title: index.map_or(say(default_title), |p| p.title.as_str()),
            description: index
                .map(|p| p.description())
                .filter(|d| !d.is_empty())
                .unwrap_or(say(default_description)),
            content: index.map_or("", |p| p.content.html.as_str()),
            url: self.site.config.url(path),
        }
    }

    /// What produced a generated list, for "two sources claim one URL" messages.
    fn list_origin(&self, path: &str, what: &str) -> String {
        self.site
            .sections
            .get(path)
            .and_then(|s| s.index)
            .map_or(format!("generated {what}"), |i| {
                self.site.pages[i].source.path.display().to_string()
            })
    }

    pub(super) fn members_page(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let intro = self.intro(MEMBERS_PATH, "Members", "The people of this community");
        let mut ctx =
            self.context(self.meta(intro.title, intro.description, MEMBERS_PATH, "website"));
        let mut by_name: Vec<&Member> = site.members.values().collect();
        by_name.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.handle.cmp(&b.handle))
        });
        let mut roles: Vec<&str> = by_name
            .iter()
            .filter_map(|m| m.meta.role.as_deref())
            .collect();
        roles.sort_unstable();
        roles.dedup();
        let mut groups: Vec<RoleGroup> = roles
            .iter()
            .map(|role| RoleGroup {
                role,
                id: format!("role-{}", slugify(role)),
                members: by_name
                    .iter()
                    .filter(|m| m.meta.role.as_deref() == Some(role))
                    .map(|m| MemberRef::new(site, m))
                    .collect(),
            })
            .collect();
        let others: Vec<MemberRef> = by_name
            .iter()
            .filter(|m| m.meta.role.is_none())
            .map(|m| MemberRef::new(site, m))
            .collect();
        if !others.is_empty() {
            groups.push(RoleGroup {
                role: "Members",
                id: "role-members".into(),
                members: others,
            });
        }
        let newest = site.newest_members(NEWEST_MEMBERS);
        let role_id = |m: &Member| {
            groups
                .iter()
                .find(|g| m.meta.role.as_deref().unwrap_or("Members") == g.role)
                .map(|g| g.id.clone())
                .unwrap_or_default()
        };
        // Everyone once, by name: roles filter this one list.
        let directory: Vec<DirectoryEntry> = by_name
            .iter()
            .map(|m| DirectoryEntry {
                member: MemberRef::new(site, m),
                role_id: role_id(m),
                new: newest.iter().any(|n| n.handle == m.handle),
            })
            .collect();
        let newest: Vec<MemberRef> = newest
            .into_iter()
            .map(|m| MemberRef::new(site, m))
            .collect();
        ctx.insert("section", &intro);
        ctx.insert("groups", &groups);
        ctx.insert("directory", &directory);
        ctx.insert("newest", &newest);
        ctx.insert("member_count", &site.members.len());
        self.render(
            "members.html",
            &ctx,
            MEMBERS_PATH,
            &self.list_origin(MEMBERS_PATH, "member directory"),
        )
    }

    pub(super) fn member_page(&self, m: &Member) -> Result<Output, Diagnostic> {
        let site = self.site;
        let card = MemberCard::new(site, m);
        let description = if m.bio_lead.is_empty() {
            format!("{} on {}", m.name, site.config.title)
        } else {
            m.bio_lead.clone()
        };
        let mut meta = self.meta(&m.name, &description, &m.path, "profile");
        if !m.meta.share {
            meta.share = None;
        }
        let mut ctx = self.context(meta);
        let spotlights: Vec<Entry> = site
            .spotlights()
            .into_iter()
            .filter(|&i| site.pages[i].meta.spotlight.as_deref() == Some(m.handle.as_str()))
            .map(|i| self.entry(i))
            .collect();
        let mut wrote: Vec<usize> = (0..site.pages.len())
            .filter(|&i| site.pages[i].meta.authors.iter().any(|a| a == &m.handle))
            .collect();
        sort_pages(&site.pages, &mut wrote, Default::default());
        let curated: Vec<LinkView> = site
            .links
            .iter()
            .filter(|l| l.meta.curated_by.as_deref() == Some(m.handle.as_str()))
            .map(|l| LinkView::new(site, l))
            .collect();
        let mut mentioned: Vec<usize> = site.mentions.get(&m.handle).cloned().unwrap_or_default();
        sort_pages(&site.pages, &mut mentioned, Default::default());
        ctx.insert("member", &card);
        ctx.insert("spotlights", &spotlights);
        ctx.insert(
            "wrote",
            &wrote.iter().map(|&i| self.entry(i)).collect::<Vec<_>>(),
        );
        ctx.insert("curated", &curated);
        ctx.insert(
            "mentions",
            &mentioned.iter().map(|&i| self.entry(i)).collect::<Vec<_>>(),
        );
        self.render(
            "member.html",
            &ctx,
            &m.path,
            &m.source.path.display().to_string(),
        )
    }

    pub(super) fn spotlights_page(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let intro = self.intro(
            SPOTLIGHTS_PATH,
            "Spotlights",
            "Members of this community, in their own words",
        );
        let mut ctx =
            self.context(self.meta(intro.title, intro.description, SPOTLIGHTS_PATH, "website"));
        let list: Vec<Spotlight> = site
            .spotlights()
            .into_iter()
            .map(|i| Spotlight {
                page: self.entry(i),
                member: site.pages[i]
                    .meta
                    .spotlight
                    .as_ref()
                    .and_then(|h| site.members.get(h))
                    .map(|m| MemberRef::new(site, m)),
            })
            .collect();
        ctx.insert("section", &intro);
        ctx.insert("spotlights", &list);
        self.render(
            "spotlights.html",
            &ctx,
            SPOTLIGHTS_PATH,
            &self.list_origin(SPOTLIGHTS_PATH, "spotlight list"),
        )
    }

    /// Tags of curated links with their counts, by name.
    fn link_tags(&self) -> Vec<(String, String, usize)> {
        let mut tags: std::collections::BTreeMap<String, (String, usize)> = Default::default();
        for l in &self.site.links {
            for t in &l.meta.tags {
                let e = tags.entry(slugify(t)).or_insert((t.clone(), 0));
                e.1 += 1;
            }
        }
        tags.into_iter()
            .filter(|(slug, _)| !slug.is_empty())
            .map(|(slug, (name, n))| (slug, name, n))
            .collect()
    }

    /// `/links/` (tag: None) or `/links/tags/TAG/`.
    /// A curated link's own page: the link, the curator's note, its tags and
    /// discussion, its card in the Open Graph tags and its share links.
    pub(super) fn link_page(&self, l: &crate::model::CuratedLink) -> Result<Output, Diagnostic> {
        let path = crate::model::url::link_page_path(Lang::SITE, &l.anchor);
        let note = crate::escape::text_of(&l.note_html);
        let description = crate::markdown::shorten(&note, 200);
        let mut ctx = self.context(self.meta(&l.meta.title, &description, &path, "article"));
        ctx.insert("link", &LinkView::new(self.site, l));
        let origin = format!(
            "curated link “{}” in {}",
            l.meta.title,
            l.source.path.display()
        );
        self.render("link.html", &ctx, &path, &origin)
    }

    pub(super) fn links_page(&self, tag: Option<&str>) -> Result<Output, Diagnostic> {
        let site = self.site;
        let all_tags = self.link_tags();
        let intro = self.intro(
            LINKS_PATH,
            "Link library",
            "Reading our members recommend, each with why it is worth your time",
        );
        let (path, title, description);
        let tag_name = tag
            .and_then(|t| all_tags.iter().find(|(slug, _, _)| slug == t))
            .map(|(_, n, _)| n.clone());
        match &tag_name {
            Some(name) => {
                path = link_tag_path(Lang::SITE, tag.unwrap_or_default());
                title = format!("Links tagged “{name}”");
                description = format!("Curated links about {name} from {}", site.config.title);
            }
            None => {
                path = LINKS_PATH.to_string();
                title = intro.title.to_string();
                description = intro.description.to_string();
            }
        }
        let mut ctx = self.context(self.meta(&title, &description, &path, "website"));
        let mut months: Vec<Month> = Vec::new();
        for l in &site.links {
            if let Some(t) = tag {
                if !l.meta.tags.iter().any(|x| slugify(x) == t) {
                    continue;
                }
            }
            let id = l.meta.date.format("%Y-%m").unwrap_or_default();
            if months.last().is_none_or(|m| m.id != id) {
                months.push(Month {
                    label: l.meta.date.format("%B %Y").unwrap_or_default(),
                    id: id.clone(),
                    links: Vec::new(),
                });
            }
            if let Some(m) = months.last_mut() {
                m.links.push(LinkView::new(site, l));
            }
        }
        let tags: Vec<TagCount> = all_tags
            .iter()
            .map(|(slug, name, count)| TagCount {
                name: name.clone(),
                url: site.config.url(&link_tag_path(Lang::SITE, slug)),
                count: *count,
            })
            .collect();
        ctx.insert("section", &intro);
        ctx.insert("title", &title);
        ctx.insert("months", &months);
        ctx.insert("tags", &tags);
        ctx.insert(
            "tag",
            &tag_name.map(|name| TagRef {
                slug: tag.unwrap_or_default().to_string(),
                url: site.config.url(&path),
                name,
            }),
        );
        ctx.insert("feed_url", &site.config.url(LINKS_FEED));
        let origin = match tag {
            Some(t) => format!("generated link tag `{t}`"),
            None => self.list_origin(LINKS_PATH, "link library"),
        };
        self.render("links.html", &ctx, &path, &origin)
    }

    pub(super) fn link_tag_slugs(&self) -> Vec<String> {
        self.link_tags()
            .into_iter()
            .map(|(slug, _, _)| slug)
            .collect()
    }

    pub(super) fn guidelines_page(&self) -> Result<Output, Diagnostic> {
        let site = self.site;
        let intro = self.intro(
            GUIDELINES_PATH,
            "Guidelines",
            "How we treat each other and how the community is run",
        );
        let mut ctx =
            self.context(self.meta(intro.title, intro.description, GUIDELINES_PATH, "website"));
        let list: Vec<GuidelineView> = site
            .guidelines
            .iter()
            .map(|g| GuidelineView::new(site, g))
            .collect();
        ctx.insert("section", &intro);
        ctx.insert("guidelines", &list);
        self.render(
            "guidelines.html",
            &ctx,
            GUIDELINES_PATH,
            &self.list_origin(GUIDELINES_PATH, "guideline index"),
        )
    }

    pub(super) fn guideline_page(&self, g: &Guideline) -> Result<Output, Diagnostic> {
        let site = self.site;
        let description = g
            .meta
            .summary
            .clone()
            .unwrap_or_else(|| g.content.lead.clone());
        let mut ctx = self.context(self.meta(&g.title, &description, &g.path, "article"));
        ctx.insert("guideline", &GuidelineView::new(site, g));
        self.render(
            "guideline.html",
            &ctx,
            &g.path,
            &g.source.path.display().to_string(),
        )
    }

    /// Upcoming events (soonest first) and past ones (latest first), against "now".
    pub(super) fn split_events(&self) -> (Vec<usize>, Vec<usize>) {
        let site = self.site;
        let (mut upcoming, mut past): (Vec<usize>, Vec<usize>) = site
            .events()
            .into_iter()
            .partition(|&i| site.is_upcoming(i));
        let start = |i: &usize| site.pages[*i].meta.event.as_ref().map(|e| e.start);
        upcoming.sort_by(|a, b| start(a).cmp(&start(b)).then(a.cmp(b)));
        past.sort_by(|a, b| start(b).cmp(&start(a)).then(a.cmp(b)));
        (upcoming, past)
    }

    pub(super) fn events_page(&self) -> Result<Output, Diagnostic> {
        let intro = self.intro(EVENTS_PATH, "Events", "Calls, workshops and meetups");
        let mut ctx =
            self.context(self.meta(intro.title, intro.description, EVENTS_PATH, "website"));
        let (upcoming, past) = self.split_events();
        let refs = |ids: &[usize]| ids.iter().map(|&i| self.entry(i)).collect::<Vec<_>>();
        ctx.insert("section", &intro);
        ctx.insert("upcoming", &refs(&upcoming));
        ctx.insert("past", &refs(&past));
        ctx.insert("ics", &self.site.config.url(EVENTS_ICS));
        // webcal:// makes calendar apps subscribe (and follow new events) instead of
        // importing a one-off copy.
        let permalink = self.site.config.permalink(EVENTS_ICS);
        let webcal = match permalink.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => permalink,
        };
        ctx.insert("webcal", &webcal);
        self.render(
            "events.html",
            &ctx,
            EVENTS_PATH,
            &self.list_origin(EVENTS_PATH, "event list"),
        )
    }
}
