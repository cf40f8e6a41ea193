//! `hearth build`: the pipeline (pipeline.rs) with pages rendered a batch at a
//! time and every output written into a staging folder as it is made, then the
//! lists, cards and search index, then the swap. Nothing is written in place
//! unless everything succeeded.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Date;
use crate::pipeline::{load_configured, take_sorted, LoadMode, Timer};
use crate::{cards, config, load, markdown, model, output, pipeline, render, search, site_fs};

/// What `hearth build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// `-o DIR`; else site.yaml's `output`, relative to the site.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub strict: bool,
    /// The build's "now" (SOURCE_DATE_EPOCH when set), so output is reproducible.
    pub now: Date,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// All files written.
    pub files: usize,
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
    /// Cards drawn and cards taken from the cache.
    pub cards: cards::CardStats,
    /// Picture files made and taken from the cache.
    pub pictures: crate::pictures::PictureStats,
    /// The search index's records and whether it came from the cache (None: search
    /// is off).
    pub search: Option<search::SearchStats>,
    /// Things the community team may want to know (not problems): who has never
    /// been spotlighted.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub enum BuildError {
    /// The command line asked for something impossible (exit code 2).
    Usage(String),
    /// The site has errors (exit code 1); warnings are in here too.
    Site(Diagnostics),
}

/// Pages whose markdown is rendered and written per batch: enough to keep both
/// cores busy, few enough that a big site's HTML is never held whole.
const PAGES_PER_BATCH: usize = 1000;

