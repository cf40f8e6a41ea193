//! The site as `serve` holds it: the last good build in memory, and the rebuild that
//! an edit needs (one page, every page's template, a static file, or everything).

use super::asked::{CardToDraw, DrawnCard, PictureToMake};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, LoadOptions};
use crate::model::url::Lang;
use crate::output::{Body, Output};
use crate::render::{self, Lists, Pages, Selection};
use crate::{cards, prepare, Built};

use super::watch::Rebuild;

/// The served site: files by output path, and the problem of the last rebuild.
pub struct Live {
    pub root: PathBuf,
    pub options: LoadOptions,
    /// The last good build; none while the site has never built. Set through
    /// [`Live::keep`], which indexes its pages by source.
    pub built: Option<Built>,
    /// Each page's index in `built` by its source file (site-relative): every
    /// batch of file events asks whether a path is a page, and scanning 10,000
    /// paths for it took milliseconds before an edit's reload.
    sources: HashMap<PathBuf, usize>,
    pub files: HashMap<String, Body>,
    /// Every page's list entry, kept so an edit re-renders lists without rebuilding
    /// ten thousand of them.
    refs: Vec<tera::Value>,
    /// The rendered diagnostics of the last failed rebuild; the last good site is
    /// still served underneath.
    pub problem: Option<String>,
    /// The search index's files, kept apart from the rebuilds that replace `files`:
    /// the index follows a rebuild a moment later (`serve::indexer`), and until then
    /// the last one stays served.
    search: HashMap<String, Body>,
}

/// What a rebuild did, for its one-line report.
pub struct Report {
    pub what: String,
    pub millis: u128,
}

/// An edit to pages whose own files are served already, its lists still to make
/// ([`Live::edit_first`]).
pub struct Edit {
    /// What the edit changed (the planner's word).
    plan: render::EditPlan,
    /// The files the pages replaced, put back if the lists fail.
    earlier: Vec<(String, Option<Body>)>,
}

impl Edit {
    /// The pages edited, by their place in the site.
    pub fn indices(&self) -> &[usize] {
        &self.plan.pages
    }

    /// The output paths of the pages served by the first half.
    pub fn served(&self) -> Vec<String> {
        self.earlier.iter().map(|(path, _)| path.clone()).collect()
    }
}

