//! `hearth report`: the community manager's health report. It loads the site as a
//! build does (same errors, exit code 1 on a broken site) and counts, as of the
//! build's "now": members joined per month and their welcome answers, who has never
//! been spotlighted, spotlights, curation per curator and month, broken curated links
//! (from `check --external`'s cache), events, guideline review ages and content.
//! A thin driver: `compute` reads the model; `human` and `html` present it.

pub mod html;
pub mod human;
pub mod over_time;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::model::page::PageKind;
use crate::model::{Date, Site};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Html,
}

pub struct ReportOptions {
    pub site: PathBuf,
    pub format: Format,
    pub now: Date,
}

/// Months ("2026-11") to counts, in order.
pub type ByMonth = BTreeMap<String, usize>;

/// The report, as `--format json` prints it (SPEC §4 and issue 15 name the keys).
#[derive(Debug, Serialize)]
pub struct Report {
    pub generated: String,
    /// The site's title, for the human and HTML forms.
    pub site: String,
    pub members: Members,
    pub spotlights: Spotlights,
    pub links: Links,
    pub events: Events,
    pub guidelines: Vec<GuidelineAge>,
    pub content: ContentCounts,
    /// Per language of `languages` (SPEC §5): how much is translated, and which
    /// guideline translations are behind. Absent for a site of one language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Coverage>,
    /// The latest complete week or month against the one before (issue 31).
    pub periods: over_time::ThisAndLast,
}

/// How much of the site one language has.
#[derive(Debug, Serialize)]
pub struct Coverage {
    pub lang: String,
    pub pages: Translated,
    pub guidelines: Translated,
    pub bios: Translated,
    /// Guideline translations that follow an older version of their original.
    pub behind: Vec<Behind>,
}

/// `translated` of `of` (the originals).
#[derive(Debug, Serialize, Default)]
pub struct Translated {
    pub translated: usize,
    pub of: usize,
}

#[derive(Debug, Serialize)]
pub struct Behind {
    /// The translation's file.
    pub path: String,
    pub title: String,
    pub follows: String,
    pub current: String,
}