/// Builds the site: load, render, draw cards, write. Nothing is written unless
/// everything succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let root = site_root(&opts.site)?;
    let site_config =
        load::SiteConfig::read(&root, opts.base_url.as_deref()).map_err(|e| match e {
            load::ConfigError::BaseUrl(why) => BuildError::Usage(why),
            load::ConfigError::Site(items) => BuildError::Site(Diagnostics { items }),
        })?;
    let out_dir = output_dir(&root, opts, &site_config)?;
    let load_opts = load::LoadOptions {
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        now: opts.now,
    };
    // A build renders each page once: its markdown is not needed after that.
    let mut built = load_configured(&root, &site_config, &load_opts, LoadMode::Build)
        .map_err(BuildError::Site)?;
    let mut diags = std::mem::take(&mut built.diagnostics);
    let timer = Timer::new();
    let staging =
        output::Staging::new(&out_dir, &root).map_err(|e| io_failure(&mut diags, &out_dir, e))?;
    let mut card_stats = cards::CardStats::default();
    let mut search_stats = None;
    let mut picture_stats = crate::pictures::PictureStats::default();
    let writer = Writer::new(staging, &out_dir);
    // Each output is written as soon as it is rendered.
    let sink = |o: output::Output| writer.write(std::slice::from_ref(&o));
    let deferred = std::mem::take(&mut built.deferred);
    // The search index digests each page's text while it is in memory: with the
    // batch it was rendered in, or here for pages rendered already.
    let mut search_index = (built.site.config.search.enabled && !diags.has_errors())
        .then(|| site_fs::cache_dir(&root, search::CACHE_DIR))
        .map(|dir| match dir {
            Ok(dir) => search::Index::open(Some(&dir)),
            Err(d) => {
                diags.push(d);
                search::Index::open(None)
            }
        });
    write_site_pages(
        Pages {
            site: &mut built.site,
            templates: &built.templates,
            plan: &mut built.plan,
            markdown: &built.markdown,
            folder: String::new(),
        },
        deferred,
        &writer,
        search_index.as_mut().map(|index| (index, 0)),
        &mut diags,
    );
    timer.lap("pages");
    // The site's other languages: each edition's pages, written in its folder,
    // its lists showing the default edition's texts of the originals it has no
    // translation of.
    for (k, e) in built.editions.iter_mut().enumerate() {
        e.site.borrow_texts(&built.site);
        let folder = e.folder();
        let deferred = std::mem::take(&mut e.deferred);
        write_site_pages(
            Pages {
                site: &mut e.site,
                templates: &e.templates,
                plan: &mut e.plan,
                markdown: &built.markdown,
                folder,
            },
            deferred,
            &writer,
            search_index.as_mut().map(|index| (index, k + 1)),
            &mut diags,
        );
    }
    if !built.editions.is_empty() {
        timer.lap("the other languages' pages");
    }
    // Save the highlight cache beside the rest (it is only needed by the next
    // build), then let it go: nothing highlights after this.
    let caches = built.markdown.caches();
    let saving = std::thread::spawn(move || caches.save());
    std::thread::scope(|scope| {
        // Every record is digested by now: the index is encoded beside the lists
        // and cards. A build that has failed already (a clash among the pages
        // written) encodes none.
        let searching = search_index
            .take()
            .filter(|_| !diags.has_errors())
            .map(|mut index| scope.spawn(move || index.finish()));
        // The card cache's folder is read (10,000 names and the stamps list) while
        // the lists render.
        let card_cache = (!diags.has_errors() && !built.plan.jobs.is_empty()).then(|| {
            let root = &root;
            scope.spawn(move || {
                site_fs::cache_dir(root, cards::CACHE_DIR)
                    .map(|dir| crate::output::FileCache::open(&dir))
            })
        });
        if !diags.has_errors() {
            let rest = render::Selection {
                pages: render::Pages::These(Vec::new()),
                lists: render::Lists::All,
                feeds: true,
                extras: true,
            };
            // The list entries are made as each list is rendered.
            let (outputs, found_here) = render::select_into(
                &built.site,
                &built.templates,
                &built.plan,
                &rest,
                None,
                Some(&sink),
            );
            diags.extend(found_here);
            writer.wrote(outputs, &mut diags);
            for e in &built.editions {
                let folder = e.folder();
                let sink = |o: output::Output| {
                    writer.write(&pipeline::in_folder(&folder, vec![o]));
                };
                let (outputs, found_here) =
                    render::select_into(&e.site, &e.templates, &e.plan, &rest, None, Some(&sink));
                diags.extend(found_here);
                writer.wrote(pipeline::in_folder(&folder, outputs), &mut diags);
            }
        }
        timer.lap("lists, feeds and files");
        if let Some(opening) = card_cache.filter(|_| !diags.has_errors()) {
            let cache = match opening.join() {
                Ok(Ok(cache)) => Some(cache),
                Ok(Err(d)) => {
                    diags.push(d);
                    None
                }
                Err(_) => None,
            };
            let (mut card_outputs, mut stats, mut found) = cards::render(
                &cards::CardSite::of(&built.site),
                &built.templates,
                &built.plan,
                &built.fonts,
                cache.as_ref(),
            );
            // The editions' cards are drawn with the same cache, saved once.
            for e in &built.editions {
                let (more, their_stats, their_found) = cards::render(
                    &cards::CardSite::of(&e.site),
                    &e.templates,
                    &e.plan,
                    &e.fonts,
                    cache.as_ref(),
                );
                card_outputs.extend(more);
                stats.add(their_stats);
                found.extend(their_found);
            }
            // Saved beside the writing; the scope waits for it.
            if let Some(cache) = cache {
                scope.spawn(move || cache.save());
            }
            diags.extend(found);
            card_stats = stats;
            timer.lap("cards found or drawn");
            writer.wrote(card_outputs, &mut diags);
            timer.lap("cards written");
        }
        // The pictures (SPEC §6): originals stripped, variants and crops, from
        // the cache or encoded now, a picture per worker.
        if !diags.has_errors() && !built.site.pictures.list.is_empty() {
            let cache = match site_fs::cache_dir(&root, crate::pictures::CACHE_DIR) {
                Ok(dir) => Some(crate::output::FileCache::open(&dir)),
                Err(d) => {
                    diags.push(d);
                    None
                }
            };
            let resized = built.asked_pictures();
            let (outputs, found, stats) =
                crate::pictures::publish(&built.site.pictures, &resized, &root, cache.as_ref());
            if let Some(cache) = cache {
                scope.spawn(move || cache.save());
            }
            diags.extend(found);
            picture_stats = stats;
            timer.lap("pictures found or made");
            writer.wrote(outputs, &mut diags);
            timer.lap("pictures written");
        }
        if let Some(job) = searching {
            match job.join() {
                Ok(Ok((outputs, stats))) => {
                    search_stats = Some(stats);
                    if !diags.has_errors() {
                        writer.wrote(outputs, &mut diags);
                    }
                }
                Ok(Err(d)) => diags.push(d),
                Err(_) => diags.push(Diagnostic::error(Code::Search, "the search index failed")),
            }
            timer.lap("search index");
        }
    });
    let _ = saving.join();
    let Writer {
        staging,
        files,
        html,
        ..
    } = writer;
    let (files, html) = (files.into_inner(), html.into_inner());
    if opts.strict {
        diags.promote_warnings();
    }
    if diags.has_errors() {
        staging.abandon();
        return Err(BuildError::Site(take_sorted(&mut diags)));
    }
    let notices = staging
        .commit()
        .map_err(|e| io_failure(&mut diags, &out_dir, e))?;
    timer.lap("swap");
    // Said after `--strict` is applied: the site is fine, and the output is in place.
    for notice in notices {
        diags.push(Diagnostic::warning(Code::Output, notice));
    }
    diags.sort();
    let notes = community_notes(&built.site);
    // Freeing a big site's model takes tens of milliseconds that nobody waits for:
    // a thread does it, and the command's process exits without waiting for it.
    std::thread::spawn(move || drop(built));
    Ok(BuildReport {
        notes,
        cards: card_stats,
        pictures: picture_stats,
        search: search_stats,
        pages: html,
        files,
        output: out_dir,
        diagnostics: diags,
        elapsed: started.elapsed(),
    })
}

