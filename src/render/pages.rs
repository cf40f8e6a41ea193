//! Rendering one job: a page, a section (one pager of it), a list, a member, a
//! guideline, the kit. `Renderer` lives in `mod.rs`; this is how it renders.

use crate::model::url::Lang;
use tera::{Context, Value};

use super::context::{to_value, Meta, PageView, Paginator, SectionView, SubsectionRef};
use super::jobs::{pager_count, pager_path, Job};
use super::*;

/// How many of the newest members the home page greets.
const HOME_NEWEST_MEMBERS: usize = 6;
/// How many news posts the home page lists (events and spotlights have their own).
const HOME_NEWS: usize = 6;

impl Renderer<'_> {
    pub(super) fn page_template(&self, p: &Page) -> String {
        if let Some(t) = &p.meta.template {
            return t.clone();
        }
        match p.kind {
            PageKind::Page => "page.html".into(),
            PageKind::SectionIndex if p.path == "/" => "index.html".into(),
            PageKind::SectionIndex => "section.html".into(),
        }
    }

    /// A `template:` naming a missing template is an error at that line. Only the
    /// pages being rendered are checked: a build renders each page once, in batches.
    pub(super) fn check_templates(&self, pages: &[usize]) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for p in pages.iter().filter_map(|&i| self.site.pages.get(i)) {
            let Some(name) = &p.meta.template else {
                continue;
            };
            if self.templates.exists(name) {
                continue;
            }
            let yaml = &p.source.text[p.front_matter.clone()];
            let span = crate::config::key_span(yaml, "template");
            let span = span.start + p.front_matter.start..span.end + p.front_matter.start;
            let names = self.templates.names();
            let mut d = Diagnostic::error(Code::Template, format!("there is no template `{name}`"))
                .at(&p.source, span);
            if let Some(best) = did_you_mean(name, names.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{best}`?"));
            } else {
                d = d.with_help(format!(
                    "add templates/{name}, or use one of: {}",
                    names.join(", ")
                ));
            }
            problems.push(d);
        }
        problems
    }

    pub(super) fn context(&self, meta: Meta) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("words", self.words.clone());
        ctx.insert("meta", &meta);
        ctx
    }

    pub(super) fn render(
        &self,
        template: &str,
        ctx: &Context,
        path: &str,
        origin: &str,
    ) -> Result<Output, Diagnostic> {
        let html = self.templates.tera.render(template, ctx).map_err(|e| {
            self.templates
                .diagnostic(&e, Some(std::path::Path::new(origin)))
        })?;
        Ok(Output {
            path: index_file(path),
            body: Body::Bytes(html.into()),
            origin: origin.to_string(),
        })
    }

    pub(super) fn meta<'a>(
        &self,
        title: &'a str,
        description: &'a str,
        path: &str,
        kind: &'static str,
    ) -> Meta<'a> {
        let config = &self.site.config;
        let own = self.cards.for_path(path);
        let card = own.or_else(|| self.cards.site_card());
        let permalink = config.permalink(path);
        let (alternates, languages) = self.alternates(path);
        Meta {
            alternates,
            languages,
            title,
            description,
            image: card.map(|c| context::ImageMeta {
                url: config.root_permalink(&c.output),
                alt: c.alt.clone(),
                width: crate::cards::WIDTH,
                height: crate::cards::HEIGHT,
                mime: "image/png",
            }),
            share: own.map(|_| share::share_view(config, title, description, &permalink)),
            permalink,
            path: config.url(path),
            kind,
            lang: config.language.clone(),
            dir: crate::model::page::text_direction(&config.language),
        }
    }

    /// [`Self::meta`] for a page of content, in the page's own language.
    pub(super) fn page_meta<'p>(
        &self,
        p: &crate::model::Page,
        path: &str,
        kind: &'static str,
        title: &'p str,
        description: &'p str,
    ) -> Meta<'p> {
        let mut meta = self.meta(title, description, path, kind);
        if let Some(lang) = &p.meta.language {
            meta.lang.clone_from(lang);
            meta.dir = crate::model::page::text_direction(lang);
        }
        meta
    }

    pub(super) fn render_job(&self, job: &Job) -> Result<Output, Diagnostic> {
        let site = self.site;
        match job {
            Job::Page(i) => {
                let p = &site.pages[*i];
                let mut ctx = self.context(self.page_meta(
                    p,
                    &p.path,
                    context::og_kind(p),
                    &p.title,
                    p.description(),
                ));
                ctx.insert("page", &PageView::new(site, *i));
                let origin = p.source.path.display().to_string();
                self.render(&self.page_template(p), &ctx, &p.path, &origin)
            }
            Job::Section(s, pager) => self.render_section(s, *pager),
            Job::File(file) => Ok(self.render_file(file)),
            Job::Members => self.members_page(),
            Job::Member(m) => self.member_page(m),
            Job::Spotlights => self.spotlights_page(),
            Job::Links(tag) => self.links_page(tag.as_deref()),
            Job::LinkPage(l) => self.link_page(l),
            Job::Guidelines => self.guidelines_page(),
            Job::Guideline(g) => self.guideline_page(g),
            Job::Events => self.events_page(),
            Job::Digests => self.digests_page(),
            Job::Digest(p, kind) => self.digest_output(*p, *kind),
            Job::Promote(items) => {
                let mut ctx = self.context(self.meta(
                    "Promotion kit",
                    "The newest items to share, with cards, captions and tagged links",
                    promote::PROMOTE_PATH,
                    "website",
                ));
                ctx.insert("items", items);
                ctx.insert("kinds", &promote::kinds(items));
                ctx.insert("csv_url", &site.config.url(promote::POSTS_CSV));
                self.render(
                    "promote.html",
                    &ctx,
                    promote::PROMOTE_PATH,
                    "generated promotion kit",
                )
            }
            Job::Search => {
                let path = crate::model::url::SEARCH_PATH;
                let description = format!(
                    "Find members, curated links, guideline rules, posts and events on {}",
                    site.config.title
                );
                let title = self.templates.say("Search");
                let ctx = self.context(self.meta(title, &description, path, "website"));
                self.render("search.html", &ctx, path, "generated search page")
            }
            Job::TagList => {
                let section = site.sections.get(TAGS_PATH);
                let view = section.map(|s| SectionView::new(site, &self.refs, s));
                let tags = self.templates.say("Tags");
                let title =
                    view.as_ref()
                        .map_or(tags, |v| if v.title.is_empty() { tags } else { v.title });
                let fallback = format!(
                    "Every topic on {}: the pages and curated links for each tag",
                    site.config.title
                );
                let description = view
                    .as_ref()
                    .map(|v| v.description)
                    .filter(|d| !d.is_empty())
                    .unwrap_or(&fallback);
                let mut ctx = self.context(self.meta(title, description, TAGS_PATH, "website"));
                let tags: Vec<SubsectionRef> = site
                    .tags
                    .values()
                    .map(|t| SubsectionRef {
                        title: t.name.clone(),
                        url: site
                            .config
                            .url(&crate::model::url::tag_path(Lang::SITE, &t.slug)),
                        count: t.pages.len() + t.links.len(),
                    })
                    .collect();
                let tags: Vec<Value> = tags
                    .into_iter()
                    .map(|t| {
                        to_value(&serde_json::json!({
                            "name": t.title, "url": t.url, "count": t.count,
                        }))
                    })
                    .collect();
                ctx.insert("tags", &tags);
                ctx.insert(
                    "section",
                    &serde_json::json!({
                        "title": title,
                        "description": description,
                        "content": view.as_ref().map_or("", |v| v.content),
                        "url": site.config.url(TAGS_PATH),
                    }),
                );
                let origin = section
                    .and_then(|s| s.index)
                    .map_or("generated tag list".to_string(), |i| {
                        site.pages[i].source.path.display().to_string()
                    });
                self.render("tags.html", &ctx, TAGS_PATH, &origin)
            }
            Job::Tag(tag) => {
                let path = crate::model::url::tag_path(Lang::SITE, &tag.slug);
                let title = format!("#{}", tag.name);
                let description = format!(
                    "Pages and curated links tagged “{}” on {}",
                    tag.name, site.config.title
                );
                let mut ctx = self.context(self.meta(&title, &description, &path, "website"));
                ctx.insert(
                    "tag",
                    &TagView {
                        name: &tag.name,
                        slug: &tag.slug,
                        url: site.config.url(&path),
                        count: tag.pages.len(),
                        pages: tag.pages.iter().map(|&i| self.entry(i)).collect(),
                        links: tag
                            .links
                            .iter()
                            .map(|&i| views::LinkView::new(site, &site.links[i]))
                            .collect(),
                    },
                );
                self.render("tag.html", &ctx, &path, &format!("tag `{}`", tag.name))
            }
            Job::NotFound => {
                let description = format!(
                    "This page does not exist on {}; the home page and the menu lead on",
                    site.config.title
                );
                let ctx =
                    self.context(self.meta("Page not found", &description, "/404.html", "website"));
                let html = self
                    .templates
                    .tera
                    .render("404.html", &ctx)
                    .map_err(|e| self.templates.diagnostic(&e, None))?;
                Ok(Output {
                    path: "404.html".into(),
                    body: Body::Bytes(html.into()),
                    origin: "generated 404 page".into(),
                })
            }
        }
    }

    pub(super) fn render_section(&self, s: &Section, pager: usize) -> Result<Output, Diagnostic> {
        let site = self.site;
        let view = SectionView::new(site, &self.refs, s);
        let index_page = s.index.map(|i| &site.pages[i]);
        let path = pager_path(s, pager);
        let title = view.title;
        let description = view.description;
        let mut ctx = self.context(match index_page {
            Some(p) => self.page_meta(p, &path, "website", title, description),
            None => self.meta(title, description, &path, "website"),
        });
        let per = s.paginate_by.unwrap_or(s.pages.len().max(1));
        let count = pager_count(s);
        let url = |n: usize| site.config.url(&pager_path(s, n));
        let paginator = Paginator {
            pages: s
                .pages
                .iter()
                .skip((pager - 1) * per)
                .take(per)
                .map(|&i| self.entry(i))
                .collect(),
            current_index: pager,
            number_pagers: count,
            paginate_by: per,
            first: url(1),
            last: url(count),
            previous: (pager > 1).then(|| url(pager - 1)),
            next: (pager < count).then(|| url(pager + 1)),
        };
        ctx.insert("section", &view);
        ctx.insert("paginator", &paginator);
        if s.path == "/" {
            let dated = site.dated_pages();
            let recent: Vec<context::Entry> =
                dated.iter().take(10).map(|&i| self.entry(i)).collect();
            ctx.insert("recent_pages", &recent);
            // The front page shows events and the spotlight in their own places;
            // its list of news leaves them out so nothing appears twice.
            let news: Vec<context::Entry> = dated
                .iter()
                .filter(|&&i| {
                    let m = &site.pages[i].meta;
                    m.event.is_none() && m.spotlight.is_none()
                })
                .take(HOME_NEWS)
                .map(|&i| self.entry(i))
                .collect();
            ctx.insert("latest_news", &news);
            let newest: Vec<views::MemberRef> = site
                .newest_members(HOME_NEWEST_MEMBERS)
                .into_iter()
                .map(|m| views::MemberRef::new(site, m))
                .collect();
            ctx.insert("newest_members", &newest);
            let mut upcoming: Vec<usize> = site
                .events()
                .into_iter()
                .filter(|&i| site.is_upcoming(i))
                .collect();
            upcoming.sort_by_key(|&i| site.pages[i].meta.event.as_ref().map(|e| e.start));
            let upcoming: Vec<context::Entry> = upcoming
                .into_iter()
                .take(3)
                .map(|i| self.entry(i))
                .collect();
            ctx.insert("upcoming_events", &upcoming);
            let latest = site.spotlights().into_iter().next().map(|i| {
                serde_json::json!({
                    "page": self.entry(i),
                    "member": site.pages[i].meta.spotlight.as_ref()
                        .and_then(|h| site.members.get(h))
                        .map(|m| views::MemberRef::new(site, m)),
                })
            });
            ctx.insert("latest_spotlight", &latest);
        }
        let template = match index_page {
            Some(p) => self.page_template(p),
            None if s.path == "/" => "index.html".into(),
            None => "section.html".into(),
        };
        let origin = index_page.map_or_else(
            || s.dir.display().to_string(),
            |p| p.source.path.display().to_string(),
        );
        self.render(&template, &ctx, &path, &origin)
    }
}

/// `tag` on a tag's page.
#[derive(serde::Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    pages: Vec<context::Entry<'a>>,
    /// Curated links with the tag.
    links: Vec<views::LinkView<'a>>,
}
