//! The text cache (`.hearth-cache/texts.bin`): pages' rendered markdown kept
//! between builds, so a build with its cache restored renders only the pages that
//! changed. Rendering markdown is a third of a warm 10,000-page build; this makes
//! it a lookup.
//!
//! An entry is found by a hash of everything a page's HTML is made from: the code
//! that made it (`HEARTH_SOURCE_ID`, see build.rs), the site's link settings, the
//! page's folder and its markdown. What else the text asked the link index about
//! (the markdown files it links to, other content files, member handles) is
//! written in the entry with the answer it got, and asked again before the entry
//! is used: a page that links to a page that moved renders again. Texts with
//! problems are not kept (their errors are reported every build). An entry also
//! names its code blocks, which the highlight cache then keeps for when the text
//! renders again.
//!
//! The file is never held whole: its index is read from the end, entries are read
//! where they lie, and new ones are streamed to a temp file that replaces it when
//! the build saves. At 10,000 pages it is 77 MB, which memory could not spare.
//!
//! Layout: `MAGIC`, entries, then the index (key, offset, length and CRC-32 per
//! entry), its count (8 bytes, LE) and `MAGIC` again. Anything malformed reads as
//! an empty cache. Entries are not compressed: LZ4 cost a cold build 5% of its
//! CPU, and a CI cache (`actions/cache`) compresses the folder anyway.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::link_index::{Asked, LinkIndex, LinkTarget};
use crate::model::page::{Content, TocEntry};

const MAGIC: &[u8] = b"hearth-texts-2\n";
/// The identity of this binary's code: entries another build of hearth wrote are
/// not found.
const SOURCE_ID: &str = env!("HEARTH_SOURCE_ID");
/// One index row: a 16-byte key, an 8-byte offset, a 4-byte length, and the
/// entry's CRC-32 (a file cut or damaged on disk is caught, not published).
const ROW: usize = 32;

type Key = [u8; 16];

/// The most entries an index may list (128 MB of rows): forty times the texts of
/// 100,000 pages, and a bound on what a planted or sparse file can make hearth
/// allocate.
const MAX_ROWS: u64 = 1 << 22;

/// Where an entry lies, and the CRC-32 of its bytes.
#[derive(Clone, Copy)]
struct Row {
    at: u64,
    len: u32,
    sum: u32,
}

/// A checksum against damage, not a defence against tampering: whoever can write
/// the cache can write a matching sum (SECURITY.md says what the cache is trusted
/// with).
fn sum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Rendered texts of earlier builds, and the ones this build adds.
pub struct TextCache {
    path: Option<PathBuf>,
    file: Option<File>,
    old: HashMap<Key, Row>,
    used: Mutex<HashSet<Key>>,
    new: Mutex<Option<Writer>>,
}

/// The temp file new entries stream into, and where each lies in it.
struct Writer {
    tmp: PathBuf,
    out: BufWriter<File>,
    at: u64,
    rows: Vec<(Key, Row)>,
    failed: bool,
    done: bool,
}

/// A build that never saves (`check`, an edit in `serve`) leaves no temp file.
impl Drop for Writer {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Default for TextCache {
    fn default() -> Self {
        TextCache::none()
    }
}

impl TextCache {
    /// No file: render everything, keep nothing.
    pub fn none() -> Self {
        TextCache {
            path: None,
            file: None,
            old: HashMap::new(),
            used: Mutex::new(HashSet::new()),
            new: Mutex::new(None),
        }
    }

    /// Opens the cache; a missing, malformed or linked file is an empty cache.
    /// Temp files a killed build left beside it go.
    pub fn open(path: PathBuf) -> Self {
        if let Some(dir) = path.parent() {
            crate::site_fs::cache_sweep(dir);
        }
        let file = crate::site_fs::cache_has(&path)
            .then(|| File::open(&path).ok())
            .flatten();
        let old = file.as_ref().map(read_index).unwrap_or_default();
        TextCache {
            path: Some(path),
            file,
            old,
            ..TextCache::none()
        }
    }

