//! Where each output exists in the site's other languages (SPEC §5): made once
//! from every edition's list of jobs, then read by every page's head (`hreflang`
//! alternates), its language switcher and the sitemap, so all three agree.

use std::collections::HashMap;

use super::context::{AlternateView, SwitchView};
use super::jobs::Job;
use super::*;
use crate::model::languages::{original_source, Language, Languages};

/// One edition as the alternates are made from it.
pub struct EditionRef<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub cards: &'a CardPlan,
}

/// The languages of the site and where every output of every edition is.
/// `editions[0]` is the default language's.
pub fn languages(editions: &[EditionRef]) -> Languages {
    let mut langs = Languages::default();
    for e in editions {
        let code = e
            .site
            .lang
            .clone()
            .unwrap_or_else(|| e.site.config.language.clone());
        let name = e
            .templates
            .words
            .get("language_name")
            .cloned()
            .unwrap_or_else(|| crate::model::languages::autonym(&code));
        langs.all.push(Language {
            dir: crate::model::page::text_direction(&code),
            default: e.site.lang.is_none(),
            code,
            name,
        });
    }
    let mut keys: HashMap<String, String> = HashMap::new();
    for (at, e) in editions.iter().enumerate() {
        let promo_items = promote::items(e.site, e.cards);
        let r = Renderer::new(e.site, e.templates, e.cards, false);
        for job in r.published(&promo_items) {
            if matches!(job, Job::File(_) | Job::NotFound) {
                continue;
            }
            let path = job.path(e.site);
            let full = e.site.edition().path(&path);
            if let Some(entry) = job.sitemap_entry(e.site) {
                langs.sitemap.push((full.clone(), entry.lastmod));
            }
            let key = job_key(e.site, &job).unwrap_or(path);
            keys.insert(full.clone(), key.clone());
            langs.editions.entry(key).or_default().push((at, full));
        }
    }
    langs.keys = keys;
    langs
}

/// What a page or guideline is known by across languages: its original's source
/// path. Lists are known by their path within an edition.
fn job_key(site: &Site, job: &Job) -> Option<String> {
    let (source, lang) = match job {
        Job::Page(i) => (&site.pages[*i].source.path, &site.pages[*i].translation),
        Job::Guideline(g) => (&g.source.path, &g.translation),
        _ => return None,
    };
    let path = crate::load::source::slash_path(source);
    Some(match lang {
        Some(code) => original_source(&path, code),
        None => path,
    })
}

impl Renderer<'_> {
    /// The `hreflang` alternates and the switcher of the output at `path` (within
    /// this edition); empty for a site of one language.
    pub(super) fn alternates(&self, path: &str) -> (Vec<AlternateView>, Vec<SwitchView>) {
        let Some(langs) = &self.site.languages else {
            return (Vec::new(), Vec::new());
        };
        let site = self.site;
        let full = site.edition().path(path);
        let key = langs.keys.get(&full).map_or(full.as_str(), String::as_str);
        let here = langs.index_of(site.lang.as_deref());
        let found = langs.alternates(key);
        let alternates = found
            .iter()
            .map(|(at, p)| AlternateView {
                lang: langs.all[*at].code.clone(),
                url: site.config.root_permalink(p),
                default: langs.all[*at].default,
            })
            .collect();
        let switcher = langs
            .all
            .iter()
            .enumerate()
            .map(|(at, l)| {
                let there = found.iter().find(|(a, _)| *a == at);
                let path = match there {
                    Some((_, p)) => p.clone(),
                    None => l.lang().path("/"),
                };
                SwitchView {
                    lang: l.code.clone(),
                    name: l.name.clone(),
                    dir: l.dir,
                    url: site.config.root_url(&path),
                    current: at == here,
                    translated: there.is_some(),
                }
            })
            .collect();
        (alternates, switcher)
    }
}
