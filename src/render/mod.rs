//! Site → outputs (path + bytes). The only stage that knows Tera. Every output is
//! independent, so they render in parallel; nothing global is mutated.

pub mod calendar;
pub mod community;
pub mod context;
pub mod feeds;
pub mod promote;
pub mod share;
pub mod sitemap;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::cards::CardPlan;
use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::markdown::highlight;
use crate::model::page::PageKind;
use crate::model::{Page, Section, Site, Tag};
use crate::output::{is_generated, Body, Output};
use crate::theme::Templates;
use context::{to_value, Meta, PageView, Paginator, SectionView, SiteView, SubsectionRef};

/// Site path of the tag list and of one tag.
pub use crate::model::url::TAGS_PATH;
pub const HIGHLIGHT_CSS: &str = "syntax.css";

/// The file that serves a site path ("/news/" → "news/index.html").
pub fn index_file(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

enum Job<'a> {
    Page(usize),
    Section(&'a Section, usize),
    TagList,
    Tag(&'a Tag),
    NotFound,
    Members,
    Member(&'a crate::model::Member),
    Spotlights,
    Links(Option<String>),
    Guidelines,
    Guideline(&'a crate::model::Guideline),
    Events,
    Promote(&'a [promote::Item]),
}

/// The generated lists that will be written: a content section at one of these URLs
/// gives the list its title and intro instead of being rendered itself.
fn generated_lists(site: &Site) -> Vec<&'static str> {
    let mut v = Vec::new();
    if !site.tags.is_empty() {
        v.push(TAGS_PATH);
    }
    if !site.members.is_empty() {
        v.push(community::MEMBERS_PATH);
    }
    if !site.spotlights().is_empty() {
        v.push(community::SPOTLIGHTS_PATH);
    }
    if !site.links.is_empty() {
        v.push(community::LINKS_PATH);
    }
    if !site.guidelines.is_empty() {
        v.push(community::GUIDELINES_PATH);
    }
    if !site.events().is_empty() {
        v.push(community::EVENTS_PATH);
    }
    v
}

struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    cards: &'a CardPlan,
    site_value: Value,
    refs: std::borrow::Cow<'a, [Value]>,
}

/// What to render. A build renders everything, in chunks of pages so that output
/// is written as it is made; `serve` renders an edited page and what shows it.
#[derive(Debug, Clone)]
pub struct Selection {
    pub pages: Pages,
    pub lists: Lists,
    /// The feeds (they carry pages' full text).
    pub feeds: bool,
    /// Everything else: guideline pages, 404, robots.txt, the highlight stylesheet,
    /// static files and page assets.
    pub extras: bool,
}

#[derive(Debug, Clone)]
pub enum Pages {
    All,
    /// Indices into `Site::pages`.
    These(Vec<usize>),
}

impl Selection {
    pub fn all() -> Selection {
        Selection {
            pages: Pages::All,
            lists: Lists::All,
            feeds: true,
            extras: true,
        }
    }
}

/// Which lists a partial render refreshes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lists {
    /// None: what lists show of the pages did not change (feeds are still redone:
    /// they carry the pages' full text).
    None,
    /// The lists that show the pages: their sections, the home page, these tags
    /// (old and new), the tag list, the pages' members, spotlight and event lists,
    /// the promotion kit, feeds and the sitemap.
    Related { tags: Vec<String> },
    /// Every list.
    All,
}

/// Renders every output of the site. All template errors are collected.
pub fn whole_site(
    site: &Site,
    templates: &Templates,
    cards: &CardPlan,
) -> (Vec<Output>, Vec<Diagnostic>) {
    select(site, templates, cards, &Selection::all(), None)
}

/// Renders what `selection` asks for.
/// `refs` are the list entries of every page when the caller keeps them (`serve`),
/// else they are made here when lists need them.
pub fn select(
    site: &Site,
    templates: &Templates,
    cards: &CardPlan,
    selection: &Selection,
    refs: Option<&[Value]>,
) -> (Vec<Output>, Vec<Diagnostic>) {
    let all = selection.extras;
    let lists = selection.lists.clone();
    let chosen: Vec<usize> = match &selection.pages {
        Pages::All => (0..site.pages.len()).collect(),
        Pages::These(v) => v.clone(),
    };
    let any_lists = lists != Lists::None;
    let promo_items = if any_lists {
        promote::items(site, cards)
    } else {
        Vec::new()
    };
    let refs = match (refs, any_lists) {
        (Some(r), _) => std::borrow::Cow::Borrowed(r),
        (None, true) => std::borrow::Cow::Owned(context::page_refs(site)),
        (None, false) => std::borrow::Cow::Owned(Vec::new()),
    };
    let r = Renderer {
        site,
        templates,
        cards,
        site_value: to_value(&SiteView::new(site, promote::has_items(site, cards))),
        refs,
    };
    let mut problems = r.check_templates(&chosen);
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut jobs = Vec::new();
    for &i in &chosen {
        if site.pages.get(i).is_some_and(|p| p.kind == PageKind::Page) {
            jobs.push(Job::Page(i));
        }
    }
    match &lists {
        Lists::All => r.all_list_jobs(&mut jobs, &promo_items),
        Lists::Related { tags } => r.related_list_jobs(&mut jobs, &chosen, tags, &promo_items),
        Lists::None => {}
    }
    if all {
        jobs.extend(site.guidelines.iter().map(Job::Guideline));
        jobs.push(Job::NotFound);
    }

    let results: Vec<Result<Output, Diagnostic>> =
        jobs.par_iter().map(|j| r.render_job(j)).collect();
    let mut outputs = Vec::with_capacity(results.len() + 8);
    let mut seen_errors = std::collections::HashSet::new();
    for res in results {
        match res {
            Ok(o) => outputs.push(o),
            // One broken template fails every page that uses it: say it once.
            Err(d) => {
                if seen_errors.insert((d.file.clone(), d.span.clone(), d.message.clone())) {
                    problems.push(d);
                }
            }
        }
    }
    if selection.feeds {
        outputs.extend(r.generated_files(all, any_lists));
    }
    if any_lists {
        outputs.extend(r.community_files());
    }
    if any_lists && !promo_items.is_empty() {
        outputs.push(Output {
            path: promote::POSTS_CSV.into(),
            body: Body::Bytes(promote::csv(&promo_items).into()),
            origin: "generated promotion kit".into(),
        });
    }
    if !all {
        return (outputs, problems);
    }
    outputs.extend(templates.static_outputs());
    for a in &site.assets {
        outputs.push(Output {
            path: a.dest.clone(),
            body: match &a.bytes {
                Some(bytes) => Body::Bytes(bytes::Bytes::from(bytes.to_vec())),
                None => Body::Copy(a.source.clone()),
            },
            origin: crate::load::source::display_path(&site.root, &a.source)
                .display()
                .to_string(),
        });
    }
    problems.extend(resolve_claims(&mut outputs));
    (outputs, problems)
}

/// Static files may override the theme's (later wins); any other two sources for one
/// path is an error naming both.
fn resolve_claims(outputs: &mut Vec<Output>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
    let mut keep = vec![true; outputs.len()];
    for (i, o) in outputs.iter().enumerate() {
        if let Some(&j) = by_path.get(&o.path) {
            let earlier = &outputs[j];
            let overridable = !is_generated(&earlier.body) && !is_generated(&o.body);
            if overridable {
                keep[j] = false;
            } else {
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateUrl,
                        format!(
                            "{} and {} both want to write /{}",
                            earlier.origin, o.origin, o.path
                        ),
                    )
                    .with_help("rename or move one of them"),
                );
                continue;
            }
        }
        by_path.insert(o.path.clone(), i);
    }
    let mut i = 0;
    outputs.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    problems
}