/// Renders diagnostics as plain text for the terminal and the browser overlay.
pub fn describe(diags: &Diagnostics) -> String {
    diags
        .items
        .iter()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file_map(outputs: Vec<Output>) -> HashMap<String, Body> {
    outputs.into_iter().map(|o| (o.path, o.body)).collect()
}

impl Live {
    /// The first build. A site with errors still starts: it serves the overlay
    /// until an edit fixes it.
    pub fn start(root: &Path, options: LoadOptions) -> Live {
        let mut live = Live {
            root: root.to_path_buf(),
            options,
            built: None,
            sources: HashMap::new(),
            files: HashMap::new(),
            refs: Vec::new(),
            problem: None,
            search: HashMap::new(),
        };
        if let Err(diags) = live.full() {
            live.problem = Some(describe(&diags));
        }
        live
    }

    pub fn is_page(&self, path: &Path) -> bool {
        self.page_of(path).is_some()
    }

    /// The index of the page whose source is `path`.
    fn page_of(&self, path: &Path) -> Option<usize> {
        let rel = crate::load::source::display_path(&self.root, path);
        self.sources.get(&rel).copied()
    }

    /// Keeps a build as the one served. Its pages' sources never change after
    /// this: an edit replaces a page only by one from the same file.
    fn keep(&mut self, built: Built) {
        self.sources = built
            .site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.path.clone(), i))
            .collect();
        self.built = Some(built);
    }

    /// Applies a rebuild plan. On failure the last good files stay.
    pub fn apply(&mut self, plan: &Rebuild) -> Result<Report, Diagnostics> {
        let started = Instant::now();
        // A site in several languages is loaded again whole after any edit: an
        // edit to one page can change what each edition lists and links.
        let languages = self.built.as_ref().is_some_and(|b| !b.editions.is_empty());
        let what = if plan.full || languages || self.built.is_none() {
            self.full()?;
            "everything".to_string()
        } else {
            let mut done = Vec::new();
            if plan.structure {
                done.push(self.structure(plan.templates)?);
            } else if plan.templates {
                self.templates()?;
                done.push("every page (templates changed)".to_string());
            } else if !plan.pages.is_empty() {
                done.push(self.pages(&plan.pages)?);
            }
            if !plan.static_files.is_empty() {
                done.push(self.static_files(&plan.static_files));
            }
            done.join(", ")
        };
        self.problem = None;
        self.keep_search();
        Ok(Report {
            what,
            millis: started.elapsed().as_millis(),
        })
    }

    /// Serves a new search index in place of the last one.
    pub fn set_search(&mut self, outputs: Vec<Output>) {
        for key in self.search.keys() {
            self.files.remove(key);
        }
        self.search = file_map(outputs);
        self.keep_search();
    }

    /// Puts the search index back after a rebuild replaced the files; what the
    /// rebuild made itself wins. Runs after every edit, so a file already served
    /// costs a lookup, not a copy of its name.
    fn keep_search(&mut self) {
        for (key, body) in &self.search {
            if !self.files.contains_key(key) {
                self.files.insert(key.clone(), body.clone());
            }
        }
    }

    fn full(&mut self) -> Result<(), Diagnostics> {
        let mut built = prepare(&self.root, &self.options)?;
        built.markdown.caches().save();
        self.files = file_map(std::mem::take(&mut built.outputs));
        self.refs = render::context::page_refs(&built.site);
        self.keep(built);
        Ok(())
    }

    /// Templates changed: load them again and re-render with the markdown already in
    /// memory.
    fn templates(&mut self) -> Result<(), Diagnostics> {
        let Some(built) = self.built.as_mut() else {
            return self.full();
        };
        let templates = crate::theme::Templates::load(&built.site, Some(&built.config_source))
            .map_err(|items| Diagnostics { items })?;
        let (outputs, problems) = render::whole_site(&built.site, &templates, &built.plan);
        fail_on_errors(problems)?;
        built.templates = templates.into();
        built.fonts =
            cards::raster::Fonts::for_plan(&built.plan, || built.templates.card_fonts()).into();
        self.files = file_map(outputs);
        Ok(())
    }

    /// Edited pages: re-read just them; re-render the lists too only when what lists
    /// show of them changed.
    fn pages(&mut self, paths: &[PathBuf]) -> Result<String, Diagnostics> {
        match self.edit_pages(paths)? {
            Some(report) => Ok(report),
            None => self.structure(false),
        }
    }

    /// Pages appeared, disappeared or moved: read the sources again, keeping the
    /// rendered markdown (and the served page) of every page whose file and link
    /// targets are unchanged; render the rest, every list and feed. Every page is
    /// rendered again only when what all pages show changed (`site_value`) or the
    /// templates did.
    fn structure(&mut self, templates: bool) -> Result<String, Diagnostics> {
        let Some(old) = self.built.as_ref() else {
            self.full()?;
            return Ok("everything".into());
        };
        let site_config = load::SiteConfig::read(&self.root, self.options.base_url.as_deref())
            .map_err(|e| Diagnostics {
                items: e.into_diagnostics(),
            })?;
        let mut built = crate::load_configured(
            &self.root,
            &site_config,
            &self.options,
            crate::LoadMode::Reload(old),
        )?;
        built.markdown.caches().save();
        let site = &built.site;
        let every_page = templates
            || render::site_value(site, &built.plan) != render::site_value(&old.site, &old.plan);
        let old_refs: HashMap<&Path, &tera::Value> = old
            .site
            .pages
            .iter()
            .map(|p| p.source.path.as_path())
            .zip(&self.refs)
            .collect();
        let mut fresh = vec![every_page; site.pages.len()];
        for &i in &built.rendered {
            fresh[i] = true;
        }
        // A page's head carries its card's text (a section's new title changes it).
        for (i, p) in site.pages.iter().enumerate() {
            fresh[i] |= built.plan.for_path(&p.path) != old.plan.for_path(&p.path);
        }
        let refs: Vec<tera::Value> = site
            .pages
            .iter()
            .zip(&fresh)
            .map(|(p, &fresh)| match old_refs.get(p.source.path.as_path()) {
                Some(&r) if !fresh => r.clone(),
                _ => render::context::page_ref_value(site, p),
            })
            .collect();
        let chosen: Vec<usize> = (0..site.pages.len()).filter(|&i| fresh[i]).collect();
        let selection = Selection {
            pages: Pages::These(chosen.clone()),
            lists: Lists::All,
            feeds: true,
            extras: true,
        };
        let (outputs, problems) =
            render::select(site, &built.templates, &built.plan, &selection, Some(&refs));
        fail_on_errors(problems)?;
        // The kept pages' files, then everything rendered now; whatever else the
        // old map held (pages gone, lists no longer made, cards) is dropped. Cards
        // are drawn again on request, from the card cache.
        let mut files: HashMap<String, Body> = HashMap::with_capacity(self.files.len());
        for (p, _) in site.pages.iter().zip(&fresh).filter(|(_, &f)| !f) {
            let key = render::index_file(&p.path);
            if p.kind == crate::model::PageKind::Page {
                if let Some(body) = self.files.get(&key) {
                    files.insert(key, body.clone());
                }
            }
        }
        let rendered_pages = chosen.len();
        let n = outputs.len();
        for o in outputs {
            if files.insert(o.path.clone(), o.body).is_some() {
                // A new list claims a kept page's URL: let the whole build say so.
                self.full()?;
                return Ok("everything".into());
            }
        }
        self.files = files;
        self.refs = refs;
        self.keep(built);
        Ok(format!(
            "{rendered_pages} page(s) and {} other files (pages appeared or moved; {} kept)",
            n.saturating_sub(rendered_pages),
            self.refs.len() - rendered_pages
        ))
    }

    /// `Ok(None)` when the edit needs a full rebuild after all.
    fn edit_pages(&mut self, paths: &[PathBuf]) -> Result<Option<String>, Diagnostics> {
        let Some(edit) = self.edit_first(paths)? else {
            return Ok(None);
        };
        let lists = self.render_lists(&edit);
        self.finish_edit(edit, lists).map(|(what, _)| Some(what))
    }

    /// The first half of an edit to pages already served: the model takes the new
    /// pages and their own HTML is served at once, so the tab showing one can reload
    /// while the lists that show them are made ([`Live::render_lists`], under a read
    /// lock). `Ok(None)` when the edit needs a full rebuild after all.
    pub fn edit_first(&mut self, paths: &[PathBuf]) -> Result<Option<Edit>, Diagnostics> {
        let mut at = Vec::with_capacity(paths.len());
        for path in paths {
            let Some(i) = self.page_of(path) else {
                return Ok(None);
            };
            at.push((i, path));
        }
        let Some(built) = self.built.as_mut().filter(|b| b.editions.is_empty()) else {
            return Ok(None);
        };
        let mut edited = Vec::with_capacity(at.len());
        for (i, path) in at {
            let old = &built.site.pages[i];
            let page = load::reload_page(&self.root, path, old.kind, &built.markdown, &built.site)
                .map_err(|items| Diagnostics { items })?;
            edited.push((i, page));
        }
        let Some(plan) = render::edit_pages(&mut built.site, edited) else {
            return Ok(None);
        };
        for &i in &plan.pages {
            let page = &built.site.pages[i];
            built.plan.update(
                cards::page_card(
                    &built.site,
                    page,
                    &cards::CardWords::new(&built.templates.words),
                ),
                &page.path,
            );
            if let Some(r) = self.refs.get_mut(i) {
                *r = render::context::page_ref_value(&built.site, page);
            }
        }
        let selection = Selection {
            pages: Pages::These(plan.pages.clone()),
            feeds: false,
            extras: false,
            lists: Lists::None,
        };
        let outputs = render_kept(built, &self.refs, &selection)?;
        let mut earlier = Vec::with_capacity(outputs.len());
        for o in outputs {
            earlier.push((o.path.clone(), self.files.insert(o.path, o.body)));
        }
        self.problem = None;
        Ok(Some(Edit { plan, earlier }))
    }

    /// The second half of an edit: the lists, feeds and sitemap that show the
    /// edited pages. Reads the model only, so pages are served meanwhile.
    pub fn render_lists(&self, edit: &Edit) -> Result<Vec<Output>, Diagnostics> {
        let Some(built) = self.built.as_ref() else {
            return Ok(Vec::new());
        };
        let selection = Selection {
            pages: Pages::These(Vec::new()),
            feeds: true,
            extras: false,
            lists: edit.plan.lists(),
        };
        render_kept(built, &self.refs, &selection)
    }

    /// Serves what [`Live::render_lists`] made and returns the report and the paths
    /// of the files it replaced. When the lists failed, the edited pages' earlier
    /// files are put back: the last good site stays served whole.
    pub fn finish_edit(
        &mut self,
        edit: Edit,
        lists: Result<Vec<Output>, Diagnostics>,
    ) -> Result<(String, Vec<String>), Diagnostics> {
        let outputs = match lists {
            Ok(outputs) => outputs,
            Err(diags) => {
                for (path, body) in edit.earlier {
                    match body {
                        Some(body) => self.files.insert(path, body),
                        None => self.files.remove(&path),
                    };
                }
                return Err(diags);
            }
        };
        let pages = edit.plan.pages.len();
        let n = edit.earlier.len() + outputs.len();
        let mut paths = Vec::with_capacity(outputs.len());
        for o in outputs {
            paths.push(o.path.clone());
            self.files.insert(o.path, o.body);
        }
        if let Some(built) = self.built.as_ref() {
            for &i in &edit.plan.pages {
                self.files.remove(&crate::model::url::card_output(
                    Lang::SITE,
                    &built.site.pages[i].path,
                ));
            }
        }
        let what = format!(
            "{} and {} other files{}",
            if pages == 1 {
                "1 page".to_string()
            } else {
                format!("{pages} pages")
            },
            n.saturating_sub(pages),
            if edit.plan.lists {
                " (with the lists that show it)"
            } else {
                ""
            }
        );
        Ok((what, paths))
    }

    fn static_files(&mut self, paths: &[PathBuf]) -> String {
        let dir = self.root.join(load::STATIC_DIR);
        for path in paths {
            let Ok(rel) = path.strip_prefix(&dir) else {
                continue;
            };
            let key = crate::load::source::slash_path(rel);
            if path.is_file() {
                self.files.insert(key, Body::Copy(path.clone()));
            } else {
                self.files.remove(&key);
            }
        }
        format!("{} static file(s)", paths.len())
    }

    /// The card at `path` still to be drawn, with everything drawing it needs,
    /// taken under a read lock: the drawing holds no lock, so pages, the preview
    /// lab and rebuilds go on meanwhile, and a slow card costs only its own request.
    /// `None` when it is drawn already or the site has no such card.
    pub fn card_to_draw(&self, path: &str) -> Option<CardToDraw> {
        if self.files.contains_key(path) {
            return None;
        }
        let built = self.built.as_ref()?;
        if let Some(job) = built.plan.jobs.iter().find(|j| j.output == path) {
            return Some(CardToDraw {
                site: cards::CardSite::of(&built.site),
                templates: built.templates.clone(),
                fonts: built.fonts.clone(),
                job: job.clone(),
            });
        }
        // A translated edition's card (`cards/fr/…`).
        built.editions.iter().find_map(|e| {
            let job = e.plan.jobs.iter().find(|j| j.output == path)?;
            Some(CardToDraw {
                site: cards::CardSite::of(&e.site),
                templates: e.templates.clone(),
                fonts: e.fonts.clone(),
                job: job.clone(),
            })
        })
    }

    /// The digest of the period not over yet, as a page, with the problem the
    /// overlay shows (SPEC §7: `/digest/latest/`, serve's alone).
    pub fn latest_digest(&self) -> Option<(String, Option<String>)> {
        let built = self.built.as_ref()?;
        let html = render::latest_digest(&built.site, &built.templates, &built.plan).ok()?;
        Some((html, self.problem.clone()))
    }

    /// The picture one of whose files is at `path`, when that file is still to
    /// be made: serve makes a picture's variants when a browser first asks for
    /// one, as it draws cards.
    pub fn picture_to_make(&self, path: &str) -> Option<PictureToMake> {
        if self.files.contains_key(path) {
            return None;
        }
        let built = self.built.as_ref()?;
        let pictures = &built.site.pictures;
        let asked = built.asked_pictures();
        let index = pictures.list.iter().position(|p| {
            p.outputs().any(|o| o == path)
                || asked
                    .iter()
                    .any(|r| r.file == p.file && r.made.dest == path)
        })?;
        let file = &pictures.list[index].file;
        Some(PictureToMake {
            pictures: pictures.clone(),
            index,
            resized: asked.into_iter().filter(|r| &r.file == file).collect(),
        })
    }

    /// Keeps a picture's files made from [`Live::picture_to_make`], unless the
    /// site was loaded again meanwhile.
    pub fn picture_made(
        &mut self,
        pictures: &std::sync::Arc<crate::model::picture::Pictures>,
        outputs: Vec<Output>,
    ) {
        let same = self
            .built
            .as_ref()
            .is_some_and(|b| std::sync::Arc::ptr_eq(&b.site.pictures, pictures));
        if same {
            for o in outputs {
                self.files.entry(o.path).or_insert(o.body);
            }
        }
    }

    /// Keeps a card drawn from [`Live::card_to_draw`], unless the site changed
    /// meanwhile (another card, templates or fonts: it is drawn again when asked).
    pub fn card_drawn(&mut self, drawn: DrawnCard) {
        let Some(built) = self.built.as_mut() else {
            return;
        };
        let same = |plan: &cards::CardPlan, templates: &std::sync::Arc<crate::theme::Templates>| {
            plan.jobs.contains(&drawn.job) && std::sync::Arc::ptr_eq(templates, &drawn.templates)
        };
        if same(&built.plan, &built.templates) {
            if let Some(fonts) = drawn.loaded_fonts {
                built.fonts = fonts;
            }
        } else if let Some(e) = built
            .editions
            .iter_mut()
            .find(|e| same(&e.plan, &e.templates))
        {
            if let Some(fonts) = drawn.loaded_fonts {
                e.fonts = fonts;
            }
        } else {
            return;
        }
        if let Some(o) = drawn.output {
            self.files.entry(o.path).or_insert(o.body);
        }
    }
}

/// Renders a selection of the kept build with the kept list entries.
fn render_kept(
    built: &Built,
    refs: &[tera::Value],
    selection: &Selection,
) -> Result<Vec<Output>, Diagnostics> {
    let (outputs, problems) = render::select(
        &built.site,
        &built.templates,
        &built.plan,
        selection,
        Some(refs),
    );
    fail_on_errors(problems)?;
    Ok(outputs)
}

fn fail_on_errors(problems: Vec<Diagnostic>) -> Result<(), Diagnostics> {
    let diags = Diagnostics { items: problems };
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}