    /// The key of a page's text: the code, the site's link settings, its folder
    /// and its markdown.
    pub fn key(index: &LinkIndex, dir: &Path, body: &str) -> Key {
        let mut h = blake3::Hasher::new();
        for part in [
            MAGIC,
            SOURCE_ID.as_bytes(),
            index.base_path.as_bytes(),
            &[u8::from(index.drafts_built), u8::from(index.sanitize_pages)],
            index.sanitizer.policy.as_bytes(),
            dir.as_os_str().as_encoded_bytes(),
            body.as_bytes(),
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let mut key = [0; 16];
        key.copy_from_slice(&h.finalize().as_bytes()[..16]);
        key
    }

    /// The text kept under `key`, when everything it asked `index` about is
    /// answered the same now.
    pub fn get(&self, key: &Key, index: &LinkIndex) -> Option<Content> {
        let row = *self.old.get(key)?;
        let mut bytes = vec![0; row.len as usize];
        read_at(self.file.as_ref()?, &mut bytes, row.at).ok()?;
        (sum(&bytes) == row.sum).then_some(())?;
        let content = decode(&mut Reader(&bytes), index)?;
        if let Ok(mut used) = self.used.lock() {
            used.insert(*key);
        }
        Some(content)
    }

    /// Keeps a text rendered without problems, with what it asked `index` and the
    /// answers. A cache that cannot be written only costs the next build time.
    pub fn put(&self, key: Key, content: &Content, asked: &Asked, index: &LinkIndex) {
        let Some(path) = &self.path else { return };
        let mut bytes = Vec::with_capacity(content.html.len() + 256);
        encode(&mut bytes, content, asked, index);
        let Ok(mut new) = self.new.lock() else { return };
        if new.is_none() {
            *new = Writer::start(path);
        }
        if let Some(w) = new.as_mut() {
            w.add(key, &bytes);
        }
    }

    /// Lets go of what this load added, unsaved (its temp file goes).
    pub fn discard(&self) {
        if let Ok(mut new) = self.new.lock() {
            new.take();
        }
    }

    /// Replaces the file with the entries this build used and the ones it added,
    /// when anything changed; a build that renders only some pages (serve after an
    /// edit) must not save, or it would drop the rest.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let (Ok(used), Ok(mut new)) = (self.used.lock(), self.new.lock()) else {
            return;
        };
        if new.is_none() && used.len() == self.old.len() {
            return;
        }
        let Some(mut w) = new.take().or_else(|| Writer::start(path)) else {
            return;
        };
        let mut kept: Vec<(&Key, &Row)> =
            self.old.iter().filter(|(k, _)| used.contains(*k)).collect();
        kept.sort_by_key(|(_, row)| row.at);
        if let Some(file) = &self.file {
            let mut buf = Vec::new();
            for (key, row) in kept {
                buf.resize(row.len as usize, 0);
                if read_at(file, &mut buf, row.at).is_err() {
                    w.failed = true;
                    break;
                }
                w.add_checked(*key, &buf, row.sum);
            }
        }
        w.finish(path);
    }
}

impl Writer {
    /// A fresh temp file beside the cache (`create_new` never opens a planted link).
    fn start(path: &Path) -> Option<Writer> {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .ok()?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let failed = out.write_all(MAGIC).is_err();
        Some(Writer {
            tmp,
            out,
            at: MAGIC.len() as u64,
            rows: Vec::new(),
            failed,
            done: false,
        })
    }

    fn add(&mut self, key: Key, bytes: &[u8]) {
        self.add_checked(key, bytes, sum(bytes));
    }

    /// Adds an entry whose hash is known (one copied from the old file).
    fn add_checked(&mut self, key: Key, bytes: &[u8], sum: u32) {
        if self.failed || self.out.write_all(bytes).is_err() {
            self.failed = true;
            return;
        }
        let row = Row {
            at: self.at,
            len: bytes.len() as u32,
            sum,
        };
        self.rows.push((key, row));
        self.at += bytes.len() as u64;
    }

    /// Writes the index and renames the temp file over the cache; on any failure
    /// the temp file goes (on drop) and the old cache stays.
    fn finish(mut self, path: &Path) {
        let mut tail = Vec::with_capacity(self.rows.len() * ROW + 32);
        for (key, row) in &self.rows {
            tail.extend_from_slice(key);
            tail.extend_from_slice(&row.at.to_le_bytes());
            tail.extend_from_slice(&row.len.to_le_bytes());
            tail.extend_from_slice(&row.sum.to_le_bytes());
        }
        tail.extend_from_slice(&(self.rows.len() as u64).to_le_bytes());
        tail.extend_from_slice(MAGIC);
        self.done = !self.failed
            && self.out.write_all(&tail).is_ok()
            && self.out.flush().is_ok()
            && std::fs::rename(&self.tmp, path).is_ok();
    }
}

