//! The text cache (`.hearth-cache/texts.bin`, a keyed store): pages' rendered
//! markdown kept between builds, so a build with its cache restored renders only
//! the pages that changed. Rendering markdown is a third of a warm 10,000-page
//! build; this makes it a lookup.
//!
//! An entry is found by a hash of everything a page's HTML is made from: the code
//! that made it (`HEARTH_SOURCE_ID`, see build.rs), the site's link settings, the
//! page's folder and its markdown. What else the text asked the link index about
//! (the markdown files it links to, other content files with their contents' hash,
//! member handles) is written in the entry with the answer it got, and asked again
//! before the entry is used: a page that links to a page that moved, or shows a
//! picture that was replaced, renders again. Texts with problems are not kept
//! (their errors are reported every build). An entry also names its code blocks,
//! which the highlight cache then keeps for when the text renders again.
//!
//! Entries are not compressed: LZ4 cost a cold build 5% of its CPU, and a CI cache
//! (`actions/cache`) compresses the folder anyway. At 10,000 pages the store is
//! 77 MB, which is why it is read per entry.

use std::path::{Path, PathBuf};

use super::link_index::{Asked, LinkIndex, LinkTarget};
use crate::model::page::{Content, TocEntry};
use crate::store::{Key, Store};

const MAGIC: &[u8] = b"hearth-texts-3\n";
/// The identity of this binary's code: entries another build of hearth wrote are
/// not found.
const SOURCE_ID: &str = env!("HEARTH_SOURCE_ID");

/// Rendered texts of earlier builds, and the ones this build adds.
#[derive(Default)]
pub struct TextCache {
    store: Store,
}

impl TextCache {
    /// No file: render everything, keep nothing.
    pub fn none() -> Self {
        TextCache {
            store: Store::none(),
        }
    }

    /// Opens the cache; a missing, malformed or linked file is an empty cache.
    pub fn open(path: PathBuf) -> Self {
        TextCache {
            store: Store::open(path, MAGIC),
        }
    }

    /// The key of a text made from `parts` (settings, folder, markdown) by this
    /// binary's code.
    pub fn key(parts: &[&[u8]]) -> Key {
        let mut all: Vec<&[u8]> = vec![MAGIC, SOURCE_ID.as_bytes()];
        all.extend_from_slice(parts);
        crate::store::key_of(&all)
    }

    /// The text kept under `key` and its code blocks' keys, when everything it
    /// asked `index` about is answered the same now.
    pub fn get(&self, key: &Key, index: &LinkIndex) -> Option<(Content, Vec<Key>)> {
        let bytes = self.store.get(key)?;
        decode(&mut Reader(&bytes), index)
    }

    /// Keeps a text rendered without problems, with what it asked `index` and the
    /// answers.
    pub fn put(&self, key: Key, content: &Content, asked: &Asked, index: &LinkIndex) {
        let mut bytes = Vec::with_capacity(content.html.len() + 256);
        encode(&mut bytes, content, asked, index);
        self.store.put(key, &bytes);
    }

    /// Lets go of what this load added, unsaved (its temp file goes).
    pub fn discard(&self) {
        self.store.discard();
    }

    /// Replaces the file with the entries this build used and the ones it added
    /// (only a load that looked every page up saves: `markdown::Caches::save`).
    pub fn save(&self) {
        self.store.save();
    }
}

// The entry: what the text asked and was answered, then the content. Strings are
// a 4-byte length and UTF-8; flags a byte.

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_target(out: &mut Vec<u8>, target: Option<&LinkTarget>) {
    match target {
        None => out.push(0),
        Some(LinkTarget::Broken) => out.push(1),
        Some(LinkTarget::Page { path, draft }) => {
            out.push(2 + u8::from(*draft));
            put_str(out, path);
        }
    }
}

fn put_toc(out: &mut Vec<u8>, toc: &[TocEntry]) {
    put_len(out, toc.len());
    for t in toc {
        out.push(t.level);
        put_str(out, &t.id);
        put_str(out, &t.title);
        put_toc(out, &t.children);
    }
}

