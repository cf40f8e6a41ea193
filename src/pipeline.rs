//! The pipeline up to rendering, shared by every command: site.yaml read once,
//! `load`, the `markdown` stage, the theme's templates and the card plan
//! ([`load_site`]); [`prepare`] renders the whole site in memory on top (`serve`,
//! `check`). `build` (build.rs) renders and writes in batches instead.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::Diagnostics;
use crate::{cards, diagnostics, load, markdown, model, output, render, theme};

/// Everything a build produced, kept in memory: `build` writes it out, `serve` keeps
/// it to re-render only what an edit touches.
pub struct Built {
    pub root: PathBuf,
    pub site: model::Site,
    /// site.yaml's text, for errors at its keys (the parsed config is `site.config`).
    pub config_source: diagnostics::SourceText,
    /// What the markdown was rendered with and against (link index, caches,
    /// sanitizer).
    pub markdown: markdown::Environment,
    /// Shared, so `serve` can draw a card with them and no lock held.
    pub templates: std::sync::Arc<theme::Templates>,
    pub plan: cards::CardPlan,
    pub fonts: std::sync::Arc<cards::raster::Fonts>,
    /// Pages, lists, feeds and files (cards are separate: `serve` draws them lazily).
    pub outputs: Vec<output::Output>,
    /// Indices of the pages whose markdown this load rendered; the others kept the
    /// text of the earlier build they were loaded against (`serve`).
    pub rendered: Vec<usize>,
    /// Pages whose markdown is still to be rendered (a build renders them batch by
    /// batch, each batch written before the next is made).
    pub deferred: Vec<usize>,
    pub diagnostics: Diagnostics,
    /// The site in each of its other languages (SPEC §5), each with its own
    /// templates (the theme's words in that language) and cards.
    pub editions: Vec<Edition>,
}

/// The site in one language of `languages`, published under /CODE/ (its
/// outputs' paths are within that folder: [`Edition::folder`]).
pub struct Edition {
    pub site: model::Site,
    pub templates: std::sync::Arc<theme::Templates>,
    pub plan: cards::CardPlan,
    pub fonts: std::sync::Arc<cards::raster::Fonts>,
    /// As [`Built::deferred`], for this edition's own pages.
    pub deferred: Vec<usize>,
}

impl Edition {
    /// The folder of the output its outputs go in ("fr/").
    pub fn folder(&self) -> String {
        format!("{}/", self.site.lang.as_deref().unwrap_or_default())
    }
}

impl Built {
    /// What every language's templates asked for with `resize_image` so far,
    /// each output once (build makes them, check counts them as published,
    /// serve makes one on request).
    pub fn asked_pictures(&self) -> Vec<model::picture::Resized> {
        let mut asked: Vec<model::picture::Resized> = std::iter::once(&self.templates)
            .chain(self.editions.iter().map(|e| &e.templates))
            .flat_map(|t| t.asked_pictures())
            .collect();
        asked.sort_by(|a, b| a.made.dest.cmp(&b.made.dest));
        asked.dedup_by(|a, b| a.made.dest == b.made.dest);
        asked
    }
}

/// Puts an edition's outputs in its folder ("news/index.html" →
/// "fr/news/index.html").
pub fn in_folder(folder: &str, mut outputs: Vec<output::Output>) -> Vec<output::Output> {
    for o in &mut outputs {
        o.path.insert_str(0, folder);
    }
    outputs
}

/// What a load is for, which decides what it keeps and what it leaves undone.
#[derive(Clone, Copy)]
pub enum LoadMode<'a> {
    /// `hearth build`: pages other than sections are left for the build to render
    /// a batch at a time ([`Built::deferred`]), each page's markdown let go once it
    /// is rendered.
    Build,
    /// `serve`'s first load, `check`, `report`: every text rendered, markdown kept.
    Serve,
    /// `serve` after pages appeared, moved or went: a page that the earlier build
    /// rendered and that would render alike keeps its text.
    Reload(&'a Built),
}