fn pager_count(s: &Section) -> usize {
    match s.paginate_by {
        Some(n) if n > 0 => s.pages.len().div_ceil(n).max(1),
        _ => 1,
    }
}

fn pager_path(s: &Section, pager: usize) -> String {
    if pager <= 1 {
        s.path.clone()
    } else {
        format!("{}page/{pager}/", s.path)
    }
}

impl Renderer<'_> {
    fn page_template(&self, p: &Page) -> String {
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
    fn check_templates(&self, pages: &[usize]) -> Vec<Diagnostic> {
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

    fn context(&self, meta: Meta) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("meta", &meta);
        ctx
    }

    fn render(
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

    fn meta<'a>(
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
        Meta {
            title,
            description,
            image: card.map(|c| context::ImageMeta {
                url: config.permalink(&c.output),
                alt: c.alt.clone(),
                width: crate::cards::WIDTH,
                height: crate::cards::HEIGHT,
                mime: "image/png",
            }),
            share: own.map(|_| share::share_view(config, title, description, &permalink)),
            permalink,
            path: config.url(path),
            kind,
        }
    }

    fn render_job(&self, job: &Job) -> Result<Output, Diagnostic> {
        let site = self.site;
        match job {
            Job::Page(i) => {
                let p = &site.pages[*i];
                let mut ctx = self.context(self.meta(
                    &p.title,
                    p.description(),
                    &p.path,
                    context::og_kind(p),
                ));
                ctx.insert("page", &PageView::new(site, *i));
                let origin = p.source.path.display().to_string();
                self.render(&self.page_template(p), &ctx, &p.path, &origin)
            }
            Job::Section(s, pager) => self.render_section(s, *pager),
            Job::Members => self.members_page(),
            Job::Member(m) => self.member_page(m),
            Job::Spotlights => self.spotlights_page(),
            Job::Links(tag) => self.links_page(tag.as_deref()),
            Job::Guidelines => self.guidelines_page(),
            Job::Guideline(g) => self.guideline_page(g),
            Job::Events => self.events_page(),
            Job::Promote(items) => {
                let mut ctx = self.context(self.meta(
                    "Promotion kit",
                    "The newest items to share, with cards, captions and tagged links",
                    promote::PROMOTE_PATH,
                    "website",
                ));
                ctx.insert("items", items);
                ctx.insert("csv_url", &site.config.url(promote::POSTS_CSV));
                self.render(
                    "promote.html",
                    &ctx,
                    promote::PROMOTE_PATH,
                    "generated promotion kit",
                )
            }
            Job::TagList => {
                let section = site.sections.get(TAGS_PATH);
                let view = section.map(|s| SectionView::new(site, &self.refs, s));
                let title =
                    view.as_ref().map_or(
                        "Tags",
                        |v| if v.title.is_empty() { "Tags" } else { v.title },
                    );
                let description = view.as_ref().map_or("", |v| v.description);
                let mut ctx = self.context(self.meta(title, description, TAGS_PATH, "website"));
                let tags: Vec<SubsectionRef> = site
                    .tags
                    .values()
                    .map(|t| SubsectionRef {
                        title: t.name.clone(),
                        url: site.config.url(&format!("{TAGS_PATH}{}/", t.slug)),
                        count: t.pages.len(),
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
                let path = format!("{TAGS_PATH}{}/", tag.slug);
                let title = format!("#{}", tag.name);
                let description = format!("Pages tagged “{}” on {}", tag.name, site.config.title);
                let mut ctx = self.context(self.meta(&title, &description, &path, "website"));
                ctx.insert(
                    "tag",
                    &TagView {
                        name: &tag.name,
                        slug: &tag.slug,
                        url: site.config.url(&path),
                        count: tag.pages.len(),
                        pages: tag.pages.iter().map(|&i| self.refs[i].clone()).collect(),
                    },
                );
                self.render("tag.html", &ctx, &path, &format!("tag `{}`", tag.name))
            }
            Job::NotFound => {
                let ctx = self.context(self.meta("Page not found", "", "/404.html", "website"));
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

    fn render_section(&self, s: &Section, pager: usize) -> Result<Output, Diagnostic> {
        let site = self.site;
        let view = SectionView::new(site, &self.refs, s);
        let index_page = s.index.map(|i| &site.pages[i]);
        let path = pager_path(s, pager);
        let title = view.title;
        let description = view.description;
        let mut ctx = self.context(self.meta(title, description, &path, "website"));
        let per = s.paginate_by.unwrap_or(s.pages.len().max(1));
        let count = pager_count(s);
        let url = |n: usize| site.config.url(&pager_path(s, n));
        let paginator = Paginator {
            pages: s
                .pages
                .iter()
                .skip((pager - 1) * per)
                .take(per)
                .map(|&i| self.refs[i].clone())
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
            let recent: Vec<Value> = site
                .dated_pages()
                .into_iter()
                .take(10)
                .map(|i| self.refs[i].clone())
                .collect();
            ctx.insert("recent_pages", &recent);
            let now = site.now;
            let mut upcoming: Vec<usize> = site
                .events()
                .into_iter()
                .filter(|&i| {
                    site.pages[i]
                        .meta
                        .event
                        .as_ref()
                        .is_some_and(|e| e.end.unwrap_or(e.start) >= now)
                })
                .collect();
            upcoming.sort_by_key(|&i| site.pages[i].meta.event.as_ref().map(|e| e.start));
            let upcoming: Vec<Value> = upcoming
                .into_iter()
                .take(3)
                .map(|i| self.refs[i].clone())
                .collect();
            ctx.insert("upcoming_events", &upcoming);
            let latest = site.spotlights().into_iter().next().map(|i| {
                serde_json::json!({
                    "page": self.refs[i].clone(),
                    "member": site.pages[i].meta.spotlight.as_ref()
                        .and_then(|h| site.members.get(h))
                        .map(|m| context::MemberRef::new(site, m)),
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

    /// Every list page: sections, tags, the community lists, member pages, the kit.
    fn all_list_jobs<'s>(&'s self, jobs: &mut Vec<Job<'s>>, promo_items: &'s [promote::Item]) {
        let site = self.site;
        let generated = generated_lists(site);
        for s in site.sections.values() {
            if generated.contains(&s.path.as_str()) {
                continue;
            }
            for pager in 1..=pager_count(s) {
                jobs.push(Job::Section(s, pager));
            }
        }
        for list in &generated {
            match *list {
                TAGS_PATH => {
                    jobs.push(Job::TagList);
                    jobs.extend(site.tags.values().map(Job::Tag));
                }
                community::MEMBERS_PATH => jobs.push(Job::Members),
                community::SPOTLIGHTS_PATH => jobs.push(Job::Spotlights),
                community::LINKS_PATH => {
                    jobs.push(Job::Links(None));
                    jobs.extend(
                        self.link_tag_slugs()
                            .into_iter()
                            .map(|t| Job::Links(Some(t))),
                    );
                }
                community::GUIDELINES_PATH => jobs.push(Job::Guidelines),
                community::EVENTS_PATH => jobs.push(Job::Events),
                _ => {}
            }
        }
        jobs.extend(site.members.values().map(Job::Member));
        if !promo_items.is_empty() {
            jobs.push(Job::Promote(promo_items));
        }
    }

    /// The lists that show the `chosen` pages, for an edit that changed what lists
    /// show of them (title, date, tags, summary…) but not their URL.
    fn related_list_jobs<'s>(
        &'s self,
        jobs: &mut Vec<Job<'s>>,
        chosen: &[usize],
        tags: &[String],
        promo_items: &'s [promote::Item],
    ) {
        let site = self.site;
        let generated = generated_lists(site);
        let pages: Vec<&Page> = chosen.iter().map(|&i| &site.pages[i]).collect();
        let mut sections: Vec<&str> = vec!["/"];
        for p in &pages {
            sections.push(if p.kind == PageKind::SectionIndex {
                &p.path
            } else {
                &p.section
            });
        }
        for s in site.sections.values() {
            if sections.contains(&s.path.as_str()) && !generated.contains(&s.path.as_str()) {
                for pager in 1..=pager_count(s) {
                    jobs.push(Job::Section(s, pager));
                }
            }
        }
        if generated.contains(&TAGS_PATH) {
            jobs.push(Job::TagList);
            jobs.extend(
                site.tags
                    .values()
                    .filter(|t| tags.contains(&t.slug))
                    .map(Job::Tag),
            );
        }
        let in_list = |path: &str| pages.iter().any(|p| p.section == path || p.path == path);
        if generated.contains(&community::SPOTLIGHTS_PATH)
            && pages.iter().any(|p| p.meta.spotlight.is_some())
        {
            jobs.push(Job::Spotlights);
        }
        if generated.contains(&community::EVENTS_PATH)
            && (pages.iter().any(|p| p.meta.event.is_some()) || in_list(community::EVENTS_PATH))
        {
            jobs.push(Job::Events);
        }
        let discussed = site.links.iter().any(|l| {
            l.discuss_path
                .as_deref()
                .is_some_and(|d| pages.iter().any(|p| p.path == d))
        });
        if discussed {
            jobs.push(Job::Links(None));
            jobs.extend(
                self.link_tag_slugs()
                    .into_iter()
                    .map(|t| Job::Links(Some(t))),
            );
        }
        let mut handles: Vec<&str> = Vec::new();
        for p in &pages {
            handles.extend(p.meta.authors.iter().map(String::as_str));
            handles.extend(p.meta.spotlight.as_deref());
            handles.extend(p.content.mentions.iter().map(String::as_str));
        }
        jobs.extend(
            site.members
                .values()
                .filter(|m| handles.contains(&m.handle.as_str()))
                .map(Job::Member),
        );
        if !promo_items.is_empty() {
            jobs.push(Job::Promote(promo_items));
        }
    }

    /// Feeds always (they carry pages' full text); with `lists`, the sitemap; with
    /// `all`, robots.txt and the highlight stylesheet too.
    fn generated_files(&self, all: bool, lists: bool) -> Vec<Output> {
        let site = self.site;
        let mut out = Vec::new();
        let bytes = |path: &str, text: String, origin: &str| Output {
            path: path.to_string(),
            body: Body::Bytes(text.into()),
            origin: origin.to_string(),
        };
        let dated = site.dated_pages();
        out.push(bytes(
            "feed.xml",
            feeds::atom(
                site,
                crate::model::url::FEED_PATH,
                &site.config.title,
                "/",
                &dated,
            ),
            "generated site feed",
        ));
        for s in site.sections.values().filter(|s| s.feed) {
            let feed_path = format!("{}feed.xml", s.path);
            let pages: Vec<usize> = {
                let mut v: Vec<usize> = s
                    .pages
                    .iter()
                    .copied()
                    .filter(|&i| site.pages[i].date.is_some())
                    .collect();
                crate::model::site::sort_pages(&site.pages, &mut v, Default::default());
                v
            };
            let title = format!("{} · {}", s.title, site.config.title);
            out.push(bytes(
                feed_path.trim_start_matches('/'),
                feeds::atom(site, &feed_path, &title, &s.path, &pages),
                &format!("feed of {}", s.dir.display()),
            ));
        }
        if !lists {
            return out;
        }
        let mut entries = Vec::new();
        for p in &site.pages {
            entries.push(sitemap::Entry {
                path: p.path.clone(),
                lastmod: p.meta.updated.or(p.date).map(|d| d.ymd()),
            });
        }
        for s in site.sections.values() {
            entries.push(sitemap::Entry {
                path: s.path.clone(),
                lastmod: None,
            });
        }
        for list in generated_lists(site) {
            entries.push(sitemap::Entry {
                path: list.into(),
                lastmod: None,
            });
        }
        for m in site.members.values() {
            entries.push(sitemap::Entry {
                path: m.path.clone(),
                lastmod: None,
            });
        }
        for g in &site.guidelines {
            entries.push(sitemap::Entry {
                path: g.path.clone(),
                lastmod: g.meta.reviewed.or(g.meta.effective).map(|d| d.ymd()),
            });
        }
        for t in self.link_tag_slugs() {
            entries.push(sitemap::Entry {
                path: format!("{}tags/{t}/", community::LINKS_PATH),
                lastmod: None,
            });
        }
        if !site.tags.is_empty() {
            for t in site.tags.values() {
                entries.push(sitemap::Entry {
                    path: format!("{TAGS_PATH}{}/", t.slug),
                    lastmod: None,
                });
            }
        }
        out.push(bytes(
            "sitemap.xml",
            sitemap::sitemap(site, entries),
            "generated sitemap",
        ));
        if !all {
            return out;
        }
        out.push(bytes(
            "robots.txt",
            sitemap::robots(site),
            "generated robots.txt",
        ));
        let css = highlight::stylesheet(&site.config.highlight.light, &site.config.highlight.dark)
            .unwrap_or_default();
        out.push(bytes(HIGHLIGHT_CSS, css, "generated highlight stylesheet"));
        out
    }
}

/// `tag` on a tag's page.
#[derive(serde::Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    pages: Vec<Value>,
}