#[derive(Debug, Serialize)]
pub struct Members {
    pub total: usize,
    /// Every member, those without `joined` under "unknown"; every month from
    /// the first to the build's, 0 when nobody joined.
    pub joined_by_month: ByMonth,
    /// How many members there were at the end of each month (those without
    /// `joined` counted from the first).
    pub cumulative_by_month: ByMonth,
    pub answered_welcome_questions: Answered,
    /// Handles, longest-standing first.
    pub never_spotlighted: Vec<String>,
    /// Display names of `never_spotlighted`, for the human and HTML forms.
    #[serde(skip)]
    pub never_spotlighted_names: Vec<String>,
    /// Members who answered no welcome question, for the human form.
    #[serde(skip)]
    pub unanswered: Vec<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct Answered {
    pub all: usize,
    pub some: usize,
    pub none: usize,
}

#[derive(Debug, Serialize)]
pub struct Spotlights {
    pub total: usize,
    pub by_month: ByMonth,
    /// Days since the newest spotlight not dated in the future; null without one.
    pub days_since_last: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Links {
    pub total: usize,
    pub by_curator: BTreeMap<String, usize>,
    pub by_month: ByMonth,
    /// From `check --external`'s cache; null when it has never run here.
    pub broken: Option<usize>,
    /// The broken curated URLs, for the human form.
    #[serde(skip)]
    pub broken_urls: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Events {
    pub upcoming: usize,
    pub past: usize,
    /// By the month each event starts.
    pub by_month: ByMonth,
    /// The next event's title and day, for the human form.
    #[serde(skip)]
    pub next: Option<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct GuidelineAge {
    pub path: String,
    pub title: String,
    pub version: Option<String>,
    pub reviewed: Option<String>,
    pub days_since_review: Option<i64>,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct ContentCounts {
    pub pages: usize,
    /// By section path without its slashes ("news", "news/2026"; "/" for the top).
    pub by_section: BTreeMap<String, usize>,
    pub by_month: ByMonth,
}

/// Loads the site and prints the report in `format`.
pub fn run(opts: &ReportOptions) -> Result<String, Diagnostics> {
    let load_opts = crate::load::LoadOptions {
        drafts: false,
        base_url: None,
        now: opts.now,
    };
    let built = crate::load_site(&opts.site, &load_opts)?;
    let cache = crate::site_fs::cache_dir(&opts.site, "").ok().map(|d| {
        crate::check::external::Cache::open(Some(d.join(crate::check::external::CACHE_FILE)))
    });
    let broken = cache.filter(|c| c.exists()).map(|c| c.broken());
    let mut report = compute(&built.site, broken.as_ref());
    report.languages = built
        .editions
        .iter()
        .map(|e| coverage(&built.site, &e.site))
        .collect();
    Ok(match opts.format {
        Format::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        Format::Human => human::render(&report),
        Format::Html => html::render(&report),
    })
}

/// What one translated edition has of the default one.
pub fn coverage(default: &Site, edition: &Site) -> Coverage {
    let lang = edition.lang.clone().unwrap_or_default();
    let own = |t: &Option<String>| t.as_deref() == Some(lang.as_str());
    let translatable = |p: &crate::model::Page| p.kind == PageKind::Page;
    let pages = Translated {
        translated: edition
            .pages
            .iter()
            .filter(|p| translatable(p) && own(&p.translation))
            .count(),
        of: default.pages.iter().filter(|p| translatable(p)).count(),
    };
    let guidelines = Translated {
        translated: edition
            .guidelines
            .iter()
            .filter(|g| own(&g.translation))
            .count(),
        of: default.guidelines.len(),
    };
    let bios = Translated {
        translated: edition
            .members
            .values()
            .filter(|m| {
                default
                    .members
                    .get(&m.handle)
                    .is_some_and(|o| o.source.path != m.source.path)
            })
            .count(),
        of: default.members.len(),
    };
    let behind = edition
        .guidelines
        .iter()
        .filter_map(|g| {
            let b = g.behind.as_ref()?;
            Some(Behind {
                path: g.source.path.to_string_lossy().replace('\\', "/"),
                title: g.title.clone(),
                follows: b.follows.clone(),
                current: b.current.clone(),
            })
        })
        .collect();
    Coverage {
        lang,
        pages,
        guidelines,
        bios,
        behind,
    }
}

/// Counts everything the report shows. `broken` is the set of URLs the last
/// `check --external` found broken, when it has run.
pub fn compute(site: &Site, broken: Option<&std::collections::BTreeSet<String>>) -> Report {
    let now = site.now;
    let questions: Vec<&str> = site
        .config
        .members
        .questions
        .iter()
        .map(|q| q.key.as_str())
        .collect();
    let mut joined_by_month = ByMonth::new();
    let mut answered = Answered::default();
    let mut unanswered = Vec::new();
    for m in site.members.values() {
        let month = m
            .meta
            .joined
            .map_or_else(|| "unknown".to_string(), |d| d.ym());
        *joined_by_month.entry(month).or_default() += 1;
        let n = questions
            .iter()
            .filter(|q| {
                m.meta
                    .answers
                    .get(**q)
                    .is_some_and(|a| !a.trim().is_empty())
            })
            .count();
        if n == 0 {
            answered.none += 1;
            unanswered.push(m.name.clone());
        } else if n == questions.len() {
            answered.all += 1;
        } else {
            answered.some += 1;
        }
    }
    let never = site.never_spotlighted();

    let spotlight_pages = site.spotlights();
    let mut spotlights_by_month = ByMonth::new();
    for &i in &spotlight_pages {
        if let Some(d) = site.pages[i].date {
            *spotlights_by_month.entry(d.ym()).or_default() += 1;
        }
    }
    let days_since_last = spotlight_pages
        .iter()
        .filter_map(|&i| site.pages[i].date)
        .filter(|d| *d <= now)
        .max()
        .map(|d| d.days_until(now));

    let mut by_curator = BTreeMap::new();
    let mut links_by_month = ByMonth::new();
    for l in &site.links {
        if let Some(c) = &l.meta.curated_by {
            *by_curator.entry(c.clone()).or_default() += 1;
        }
        *links_by_month.entry(l.meta.date.ym()).or_default() += 1;
    }
    let broken_urls: Vec<String> = match broken {
        Some(set) => site
            .links
            .iter()
            .filter(|l| set.contains(&l.meta.url))
            .map(|l| l.meta.url.clone())
            .collect(),
        None => Vec::new(),
    };

    let events = site.events();
    let (upcoming, past): (Vec<usize>, Vec<usize>) =
        events.iter().partition(|&&i| site.is_upcoming(i));
    let mut events_by_month = ByMonth::new();
    for &i in &events {
        if let Some(e) = &site.pages[i].meta.event {
            *events_by_month.entry(e.start.ym()).or_default() += 1;
        }
    }
    let next = upcoming
        .iter()
        .filter_map(|&i| site.pages[i].meta.event.as_ref().map(|e| (e.start, i)))
        .min()
        .map(|(start, i)| (site.pages[i].title.clone(), start.ymd()));

    let review_days = i64::from(site.config.guidelines.review_every_days);
    let guidelines = site
        .guidelines
        .iter()
        .map(|g| {
            let days = g.meta.reviewed.map(|r| r.days_until(now));
            GuidelineAge {
                path: g.source.path.display().to_string(),
                title: g.title.clone(),
                version: g.meta.version.as_ref().map(|v| v.0.clone()),
                reviewed: g.meta.reviewed.map(|r| r.ymd()),
                days_since_review: days,
                overdue: days.is_some_and(|d| d > review_days),
            }
        })
        .collect();

    let mut by_section = BTreeMap::new();
    let mut content_by_month = ByMonth::new();
    let mut pages = 0;
    for p in site.pages.iter().filter(|p| p.kind == PageKind::Page) {
        pages += 1;
        let section = p.section.trim_matches('/');
        let key = if section.is_empty() { "/" } else { section };
        *by_section.entry(key.to_string()).or_default() += 1;
        if let Some(d) = p.date {
            *content_by_month.entry(d.ym()).or_default() += 1;
        }
    }

    let until = now.ym();
    for map in [
        &mut joined_by_month,
        &mut spotlights_by_month,
        &mut links_by_month,
        &mut content_by_month,
    ] {
        over_time::continuous(map, &until);
    }
    over_time::continuous(&mut events_by_month, &until);
    Report {
        periods: over_time::this_and_last(site, now),
        generated: now.ymd(),
        site: site.config.title.clone(),
        members: Members {
            total: site.members.len(),
            cumulative_by_month: over_time::cumulative(&joined_by_month),
            joined_by_month,
            answered_welcome_questions: answered,
            never_spotlighted: never.iter().map(|m| m.handle.clone()).collect(),
            never_spotlighted_names: never
                .iter()
                .map(|m| format!("{} (@{})", m.name, m.handle))
                .collect(),
            unanswered,
        },
        spotlights: Spotlights {
            total: spotlight_pages.len(),
            by_month: spotlights_by_month,
            days_since_last,
        },
        links: Links {
            total: site.links.len(),
            by_curator,
            by_month: links_by_month,
            broken: broken.map(|_| broken_urls.len()),
            broken_urls,
        },
        events: Events {
            upcoming: upcoming.len(),
            past: past.len(),
            by_month: events_by_month,
            next,
        },
        guidelines,
        content: ContentCounts {
            pages,
            by_section,
            by_month: content_by_month,
        },
        languages: Vec::new(),
    }
}