/// Loads a site and its templates and plans its cards: everything but rendering.
/// site.yaml is read here, once (`build` reads it first itself and calls
/// [`load_configured`]).
pub fn load_site(root: &Path, load_opts: &load::LoadOptions) -> Result<Built, Diagnostics> {
    let site_config =
        load::SiteConfig::read(root, load_opts.base_url.as_deref()).map_err(|e| Diagnostics {
            items: e.into_diagnostics(),
        })?;
    load_configured(root, &site_config, load_opts, LoadMode::Serve)
}

/// [`load_site`] with site.yaml already read; `mode` says what the load is for.
/// Pages left for the caller ([`LoadMode::Build`]) are rendered here after all when
/// loading found errors, so that one build reports every problem.
pub fn load_configured(
    root: &Path,
    site_config: &load::SiteConfig,
    load_opts: &load::LoadOptions,
    mode: LoadMode,
) -> Result<Built, Diagnostics> {
    let (earlier, bodies, defer_pages) = match mode {
        LoadMode::Build => (None, markdown::stage::Bodies::Drop, true),
        LoadMode::Serve => (None, markdown::stage::Bodies::Keep, false),
        LoadMode::Reload(earlier) => (Some(earlier), markdown::stage::Bodies::Keep, false),
    };
    let mut diags = Diagnostics::default();
    let timer = Timer::new();
    let (loaded, found) = load::site(root, site_config, load_opts);
    timer.lap("load");
    diags.extend(found);
    let Some(load::Loaded {
        mut site,
        markdown,
        editions,
    }) = loaded
    else {
        return Err(take_sorted(&mut diags));
    };
    // Markdown is its own stage; it runs even when loading found errors, so one
    // build reports the broken links too.
    let earlier = earlier.map(|b| markdown::stage::Earlier::new(&b.site, &b.markdown));
    let deferred: Vec<usize> = if defer_pages && !diags.has_errors() {
        (0..site.pages.len())
            .filter(|&i| site.pages[i].kind == model::page::PageKind::Page)
            .collect()
    } else {
        Vec::new()
    };
    let (found, rendered) =
        markdown::stage::render_site(&mut site, &markdown, earlier.as_ref(), bodies, &deferred);
    diags.extend(found);
    // Each edition renders its own texts; the originals it falls back to keep the
    // default edition's (borrowed now, or by `build` once its batches are done).
    let editions: Vec<(model::Site, Vec<usize>)> = editions
        .into_iter()
        .map(|mut e| {
            let own: Vec<usize> = (0..e.pages.len())
                .filter(|&i| e.renders(i) && e.pages[i].kind == model::page::PageKind::Page)
                .collect();
            let later: Vec<usize> = match defer_pages && !diags.has_errors() {
                true => own,
                false => Vec::new(),
            };
            let mut skip: Vec<usize> = e.borrowed.iter().map(|&(here, _)| here).collect();
            skip.extend(&later);
            if later.is_empty() {
                e.borrow_texts(&site);
            }
            let (found, _) = markdown::stage::render_site(&mut e, &markdown, None, bodies, &skip);
            diags.extend(found);
            (e, later)
        })
        .collect();
    timer.lap("markdown");
    // The templates are loaded even when the texts have problems, so one build
    // reports both.
    let templates = match theme::Templates::load(&site, Some(&site_config.source)) {
        Ok(mut t) => {
            diags.extend(std::mem::take(&mut t.warnings));
            Some(t)
        }
        Err(ds) => {
            diags.extend(ds);
            None
        }
    };
    let mut editions: Vec<Edition> = editions
        .into_iter()
        .filter_map(|(site, deferred)| {
            match theme::Templates::load(&site, Some(&site_config.source)) {
                Ok(mut t) => {
                    diags.extend(std::mem::take(&mut t.warnings));
                    let plan = cards::plan(&site, &cards::CardWords::new(&t.words));
                    let fonts = cards::raster::Fonts::for_plan(&plan, || t.card_fonts());
                    Some(Edition {
                        site,
                        templates: t.into(),
                        plan,
                        fonts: fonts.into(),
                        deferred,
                    })
                }
                Err(ds) => {
                    diags.extend(ds);
                    None
                }
            }
        })
        .collect();
    let Some(templates) = templates.filter(|_| !diags.has_errors()) else {
        // The pages left for later are rendered now, for their problems.
        let (found, _) =
            markdown::stage::render_pages(&mut site, &markdown, None, bodies, &deferred);
        diags.extend(found);
        for e in &mut editions {
            let (found, _) =
                markdown::stage::render_pages(&mut e.site, &markdown, None, bodies, &e.deferred);
            diags.extend(found);
        }
        return Err(take_sorted(&mut diags));
    };
    let plan = cards::plan(&site, &cards::CardWords::new(&templates.words));
    let fonts = cards::raster::Fonts::for_plan(&plan, || templates.card_fonts());
    timer.lap("templates and card plan");
    if !editions.is_empty() {
        set_languages(&mut site, &templates, &plan, &mut editions);
        timer.lap("languages");
    }
    Ok(Built {
        root: root.to_path_buf(),
        site,
        config_source: site_config.source.clone(),
        markdown,
        templates: templates.into(),
        plan,
        fonts: fonts.into(),
        outputs: Vec::new(),
        rendered,
        deferred,
        diagnostics: diags,
        editions,
    })
}