/// Writes outputs into the staging folder as they are made, from any thread,
/// counting them; what it could not write waits as diagnostics for the next
/// [`Writer::wrote`].
struct Writer<'a> {
    staging: output::Staging,
    out_dir: &'a Path,
    files: AtomicUsize,
    html: AtomicUsize,
    found: Mutex<Vec<Diagnostic>>,
}

impl<'a> Writer<'a> {
    fn new(staging: output::Staging, out_dir: &'a Path) -> Self {
        Writer {
            staging,
            out_dir,
            files: AtomicUsize::new(0),
            html: AtomicUsize::new(0),
            found: Mutex::new(Vec::new()),
        }
    }

    /// Writes `outputs`; a problem is kept for [`Writer::wrote`] (a sink cannot
    /// return one).
    fn write(&self, outputs: &[output::Output]) {
        self.html.fetch_add(
            outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
            Relaxed,
        );
        self.files.fetch_add(outputs.len(), Relaxed);
        let problems = match self.staging.write(outputs) {
            Ok(()) => return,
            Err(output::StagingError::Site(ds)) => ds,
            Err(output::StagingError::Io(e)) => vec![Diagnostic::error(
                Code::Io,
                format!("could not write {}: {e}", self.out_dir.display()),
            )],
        };
        if let Ok(mut found) = self.found.lock() {
            found.extend(problems);
        }
    }

    /// Writes `outputs` and moves every problem met so far into `diags`.
    fn wrote(&self, outputs: Vec<output::Output>, diags: &mut Diagnostics) {
        self.write(&outputs);
        if let Ok(mut found) = self.found.lock() {
            diags.extend(std::mem::take(&mut *found));
        }
    }
}

/// One edition's pages to write: the default language's (folder "") or a
/// translated edition's ("fr/").
struct Pages<'a> {
    site: &'a mut model::Site,
    templates: &'a crate::theme::Templates,
    plan: &'a mut cards::CardPlan,
    markdown: &'a markdown::Environment,
    folder: String,
}