fn encode(out: &mut Vec<u8>, c: &Content, asked: &Asked, index: &LinkIndex) {
    put_len(out, c.links_to.len());
    for source in &c.links_to {
        put_str(out, source);
        put_target(out, index.pages.get(source));
    }
    put_len(out, asked.assets.len());
    for file in &asked.assets {
        put_str(out, file);
        match index.assets.get(file) {
            Some(url) => {
                out.push(1);
                put_str(out, url);
            }
            None => out.push(0),
        }
        match index.asset_hash(file) {
            Some(hash) => {
                out.push(1);
                out.extend_from_slice(&hash);
            }
            None => out.push(0),
        }
    }
    put_len(out, asked.members.len());
    for handle in &asked.members {
        put_str(out, handle);
        out.push(u8::from(index.members.contains(handle)));
    }
    put_len(out, asked.blocks.len());
    for key in &asked.blocks {
        out.extend_from_slice(key);
    }
    put_str(out, &c.html);
    match &c.summary {
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
        None => out.push(0),
    }
    put_str(out, &c.lead);
    put_toc(out, &c.toc);
    out.extend_from_slice(&(c.words as u64).to_le_bytes());
    put_len(out, c.mentions.len());
    for m in &c.mentions {
        put_str(out, m);
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn len(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    fn target(&mut self) -> Option<Option<LinkTarget>> {
        Some(match self.byte()? {
            0 => None,
            1 => Some(LinkTarget::Broken),
            b @ (2 | 3) => Some(LinkTarget::Page {
                path: self.string()?,
                draft: b == 3,
            }),
            _ => return None,
        })
    }
    fn toc(&mut self, depth: usize) -> Option<Vec<TocEntry>> {
        let n = self.len()?;
        // Headings nest six deep at most; a doctored file must not recurse further.
        if depth > 8 || n > self.0.len() {
            return None;
        }
        (0..n)
            .map(|_| {
                Some(TocEntry {
                    level: self.byte()?,
                    id: self.string()?,
                    title: self.string()?,
                    children: self.toc(depth + 1)?,
                })
            })
            .collect()
    }
}

/// The content of an entry, or `None` when the index answers anything differently
/// now (or the entry is malformed).
fn decode(r: &mut Reader, index: &LinkIndex) -> Option<(Content, Vec<Key>)> {
    let linked = r.len()?;
    let mut links_to = Vec::with_capacity(linked.min(1024));
    for _ in 0..linked {
        let source = r.string()?;
        (r.target()?.as_ref() == index.pages.get(&source)).then_some(())?;
        links_to.push(source);
    }
    for _ in 0..r.len()? {
        let file = r.str()?;
        let url = match r.byte()? {
            0 => None,
            1 => Some(r.str()?),
            _ => return None,
        };
        (url == index.assets.get(file).map(String::as_str)).then_some(())?;
        let hash = match r.byte()? {
            0 => None,
            1 => Some(r.take(16)?),
            _ => return None,
        };
        (hash == index.asset_hash(file).as_ref().map(|h| &h[..])).then_some(())?;
    }
    for _ in 0..r.len()? {
        let handle = r.str()?;
        (r.byte()? == u8::from(index.members.contains(handle))).then_some(())?;
    }
    let blocks = r.len()?;
    let blocks = r.take(blocks.checked_mul(16)?)?;
    let html = r.string()?;
    let summary = match r.byte()? {
        0 => None,
        1 => Some(r.string()?),
        _ => return None,
    };
    let lead = r.string()?;
    let toc = r.toc(0)?;
    let words = u64::from_le_bytes(r.take(8)?.try_into().ok()?) as usize;
    let mentions = (0..r.len()?)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    r.0.is_empty().then_some(())?;
    let blocks: Vec<Key> = blocks
        .chunks_exact(16)
        .filter_map(|k| k.try_into().ok())
        .collect();
    let content = Content {
        html,
        summary,
        lead,
        toc,
        words,
        mentions,
        links_to,
    };
    Some((content, blocks))
}

/// Fuzzing's door (`fuzz/fuzz_targets/cache_texts.rs`): `bytes` opened as a
/// `texts.bin` at `path`, and every entry its index lists read as a build reads
/// it. Whatever the bytes, no panic, no allocation past the file's size.
#[doc(hidden)]
pub fn fuzz_read(path: &Path, bytes: &[u8]) -> usize {
    if std::fs::write(path, bytes).is_err() {
        return 0;
    }
    let index = LinkIndex::empty(Path::new("."));
    let cache = TextCache::open(path.to_path_buf());
    cache
        .store
        .keys()
        .iter()
        .filter(|k| cache.get(k, &index).is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::SourceText;
    use crate::markdown::environment::Environment;
    use crate::markdown::highlight_cache::HighlightCache;
    use crate::markdown::sanitize::{Policy, Sanitizer};
    use crate::markdown::stage::render_text;
    use crate::markdown::RenderOptions;

    const BODY: &str =
        "# Hi {#hi}\n\nSee [b](b.md), ![p](pic.png) and @ada.\n\n```rust\nfn main() {}\n```\n";

    /// The environment of a site at `root` whose cache folder is `root` too, with
    /// the picture `content/pic.png` (written when missing).
    fn env(root: &Path) -> Environment {
        let pic = root.join("content/pic.png");
        if !pic.exists() {
            std::fs::create_dir_all(pic.parent().unwrap()).unwrap();
            std::fs::write(&pic, b"a picture").unwrap();
        }
        let links = LinkIndex {
            base_path: "/hub/".into(),
            pages: HashMap::from([(
                "content/b.md".to_string(),
                LinkTarget::Page {
                    path: "/b/".into(),
                    draft: false,
                },
            )]),
            assets: HashMap::from([("content/pic.png".to_string(), "/pic.png".to_string())]),
            members: BTreeSet::from(["ada".to_string()]),
            ..LinkIndex::empty(root)
        };
        Environment::with(
            links,
            Arc::new(Sanitizer::new(&Policy::default())),
            false,
            HighlightCache::none(),
            TextCache::open(root.join("texts.bin")),
        )
    }

    /// Renders BODY in `content/` into the environment's cache and saves it; the
    /// content.
    fn render_and_keep(env: &Environment) -> Content {
        let source = SourceText {
            path: "content/a.md".into(),
            text: Arc::from(BODY),
        };
        let dir = Path::new("content");
        let (r, problems) = render_text(&source, 0, dir, env, RenderOptions::default());
        assert!(problems.is_empty());
        env.keep_text(env.text_key(dir, BODY), &r.content, &r.asked);
        env.texts.save();
        r.content
    }

    fn kept(env: &Environment) -> Option<Content> {
        env.cached_text(&env.text_key(Path::new("content"), BODY))
    }

    fn same(a: &Content, b: &Content) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn a_text_comes_back_as_it_was_rendered() {
        let dir = tempfile::tempdir().unwrap();
        let made = render_and_keep(&env(dir.path()));
        assert!(made.html.contains("href=\"/hub/b/\""), "{}", made.html);
        assert_eq!(made.mentions, ["ada"]);
        let again = kept(&env(dir.path())).expect("found in the next build");
        assert!(same(&made, &again), "{made:?}\n{again:?}");
    }

    #[test]
    fn a_text_renders_again_when_what_it_asked_is_answered_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&env(dir.path()));
        let changes: [fn(&mut Environment); 5] = [
            |e| {
                e.links.pages.insert(
                    "content/b.md".into(),
                    LinkTarget::Page {
                        path: "/moved/".into(),
                        draft: false,
                    },
                );
            },
            |e| {
                e.links.assets.remove("content/pic.png");
            },
            |e| {
                e.links.members.clear();
            },
            |e| e.links.base_path = "/".into(),
            |e| {
                e.sanitizer = Arc::new(Sanitizer::new(&Policy {
                    remote_images: true,
                    site_host: String::new(),
                }))
            },
        ];
        for (n, change) in changes.iter().enumerate() {
            let mut now = env(dir.path());
            change(&mut now);
            assert!(kept(&now).is_none(), "change {n} went unnoticed");
        }
        // What the text did not ask about does not matter.
        let mut now = env(dir.path());
        now.links.members.insert("grace".into());
        now.links
            .pages
            .insert("content/c.md".into(), LinkTarget::Broken);
        assert!(kept(&now).is_some());
    }

    #[test]
    fn a_text_renders_again_when_a_picture_it_shows_is_replaced_at_the_same_url() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&env(dir.path()));
        assert!(kept(&env(dir.path())).is_some());
        std::fs::write(dir.path().join("content/pic.png"), b"another picture").unwrap();
        assert!(kept(&env(dir.path())).is_none());
    }

    #[test]
    fn the_code_blocks_of_a_kept_text_stay_in_the_highlight_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.bin");
        let with_highlights = || {
            let mut e = env(dir.path());
            e.highlights = Arc::new(HighlightCache::open(path.clone()));
            e
        };
        let first = with_highlights();
        render_and_keep(&first);
        first.highlights.save();
        let saved = std::fs::read(&path).unwrap();
        // The next build takes the text from the cache and highlights nothing.
        let second = with_highlights();
        assert!(kept(&second).is_some());
        second.highlights.save();
        assert_eq!(std::fs::read(&path).unwrap(), saved);
    }

    #[test]
    fn a_save_keeps_only_what_the_build_used_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&env(dir.path()));
        // A build that used nothing and added nothing empties the cache.
        env(dir.path()).texts.save();
        assert!(kept(&env(dir.path())).is_none());
        // One that adds but never saves (check, serve's edits) leaves nothing behind.
        {
            let e = env(dir.path());
            e.keep_text([7; 16], &Content::default(), &Asked::default());
        }
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["content", "texts.bin"]);
    }

    #[test]
    fn a_reload_that_kept_earlier_texts_does_not_save_the_text_cache() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&env(dir.path()));
        let mut e = env(dir.path());
        e.kept_earlier_text();
        e.caches().save();
        assert!(kept(&env(dir.path())).is_some());
    }

    #[test]
    fn a_doctored_or_cut_cache_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&env(dir.path()));
        let path = dir.path().join("texts.bin");
        let good = std::fs::read(&path).unwrap();
        let mut cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            good[..good.len() / 2].to_vec(),
            good[..good.len() - 1].to_vec(),
        ];
        // A count that claims more rows than the file holds.
        let mut huge = good.clone();
        let at = huge.len() - MAGIC.len() - 8;
        huge[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        cases.push(huge);
        // Every byte of the entry and its row flipped in turn: never a panic,
        // never a wrong text (a flipped key byte only files it elsewhere).
        let made = kept(&env(dir.path())).unwrap();
        for i in MAGIC.len()..good.len() - MAGIC.len() - 8 {
            let mut bad = good.clone();
            bad[i] ^= 0x55;
            cases.push(bad);
        }
        for bytes in cases {
            std::fs::write(&path, &bytes).unwrap();
            if let Some(c) = kept(&env(dir.path())) {
                assert!(same(&c, &made), "a damaged entry was used: {c:?}");
            }
        }
    }
}