/// Tells every edition where each of its outputs exists in the others (its
/// `hreflang` alternates and switcher).
pub fn set_languages(
    site: &mut model::Site,
    templates: &theme::Templates,
    plan: &cards::CardPlan,
    editions: &mut [Edition],
) {
    let languages = {
        let mut refs = vec![render::EditionRef {
            site,
            templates,
            cards: plan,
        }];
        refs.extend(editions.iter().map(|e| render::EditionRef {
            site: &e.site,
            templates: &e.templates,
            cards: &e.plan,
        }));
        std::sync::Arc::new(render::languages(&refs))
    };
    site.languages = Some(languages.clone());
    for e in editions {
        e.site.languages = Some(languages.clone());
    }
}

/// Loads and renders a whole site in memory (no cards, nothing written): `serve`.
pub fn prepare(root: &Path, load_opts: &load::LoadOptions) -> Result<Built, Diagnostics> {
    let mut built = load_site(root, load_opts)?;
    let (mut outputs, found) = render::whole_site(&built.site, &built.templates, &built.plan);
    built.diagnostics.extend(found);
    for e in &built.editions {
        let (more, found) = render::whole_site(&e.site, &e.templates, &e.plan);
        built.diagnostics.extend(found);
        outputs.extend(in_folder(&e.folder(), more));
    }
    if built.diagnostics.has_errors() {
        return Err(take_sorted(&mut built.diagnostics));
    }
    built.outputs = outputs;
    Ok(built)
}

/// Prints how long each stage took when `HEARTH_TIMINGS` is set: for profiling
/// big sites without a profiler.
pub(crate) struct Timer {
    on: bool,
    last: std::cell::Cell<Instant>,
}

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer {
            on: std::env::var_os("HEARTH_TIMINGS").is_some(),
            last: std::cell::Cell::new(Instant::now()),
        }
    }

    pub(crate) fn lap(&self, stage: &str) {
        if self.on {
            let now = Instant::now();
            // The peak so far (Linux only): where memory peaks is as useful as where
            // time goes.
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
                    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                    Some(format!(", peak RSS {} MiB", kb / 1024))
                })
                .unwrap_or_default();
            eprintln!(
                "timing: {stage} {} ms{peak}",
                (now - self.last.get()).as_millis()
            );
            self.last.set(now);
        }
    }
}

pub(crate) fn take_sorted(diags: &mut Diagnostics) -> Diagnostics {
    diags.sort();
    std::mem::take(diags)
}