/// Writes an edition's pages: those rendered already from the model, the rest
/// (`deferred`) a batch at a time: markdown, then the pages written, then their
/// HTML let go (lists show summaries; the feeds' pages keep theirs), so no more
/// than one batch's HTML is ever held. A page's card and share links need only
/// its own text; the card plan is made again after with every lead. Each page's
/// search record is digested while its text is in memory, slotted apart by the
/// edition's number.
fn write_site_pages(
    p: Pages,
    deferred: Vec<usize>,
    writer: &Writer,
    mut search: Option<(&mut search::Index, usize)>,
    diags: &mut Diagnostics,
) {
    let Pages {
        site,
        templates,
        plan,
        markdown,
        folder,
    } = p;
    let sink = |o: output::Output| writer.write(&pipeline::in_folder(&folder, vec![o]));
    let slotted = search::in_edition;
    if let Some((index, k)) = &mut search {
        let waiting: std::collections::HashSet<usize> = deferred.iter().copied().collect();
        let ready: Vec<usize> = (0..site.pages.len())
            .filter(|i| !waiting.contains(i))
            .collect();
        index.add(slotted(search::page_records(site, &ready), *k));
        index.add(slotted(search::other_records(site), *k));
    }
    let write = |site: &model::Site, plan: &cards::CardPlan, pages, diags: &mut Diagnostics| {
        let selection = render::Selection {
            pages,
            lists: render::Lists::None,
            feeds: false,
            extras: false,
        };
        let (outputs, found) =
            render::select_into(site, templates, plan, &selection, None, Some(&sink));
        diags.extend(found);
        writer.wrote(pipeline::in_folder(&folder, outputs), diags);
    };
    if deferred.is_empty() {
        write(site, plan, render::Pages::All, diags);
        return;
    }
    let in_feeds = render::feeds::feed_pages(site);
    for batch in deferred.chunks(PAGES_PER_BATCH) {
        let (found_here, _) = markdown::stage::render_pages(
            site,
            markdown,
            None,
            markdown::stage::Bodies::Drop,
            batch,
        );
        diags.extend(found_here);
        // After an error the markdown is still rendered, for its problems.
        if !diags.has_errors() {
            if let Some((index, k)) = &mut search {
                index.add(slotted(search::page_records(site, batch), *k));
            }
            write(site, plan, render::Pages::These(batch.to_vec()), diags);
        }
        for &i in batch.iter().filter(|i| !in_feeds.contains(i)) {
            site.pages[i].content.html = String::new();
        }
    }
    site.mentions = markdown::stage::mentions_index(&site.pages);
    *plan = cards::plan(site, &cards::CardWords::new(&templates.words));
}

fn io_failure(diags: &mut Diagnostics, out_dir: &Path, e: std::io::Error) -> BuildError {
    diags.push(Diagnostic::error(
        Code::Io,
        format!("could not write {}: {e}", out_dir.display()),
    ));
    BuildError::Site(take_sorted(diags))
}

/// How many names a note lists before "and N more".
const NOTE_NAMES: usize = 8;

pub fn community_notes(site: &model::Site) -> Vec<String> {
    let never = site.never_spotlighted();
    if never.is_empty() || site.members.is_empty() {
        return Vec::new();
    }
    let mut names: Vec<String> = never
        .iter()
        .take(NOTE_NAMES)
        .map(|m| match m.meta.joined {
            Some(j) => format!("{} (@{}, joined {})", m.name, m.handle, j.ymd()),
            None => format!("{} (@{})", m.name, m.handle),
        })
        .collect();
    if never.len() > NOTE_NAMES {
        names.push(format!("and {} more", never.len() - NOTE_NAMES));
    }
    vec![format!(
        "{} of {} members have never been spotlighted, longest-standing first: {}",
        never.len(),
        site.members.len(),
        names.join(", ")
    )]
}

fn site_root(site: &Path) -> Result<PathBuf, BuildError> {
    if !site.is_dir() {
        return Err(BuildError::Usage(format!(
            "{} is not a folder",
            site.display()
        )));
    }
    Ok(site.to_path_buf())
}

/// The output folder, checked: from `-o` a refusal is a command-line error, from
/// site.yaml it is a site error at the `output:` line.
fn output_dir(
    root: &Path,
    opts: &BuildOptions,
    site_config: &load::SiteConfig,
) -> Result<PathBuf, BuildError> {
    if let Some(o) = &opts.output {
        return output::check_target(root, o)
            .map_err(|why| BuildError::Usage(format!("-o {}: {why}", o.display())));
    }
    let source = &site_config.source;
    output::check_target(root, &root.join(&site_config.config.output)).map_err(|why| {
        let span = config::key_span(&source.text, "output");
        BuildError::Site(Diagnostics {
            items: vec![Diagnostic::error(Code::Config, why)
                .at(source, span)
                .with_help("choose a folder such as `output: public`")],
        })
    })
}

/// The build's "now": SOURCE_DATE_EPOCH (seconds) when set, else the clock.
pub fn now_from_env() -> Result<Date, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => {
            let secs: i64 = s
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH={s} is not a number of seconds"))?;
            let ts = jiff::Timestamp::from_second(secs)
                .map_err(|e| format!("SOURCE_DATE_EPOCH={s}: {e}"))?;
            Ok(Date::from_timestamp(ts))
        }
        _ => Ok(Date::from_timestamp(jiff::Timestamp::now())),
    }
}