/// Reads `buf.len()` bytes at `at` without moving a shared cursor (threads read
/// entries side by side).
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// The index at the end of the file; empty when anything about it is off.
fn read_index(file: &File) -> HashMap<Key, Row> {
    let mut map = HashMap::new();
    let Ok(size) = file.metadata().map(|m| m.len()) else {
        return map;
    };
    let foot = (MAGIC.len() + 8) as u64;
    if size < foot + MAGIC.len() as u64 {
        return map;
    }
    let mut end = vec![0; foot as usize];
    if read_at(file, &mut end, size - foot).is_err() || &end[8..] != MAGIC {
        return map;
    }
    let count = u64::from_le_bytes(end[..8].try_into().unwrap_or_default());
    // The index is held in memory: a footer may claim no more rows than the file
    // has room for, nor more than any site hearth builds could need.
    if count > MAX_ROWS {
        return map;
    }
    let Some(rows_len) = count.checked_mul(ROW as u64) else {
        return map;
    };
    let body_end = size - foot;
    if rows_len > body_end - MAGIC.len() as u64 {
        return map;
    }
    let rows_at = body_end - rows_len;
    let mut rows = vec![0; rows_len as usize];
    if read_at(file, &mut rows, rows_at).is_err() {
        return map;
    }
    for row in rows.chunks_exact(ROW) {
        let mut key = [0; 16];
        key.copy_from_slice(&row[..16]);
        let at = u64::from_le_bytes(row[16..24].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(row[24..28].try_into().unwrap_or_default());
        let sum = u32::from_le_bytes(row[28..32].try_into().unwrap_or_default());
        if at < MAGIC.len() as u64 || at.saturating_add(u64::from(len)) > rows_at {
            return HashMap::new();
        }
        map.insert(key, Row { at, len, sum });
    }
    map
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
fn decode(r: &mut Reader, index: &LinkIndex) -> Option<Content> {
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
    index.highlights.keep(&blocks);
    Some(Content {
        html,
        summary,
        lead,
        toc,
        words,
        mentions,
        links_to,
    })
}

/// Fuzzing's door (`fuzz/fuzz_targets/caches.rs`): `bytes` opened as a
/// `texts.bin` at `path`, and every entry its index lists read as a build reads
/// it. Whatever the bytes, no panic, no allocation past the file's size.
#[doc(hidden)]
pub fn fuzz_read(path: &Path, bytes: &[u8]) -> usize {
    use std::collections::BTreeSet;
    use std::sync::Arc;
    if std::fs::write(path, bytes).is_err() {
        return 0;
    }
    let index = LinkIndex {
        base_path: "/".into(),
        pages: HashMap::new(),
        assets: HashMap::new(),
        drafts_built: false,
        members: BTreeSet::new(),
        highlights: Arc::new(super::highlight::HighlightCache::none()),
        texts: Arc::new(TextCache::open(path.to_path_buf())),
        sanitizer: Arc::new(super::sanitize::Sanitizer::new(
            &super::sanitize::Policy::default(),
        )),
        sanitize_pages: false,
    };
    let keys: Vec<Key> = index.texts.old.keys().copied().collect();
    keys.iter()
        .filter(|k| index.texts.get(k, &index).is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::SourceText;
    use crate::markdown::highlight::HighlightCache;
    use crate::markdown::sanitize::{Policy, Sanitizer};
    use crate::markdown::stage::render_text;
    use crate::markdown::RenderOptions;

    const BODY: &str =
        "# Hi {#hi}\n\nSee [b](b.md), ![p](pic.png) and @ada.\n\n```rust\nfn main() {}\n```\n";

    fn index(cache: &Path) -> LinkIndex {
        LinkIndex {
            base_path: "/hub/".into(),
            pages: HashMap::from([(
                "content/b.md".to_string(),
                LinkTarget::Page {
                    path: "/b/".into(),
                    draft: false,
                },
            )]),
            assets: HashMap::from([("content/pic.png".to_string(), "/pic.png".to_string())]),
            drafts_built: false,
            members: BTreeSet::from(["ada".to_string()]),
            highlights: Arc::new(HighlightCache::none()),
            texts: Arc::new(TextCache::open(cache.join("texts.bin"))),
            sanitizer: Arc::new(Sanitizer::new(&Policy::default())),
            sanitize_pages: false,
        }
    }

    /// Renders BODY in `content/` into the index's cache and saves it; the content.
    fn render_and_keep(index: &LinkIndex) -> Content {
        let source = SourceText {
            path: "content/a.md".into(),
            text: Arc::from(BODY),
        };
        let dir = Path::new("content");
        let (r, problems) = render_text(&source, 0, dir, index, RenderOptions::default());
        assert!(problems.is_empty());
        let key = TextCache::key(index, dir, BODY);
        index.texts.put(key, &r.content, &r.asked, index);
        index.texts.save();
        r.content
    }

    fn kept(index: &LinkIndex) -> Option<Content> {
        index
            .texts
            .get(&TextCache::key(index, Path::new("content"), BODY), index)
    }

    fn same(a: &Content, b: &Content) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn a_text_comes_back_as_it_was_rendered() {
        let dir = tempfile::tempdir().unwrap();
        let made = render_and_keep(&index(dir.path()));
        assert!(made.html.contains("href=\"/hub/b/\""), "{}", made.html);
        assert_eq!(made.mentions, ["ada"]);
        let again = kept(&index(dir.path())).expect("found in the next build");
        assert!(same(&made, &again), "{made:?}\n{again:?}");
    }

    #[test]
    fn a_text_renders_again_when_what_it_asked_is_answered_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&index(dir.path()));
        let changes: [fn(&mut LinkIndex); 5] = [
            |i| {
                i.pages.insert(
                    "content/b.md".into(),
                    LinkTarget::Page {
                        path: "/moved/".into(),
                        draft: false,
                    },
                );
            },
            |i| {
                i.assets.remove("content/pic.png");
            },
            |i| {
                i.members.clear();
            },
            |i| i.base_path = "/".into(),
            |i| {
                i.sanitizer = Arc::new(Sanitizer::new(&Policy {
                    remote_images: true,
                    site_host: String::new(),
                }))
            },
        ];
        for (n, change) in changes.iter().enumerate() {
            let mut now = index(dir.path());
            change(&mut now);
            assert!(kept(&now).is_none(), "change {n} went unnoticed");
        }
        // What the text did not ask about does not matter.
        let mut now = index(dir.path());
        now.members.insert("grace".into());
        now.pages.insert("content/c.md".into(), LinkTarget::Broken);
        assert!(kept(&now).is_some());
    }

    #[test]
    fn the_code_blocks_of_a_kept_text_stay_in_the_highlight_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.bin");
        let with_highlights = || {
            let mut i = index(dir.path());
            i.highlights = Arc::new(HighlightCache::open(path.clone()));
            i
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
        render_and_keep(&index(dir.path()));
        // A build that used nothing and added nothing empties the cache.
        index(dir.path()).texts.save();
        assert!(kept(&index(dir.path())).is_none());
        // One that adds but never saves (check, serve's edits) leaves nothing behind.
        {
            let i = index(dir.path());
            let c = Content::default();
            i.texts.put([7; 16], &c, &Asked::default(), &i);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["texts.bin"]);
    }

    #[test]
    fn a_doctored_or_cut_cache_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        render_and_keep(&index(dir.path()));
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
        let made = kept(&index(dir.path())).unwrap();
        for i in MAGIC.len()..good.len() - MAGIC.len() - 8 {
            let mut bad = good.clone();
            bad[i] ^= 0x55;
            cases.push(bad);
        }
        for bytes in cases {
            std::fs::write(&path, &bytes).unwrap();
            if let Some(c) = kept(&index(dir.path())) {
                assert!(same(&c, &made), "a damaged entry was used: {c:?}");
            }
        }
    }

    /// Trust round two: a sparse 64 GiB file (no disk used) whose footer claims
    /// as many rows as it has room for made hearth allocate them, and abort.
    #[test]
    fn a_huge_sparse_cache_is_empty_without_allocating_it() {
        use std::io::{Seek, SeekFrom};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts.bin");
        let size: u64 = 64 << 30;
        let mut file = File::create(&path).unwrap();
        file.write_all(MAGIC).unwrap();
        if file.set_len(size).is_err() {
            eprintln!("skipped: this file system cannot make a 64 GiB sparse file");
            return;
        }
        let foot = (MAGIC.len() + 8) as u64;
        file.seek(SeekFrom::Start(size - foot)).unwrap();
        let rows = (size - foot - MAGIC.len() as u64) / ROW as u64;
        file.write_all(&rows.to_le_bytes()).unwrap();
        file.write_all(MAGIC).unwrap();
        drop(file);
        assert!(TextCache::open(path).old.is_empty());
    }
}
