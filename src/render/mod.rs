//! Site → outputs (path + bytes): the pages, lists, feeds and files of jobs.rs's one
//! list, rendered with the theme's Tera templates (the theme loads them; cards
//! render their own SVG template). Every output is independent, so they render in
//! parallel; nothing global is mutated.

pub mod alternates;
pub mod calendar;
pub mod community;
pub mod context;
mod digest;
pub use digest::{latest_digest, one_digest, DigestKind};
pub mod feeds;
mod files;
mod jobs;
mod pages;
pub mod plan;
pub mod promote;
pub mod share;
pub mod sitemap;
pub mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Value;

use crate::cards::CardPlan;
use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::markdown::highlight;
use crate::model::page::PageKind;
use crate::model::{Page, Section, Site, Tag};
use crate::output::{is_generated, Body, Output};
use crate::theme::Templates;
pub use alternates::{languages, EditionRef};
use context::{to_value, SiteView};
use jobs::Job;
pub use plan::{edit_pages, EditPlan};

/// Site path of the tag list and of one tag.
pub use crate::model::url::TAGS_PATH;
pub const HIGHLIGHT_CSS: &str = "syntax.css";

/// The file that serves a site path ("/news/" → "news/index.html").
pub fn index_file(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    cards: &'a CardPlan,
    site_value: Value,
    /// The theme's words in this edition's language (`words`).
    words: Value,
    /// Every page's list entry (kept by `serve`, or made for this rendering).
    refs: context::Entries<'a>,
    /// The complete periods with a digest (SPEC §7), newest first.
    digests: Vec<crate::digest::Period>,
}

impl<'a> Renderer<'a> {
    /// A renderer of `site`; `lists`: whether it makes every page's list entry.
    fn new(site: &'a Site, templates: &'a Templates, cards: &'a CardPlan, lists: bool) -> Self {
        Renderer {
            site,
            templates,
            cards,
            site_value: site_value(site, cards),
            words: to_value(&templates.words),
            refs: context::Entries::new(site, None, lists),
            digests: digest::periods(site),
        }
    }

    fn entry(&self, i: usize) -> context::Entry<'_> {
        self.refs.get(i)
    }
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
    Related {
        /// The pages (indices in `Site::pages`) whose lists these are.
        pages: Vec<usize>,
        /// The slugs of the tags they had or have.
        tags: Vec<String>,
        /// What the pages were before the edit: the lists that showed them then
        /// are made again too.
        before: Before,
        /// Whether the sitemap can have changed: it lists paths and dates, which a
        /// new title leaves as they were (`serve` then keeps the one it has).
        sitemap: bool,
    },
    /// Every list.
    All,
}

/// What edited pages were before an edit, as far as lists go: a member page that
/// listed a page as mentioning, authored by or spotlighting that member, and the
/// spotlight and event lists that held it, must drop it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Before {
    /// The members the pages named: authors, spotlight, mentions.
    pub members: Vec<String>,
    /// Whether one of them was a spotlight.
    pub spotlight: bool,
    /// Whether one of them was an event.
    pub event: bool,
}

/// `site` as every template sees it. When an edit changes it (the first event, the
/// last tag), every page must be rendered again.
pub fn site_value(site: &Site, cards: &CardPlan) -> Value {
    to_value(&SiteView::new(site, promote::has_items(site, cards)))
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
/// else each list makes its own.
pub fn select(
    site: &Site,
    templates: &Templates,
    cards: &CardPlan,
    selection: &Selection,
    refs: Option<&[Value]>,
) -> (Vec<Output>, Vec<Diagnostic>) {
    select_into(site, templates, cards, selection, refs, None)
}

/// Where a build sends each page as soon as it is rendered (it writes it), so
/// that no batch of pages sits in memory; what the sink finds wrong it keeps.
pub type Sink<'s> = &'s (dyn Fn(Output) + Sync);

/// [`select`], with the outputs of the selected jobs (pages, lists) handed to
/// `sink` as they are made instead of returned; the few generated files (feeds,
/// sitemap, static files) are still returned.
pub fn select_into(
    site: &Site,
    templates: &Templates,
    cards: &CardPlan,
    selection: &Selection,
    refs: Option<&[Value]>,
    sink: Option<Sink>,
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
    let refs = context::Entries::new(site, refs, any_lists);
    let r = Renderer {
        site,
        templates,
        cards,
        site_value: site_value(site, cards),
        words: to_value(&templates.words),
        refs,
        digests: digest::periods(site),
    };
    let mut problems = r.check_templates(&chosen);
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    // The feeds and the sitemap first: they are few and long, and must not wait
    // behind the pages and lists (before, they ran beside them on their own).
    let mut jobs = Vec::new();
    if selection.feeds {
        jobs.extend(r.feed_jobs());
    }
    let (lists, sitemap) = match &lists {
        Lists::All => (r.list_jobs(&promo_items), true),
        Lists::Related {
            pages,
            tags,
            before,
            sitemap,
        } => {
            let edit = plan::Shown::new(site, pages, tags, before);
            let lists = r.list_jobs(&promo_items);
            (
                lists.into_iter().filter(|j| r.shows(j, &edit)).collect(),
                *sitemap,
            )
        }
        Lists::None => (Vec::new(), false),
    };
    // One sitemap lists every edition's pages: the default edition's.
    if sitemap && site.lang.is_none() {
        jobs.push(Job::File(jobs::FileJob::Sitemap));
    }
    if any_lists {
        jobs.extend(r.list_file_jobs(&promo_items));
    }
    for &i in &chosen {
        if site.pages.get(i).is_some_and(|p| p.kind == PageKind::Page) && site.renders(i) {
            jobs.push(Job::Page(i));
        }
    }
    jobs.extend(lists);
    if all {
        jobs.extend(r.extra_jobs());
    }

    let results: Vec<Result<Option<Output>, Diagnostic>> = jobs
        .par_iter()
        .map(|j| {
            let o = r.render_job(j)?;
            Ok(match sink {
                Some(sink) => {
                    sink(o);
                    None
                }
                None => Some(o),
            })
        })
        .collect();
    let mut outputs = Vec::with_capacity(results.len() + 8);
    let mut seen_errors = std::collections::HashSet::new();
    for res in results {
        match res {
            Ok(o) => outputs.extend(o),
            // One broken template fails every page that uses it: say it once.
            Err(d) => {
                if seen_errors.insert((d.file.clone(), d.span.clone(), d.message.clone())) {
                    problems.push(d);
                }
            }
        }
    }
    if !all || site.lang.is_some() {
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
