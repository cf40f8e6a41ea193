//! The markdown environment: what every text of a site renders against (the link
//! index), with (the highlight cache, the sanitizer) and is kept in between builds
//! (the text cache). The markdown stage owns it; it is the one owner of the
//! caches' opening and saving, so "a load that did not look up every text must not
//! save the text cache" is a rule kept here, not by each caller.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::highlight_cache::HighlightCache;
use super::link_index::{Asked, LinkIndex};
use super::sanitize::Sanitizer;
use super::text_cache::TextCache;
use crate::diagnostics::Diagnostic;
use crate::model::page::Content;

/// `.hearth-cache/highlight.bin`: highlighted code blocks between builds.
pub const HIGHLIGHT_CACHE: &str = "highlight.bin";
/// `.hearth-cache/texts.bin`: pages' rendered markdown between builds.
pub const TEXT_CACHE: &str = "texts.bin";

pub struct Environment {
    pub links: LinkIndex,
    /// Cleans what strangers wrote: bios, link notes, and pages when
    /// `content.sanitize` is on (`sanitize_pages`).
    pub sanitizer: Arc<Sanitizer>,
    pub sanitize_pages: bool,
    pub(super) highlights: Arc<HighlightCache>,
    pub(super) texts: Arc<TextCache>,
    /// Some page kept the text of an earlier load instead of being looked up: the
    /// text cache would lose its entry if it were saved.
    partial: AtomicBool,
}

/// The caches of one load, taken out of the environment to be saved (on a thread
/// of their own in a build).
#[derive(Default)]
pub struct Caches {
    highlights: Arc<HighlightCache>,
    texts: Arc<TextCache>,
    partial: bool,
}

impl Caches {
    /// Saves what this load used and added. The text cache is saved only by a load
    /// that looked up every page it rendered (a reload that kept pages from the
    /// earlier build would drop their entries); else its new entries are let go.
    pub fn save(self) {
        self.highlights.save();
        if self.partial {
            self.texts.discard();
        } else {
            self.texts.save();
        }
    }
}

impl Environment {
    /// The environment of a load, its caches opened from `.hearth-cache` under
    /// `root`; a cache folder that cannot be used is a problem to report (and no
    /// cache).
    pub fn open(
        root: &Path,
        links: LinkIndex,
        sanitizer: Arc<Sanitizer>,
        sanitize_pages: bool,
    ) -> (Environment, Option<Diagnostic>) {
        let (highlights, texts, problem) = match crate::site_fs::cache_dir(root, "") {
            Ok(dir) => (
                HighlightCache::open(dir.join(HIGHLIGHT_CACHE)),
                TextCache::open(dir.join(TEXT_CACHE)),
                None,
            ),
            Err(d) => (HighlightCache::none(), TextCache::none(), Some(d)),
        };
        let env = Environment::with(links, sanitizer, sanitize_pages, highlights, texts);
        (env, problem)
    }

    /// An environment with these caches (tests name theirs).
    pub(super) fn with(
        links: LinkIndex,
        sanitizer: Arc<Sanitizer>,
        sanitize_pages: bool,
        highlights: HighlightCache,
        texts: TextCache,
    ) -> Environment {
        Environment {
            links,
            sanitizer,
            sanitize_pages,
            highlights: Arc::new(highlights),
            texts: Arc::new(texts),
            partial: AtomicBool::new(false),
        }
    }

    /// Takes the caches out to be saved; this environment renders on without
    /// them (nothing after a build's pages highlights).
    pub fn caches(&mut self) -> Caches {
        Caches {
            highlights: std::mem::take(&mut self.highlights),
            texts: std::mem::take(&mut self.texts),
            partial: self.partial.load(Ordering::Relaxed),
        }
    }

    /// Notes that a page kept an earlier load's text (see [`Caches::save`]).
    pub(super) fn kept_earlier_text(&self) {
        self.partial.store(true, Ordering::Relaxed);
    }

    /// A page's rendered content, sanitized when the site takes posts from strangers.
    pub fn page_content(&self, mut content: Content) -> Content {
        if self.sanitize_pages {
            content.html = self.sanitizer.clean(&content.html);
            content.summary = content.summary.map(|s| self.sanitizer.clean(&s));
        }
        content
    }

    /// The text cache's key for a page: the code, the site's link settings, its
    /// folder and its markdown.
    pub(super) fn text_key(&self, dir: &Path, body: &str) -> crate::store::Key {
        TextCache::key(&[
            self.links.base_path.as_bytes(),
            &[
                u8::from(self.links.drafts_built),
                u8::from(self.sanitize_pages),
            ],
            self.sanitizer.policy.as_bytes(),
            dir.as_os_str().as_encoded_bytes(),
            body.as_bytes(),
        ])
    }

    /// A page's text from the text cache, with its code blocks kept in the
    /// highlight cache for when it renders again.
    pub(super) fn cached_text(&self, key: &crate::store::Key) -> Option<Content> {
        let (content, blocks) = self.texts.get(key, &self.links)?;
        self.highlights.keep(&blocks);
        Some(content)
    }

    /// Keeps a text rendered without problems, with what it asked the link index.
    pub(super) fn keep_text(&self, key: crate::store::Key, content: &Content, asked: &Asked) {
        self.texts.put(key, content, asked, &self.links);
    }
}
