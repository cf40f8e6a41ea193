//! hearth's search index against Pagefind's own indexer, file by file: the same
//! records (the example site's, and a 1,000-page corpus from
//! `../shared/bench/gen_site.py`) are indexed by both, every file is decoded
//! (gzip, CBOR, JSON) and what the browser reads is compared: each page's
//! fragment (URL, text, word count, metadata, filters, anchors), each word's
//! pages with their positions, weights and metadata positions, each accented
//! form, and the kind filter. File names differ (hearth hashes with BLAKE3) and
//! so may chunk boundaries; nothing a query can see may.
//!
//! It also holds the index to itself: the same records give byte-identical files
//! with one thread or several.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::site::TestSite;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use bytes::Bytes;

/// A decoded CBOR value: the index uses only these.
#[derive(Debug, Clone, PartialEq)]
enum Cbor {
    Int(i128),
    Str(String),
    List(Vec<Cbor>),
}

impl Cbor {
    fn list(&self) -> &[Cbor] {
        match self {
            Cbor::List(l) => l,
            other => panic!("not a list: {other:?}"),
        }
    }
    fn str(&self) -> &str {
        match self {
            Cbor::Str(s) => s,
            other => panic!("not a string: {other:?}"),
        }
    }
    fn int(&self) -> i128 {
        match self {
            Cbor::Int(i) => *i,
            other => panic!("not a number: {other:?}"),
        }
    }
}

fn cbor(b: &[u8], at: &mut usize) -> Cbor {
    let head = b[*at];
    *at += 1;
    let (major, info) = (head >> 5, head & 31);
    let n: u64 = match info {
        0..=23 => u64::from(info),
        24..=27 => {
            let len = 1usize << (info - 24);
            let mut v = 0u64;
            for i in 0..len {
                v = (v << 8) | u64::from(b[*at + i]);
            }
            *at += len;
            v
        }
        _ => panic!("indefinite CBOR at {at}"),
    };
    match major {
        0 => Cbor::Int(i128::from(n)),
        1 => Cbor::Int(-1 - i128::from(n)),
        3 => {
            let s = std::str::from_utf8(&b[*at..*at + n as usize])
                .unwrap()
                .to_string();
            *at += n as usize;
            Cbor::Str(s)
        }
        4 => Cbor::List((0..n).map(|_| cbor(b, at)).collect()),
        m => panic!("CBOR major type {m}"),
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    assert!(
        out.starts_with(b"pagefind_dcd"),
        "every index file is signed"
    );
    out.split_off(12)
}

fn decode(bytes: &[u8]) -> Cbor {
    let plain = gunzip(bytes);
    let mut at = 0;
    let v = cbor(&plain, &mut at);
    assert_eq!(at, plain.len(), "one CBOR value per file");
    v
}

/// What the browser can see of an index, keyed by URLs and names instead of
/// page numbers, file names and field numbers.
#[derive(Debug, PartialEq)]
struct Seen {
    version: String,
    languages: BTreeMap<String, Language>,
}

/// URL → (positions, metadata positions with field names).
type Postings = BTreeMap<String, (Vec<i128>, Vec<String>)>;

#[derive(Debug, PartialEq)]
struct Language {
    wasm: Option<String>,
    page_count: u64,
    /// URL → (word count in the metadata file, the fragment's JSON).
    pages: BTreeMap<String, (i128, serde_json::Value)>,
    /// The URLs in page order (results tie by it).
    order: Vec<String>,
    /// word → its postings.
    words: BTreeMap<String, Postings>,
    /// word → accented form → its postings.
    variants: BTreeMap<String, BTreeMap<String, Postings>>,
    /// kind → URLs.
    kinds: BTreeMap<String, Vec<String>>,
    /// Every chunk's word range holds its words, and ranges are in order.
    ranges_hold: bool,
}

fn read_index(files: &BTreeMap<String, Bytes>) -> Seen {
    let entry: serde_json::Value = serde_json::from_slice(&files["pagefind-entry.json"]).unwrap();
    let mut languages = BTreeMap::new();
    for (lang, info) in entry["languages"].as_object().unwrap() {
        let hash = info["hash"].as_str().unwrap();
        let meta = decode(&files[&format!("pagefind.{hash}.pf_meta")]);
        let meta = meta.list();
        assert_eq!(meta[0].str(), entry["version"].as_str().unwrap());
        let fields: Vec<String> = meta[5].list().iter().map(|f| f.str().to_string()).collect();
        let mut pages = BTreeMap::new();
        let mut order = Vec::new();
        for p in meta[1].list() {
            let p = p.list();
            let fragment = gunzip(&files[&format!("fragment/{}.pf_fragment", p[0].str())]);
            let json: serde_json::Value = serde_json::from_slice(&fragment).unwrap();
            let url = json["url"].as_str().unwrap().to_string();
            assert_eq!(p[2].str(), "", "no fragment groups");
            order.push(url.clone());
            pages.insert(url, (p[1].int(), json));
        }
        let meta_locs = |l: &[Cbor]| -> Vec<String> {
            let mut field = String::new();
            l.iter()
                .filter_map(|v| {
                    let v = v.int();
                    if v < 0 {
                        field = fields[(-v - 1) as usize].clone();
                        None
                    } else {
                        Some(format!("{field}:{v}"))
                    }
                })
                .collect()
        };
        let postings = |list: &[Cbor]| {
            let mut out = BTreeMap::new();
            let mut page = 0i128;
            for p in list {
                let p = p.list();
                page += p[0].int();
                let locs = p[1].list().iter().map(Cbor::int).collect();
                out.insert(order[page as usize].clone(), (locs, meta_locs(p[2].list())));
            }
            out
        };
        let mut words = BTreeMap::new();
        let mut variants = BTreeMap::new();
        let mut ranges_hold = true;
        let mut last_to = String::new();
        for chunk in meta[2].list() {
            let c = chunk.list();
            let (from, to) = (c[0].str(), c[1].str());
            ranges_hold &= from > last_to.as_str() || last_to.is_empty();
            last_to = to.to_string();
            let index = decode(&files[&format!("index/{}.pf_index", c[2].str())]);
            for w in index.list()[0].list() {
                let w = w.list();
                let word = w[0].str().to_string();
                ranges_hold &=
                    word.as_str() >= from && (word.as_str() <= to || word.starts_with(to));
                let forms: BTreeMap<_, _> = w[2]
                    .list()
                    .iter()
                    .map(|v| {
                        let v = v.list();
                        (v[0].str().to_string(), postings(v[1].list()))
                    })
                    .collect();
                if !forms.is_empty() {
                    variants.insert(word.clone(), forms);
                }
                assert!(words.insert(word, postings(w[1].list())).is_none());
            }
        }
        let mut kinds = BTreeMap::new();
        for f in meta[3].list() {
            let f = f.list();
            assert_eq!(f[0].str(), "kind");
            let filter = decode(&files[&format!("filter/{}.pf_filter", f[1].str())]);
            for v in filter.list()[1].list() {
                let v = v.list();
                let urls = v[1]
                    .list()
                    .iter()
                    .map(|p| order[p.int() as usize].clone())
                    .collect();
                kinds.insert(v[0].str().to_string(), urls);
            }
        }
        languages.insert(
            lang.clone(),
            Language {
                wasm: info["wasm"].as_str().map(str::to_string),
                page_count: info["page_count"].as_u64().unwrap(),
                pages,
                order,
                words,
                variants,
                kinds,
                ranges_hold,
            },
        );
    }
    Seen {
        version: entry["version"].as_str().unwrap().to_string(),
        languages,
    }
}

fn ours(site: &hearth::model::Site) -> BTreeMap<String, Bytes> {
    let (outputs, _) = hearth::search::index_site(site, None).unwrap();
    outputs
        .into_iter()
        .map(|o| {
            let name = o.path.strip_prefix("pagefind/").unwrap().to_string();
            let hearth::output::Body::Bytes(bytes) = o.body else {
                panic!("{name} is not bytes")
            };
            (name, bytes)
        })
        .collect()
}

fn pagefinds(site: &hearth::model::Site) -> BTreeMap<String, Bytes> {
    let records = hearth::search::records(site);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .exclude_selectors(vec![".anchor".into()])
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).unwrap();
        for r in records {
            index
                .add_html_file(None, Some(r.url.clone()), r.html())
                .await
                .unwrap();
        }
        index
            .get_files()
            .await
            .unwrap()
            .into_iter()
            .map(|f| {
                (
                    f.filename.to_string_lossy().replace('\\', "/"),
                    Bytes::from(f.contents),
                )
            })
            .collect()
    })
}

fn load(root: &Path) -> hearth::Built {
    load_for(root, None)
}

fn load_for(root: &Path, base_url: Option<&str>) -> hearth::Built {
    let opts = hearth::load::LoadOptions {
        drafts: false,
        base_url: base_url.map(str::to_string),
        // The day `common::run` builds on (SOURCE_DATE_EPOCH).
        now: hearth::model::Date::parse("2026-11-22").unwrap(),
    };
    hearth::load_site(root, &opts).unwrap_or_else(|d| panic!("{d:?}"))
}

fn compare(root: &Path) {
    let built = load(root);
    let a = read_index(&ours(&built.site));
    let b = read_index(&pagefinds(&built.site));
    assert_eq!(a.version, b.version);
    assert_eq!(
        a.languages.keys().collect::<Vec<_>>(),
        b.languages.keys().collect::<Vec<_>>()
    );
    for (lang, x) in &a.languages {
        let y = &b.languages[lang];
        assert!(x.ranges_hold, "hearth's chunk ranges hold their words");
        assert_eq!(x.wasm, y.wasm);
        assert_eq!(x.page_count, y.page_count);
        assert_eq!(x.order, y.order, "pages in the same order");
        for (url, page) in &y.pages {
            assert_eq!(x.pages.get(url), Some(page), "the fragment of {url}");
        }
        assert_eq!(x.pages.len(), y.pages.len());
        assert_eq!(x.kinds, y.kinds);
        let missing: Vec<_> = y
            .words
            .keys()
            .filter(|w| !x.words.contains_key(*w))
            .take(10)
            .collect();
        let extra: Vec<_> = x
            .words
            .keys()
            .filter(|w| !y.words.contains_key(*w))
            .take(10)
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "words only Pagefind has: {missing:?}; only hearth: {extra:?}"
        );
        for (word, pages) in &y.words {
            assert_eq!(&x.words[word], pages, "the postings of {word:?}");
        }
        assert_eq!(x.variants, y.variants);
    }
}

#[test]
fn the_example_site_indexes_as_pagefind_indexes_it() {
    compare(&common::example_site());
}

/// The shared benchmark corpus of `pages` pages, generated into a fresh folder.
fn corpus(pages: usize) -> Option<tempfile::TempDir> {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_site.py");
    let found = gen.is_file() && common::has_command("python3", "--version");
    if !common::require_tool(found, "python3 and ../shared/bench/gen_site.py") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("python3")
        .arg(&gen)
        .args(["--pages", &pages.to_string(), "--flavor", "plain", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    Some(dir)
}

#[test]
fn the_same_records_give_the_same_bytes_with_one_thread_or_several() {
    let built = load(&common::example_site());
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let a = one.install(|| ours(&built.site));
    let b = four.install(|| ours(&built.site));
    assert!(a.len() > 5);
    assert!(a == b, "byte-identical index files");
}

/// Thirty queries of every sort: names, accents, two words, prefixes, stems,
/// tags, code, a rule, a place; words of the example site and of the corpus.
const QUERIES: &[&str] = &[
    "workshop",
    "workshops",
    "error handling",
    "embedded rust",
    "Okafor",
    "Petrović",
    "Petrovic",
    "Inês",
    "basil",
    "plant monitor",
    "harassment",
    "moderation",
    "async reading group",
    "tokio",
    "tokio tutorial",
    "Makerspace Porto",
    "december call",
    "spotlight",
    "#rust",
    "comm",
    "microcontroller",
    "proptest",
    "community workshop",
    "release notes",
    "contributors",
    "Result",
    "unwrap",
    "zzzznothing",
    "the",
    "guide to testing",
];

/// A site's index and Pagefind's for the same records, published side by side,
/// searched in Chromium through the same pagefind.js.
fn same_in_a_browser(site: &Path) {
    let Some(tools) = common::browser_tools(&[], true) else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let port = common::serve::free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let ours = format!("{base}ours/");
    let r = common::run(
        &[
            "build",
            ".",
            "-o",
            root.path().join("ours").to_str().unwrap(),
            "--base-url",
            &ours,
        ],
        site,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let built = load_for(site, Some(&ours));
    for (name, bytes) in pagefinds(&built.site) {
        let path = root.path().join("theirs/pagefind").join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let _server = common::serve::static_server(root.path(), port, "/ours/");
    let out = common::browser_script("search_same.mjs", &tools, &base, QUERIES);
    assert!(
        out.contains(&format!(
            "{0} of {0} queries gave the same results, 0 problems",
            QUERIES.len()
        )),
        "{out}"
    );
}

#[test]
fn the_example_site_finds_the_same_in_a_browser() {
    same_in_a_browser(&common::example_site());
}

/// The 1,000-page corpus, generated once for both checks.
#[test]
fn a_thousand_page_corpus_indexes_and_finds_as_pagefind_does() {
    let Some(site) = corpus(1000) else { return };
    compare(site.path());
    same_in_a_browser(site.path());
}

/// With `--features search-cjk`, Chinese, Japanese and Thai pages are cut into
/// words and pairs of characters as Pagefind's extended build cuts them.
#[cfg(feature = "search-cjk")]
#[test]
fn segmented_languages_index_as_pagefinds_extended_build() {
    let site = TestSite::from_files(&[
        (
            "site.yaml",
            "title: 東京 Rust\nbase_url: https://example.org/hub/\nlanguage: ja\n",
        ),
        ("content/_index.md", "---\ntitle: ホーム\n---\n東京のRustコミュニティへようこそ。毎月勉強会を開いています。\n"),
        (
            "content/news/2026-11-01-meetup.md",
            "---\ntitle: 勉強会のお知らせ\n---\n## 概要\n\n非同期プログラミングについて話します。カタカナのテキストとひらがなを混ぜた文章です。\n",
        ),
        (
            "content/zh.md",
            "---\ntitle: 中文页面\nlanguage: zh-CN\n---\n我们每个月举办一次聚会，讨论错误处理和异步编程。\n",
        ),
        (
            "content/th.md",
            "---\ntitle: หน้าภาษาไทย\nlanguage: th\n---\nวิกิพีเดียเป็นสารานุกรมเสรี เราพบกันทุกเดือนเพื่อเรียนรู้ภาษารัสต์\n",
        ),
    ]);
    compare(site.path());
}

/// `serve` encodes an edit's words again and keeps the rest: the files must be
/// those of the edited records encoded from scratch, byte for byte.
#[test]
fn an_edit_encoded_incrementally_equals_the_edited_records_from_scratch() {
    let built = load(&common::example_site());
    let site = &built.site;
    let all = || hearth::search::slotted_records(site);
    let edited = || {
        let mut r = all();
        // One page gains a new word and loses one, another changes a heading.
        r[1].1.body = r[1].1.body.replacen("the", "zyzzyva", 1);
        let last = r.len() - 1;
        r[last]
            .1
            .body
            .push_str("<h2 id=\"more\">More words</h2><p>Quokka sightings.</p>");
        r
    };
    let files = |outputs: Vec<hearth::output::Output>| -> BTreeMap<String, Bytes> {
        outputs
            .into_iter()
            .map(|o| {
                let hearth::output::Body::Bytes(b) = o.body else {
                    panic!("bytes")
                };
                (o.path, b)
            })
            .collect()
    };
    let mut serve = hearth::search::Index::open(None).for_serve();
    serve.add(all());
    let first = files(serve.finish().unwrap().0);
    serve.add(edited());
    let (outputs, stats) = serve.finish().unwrap();
    assert_eq!(stats.digested, 2, "only the edited records are digested");
    let incremental = files(outputs);
    let mut fresh = hearth::search::Index::open(None).for_serve();
    fresh.add(edited());
    let scratch = files(fresh.finish().unwrap().0);
    assert!(incremental != first, "the edit changed the index");
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        scratch.keys().collect::<Vec<_>>()
    );
    assert!(incremental == scratch, "byte-identical files");
    // A second edit on top of the first (entries spliced before are spliced
    // again): still what the records give from scratch.
    let again = || {
        let mut r = edited();
        r[1].1.body = r[1].1.body.replacen("zyzzyva", "the the", 1);
        r[2].1.body.push_str("<p>Another line about workshops.</p>");
        r
    };
    serve.add(again());
    let incremental = files(serve.finish().unwrap().0);
    let mut fresh = hearth::search::Index::open(None).for_serve();
    fresh.add(again());
    assert!(
        incremental == files(fresh.finish().unwrap().0),
        "byte-identical after two edits"
    );
}

/// `serve` after an edit to pages makes only those pages' records again; the
/// index must be the one all records give.
#[test]
fn replacing_a_page_record_equals_all_records_from_scratch() {
    let built = load(&common::example_site());
    let site = &built.site;
    let all = hearth::search::slotted_records(site);
    let mut serve = hearth::search::Index::open(None).for_serve();
    serve.add(all.clone());
    serve.finish().unwrap();
    let hearth::search::Slot(_, page, _) = all[0].0;
    let mut edited = all.clone();
    edited[0]
        .1
        .body
        .push_str("<p>A word no page had: zqxqz.</p>");
    serve.replace_pages(&[page as usize], vec![edited[0].clone()]);
    let (replaced, stats) = serve.finish().unwrap();
    assert_eq!(stats.digested, 1);
    let mut fresh = hearth::search::Index::open(None).for_serve();
    fresh.add(edited);
    let (scratch, _) = fresh.finish().unwrap();
    let bytes = |o: Vec<hearth::output::Output>| -> Vec<(String, Bytes)> {
        o.into_iter()
            .map(|o| {
                let hearth::output::Body::Bytes(b) = o.body else {
                    panic!("bytes")
                };
                (o.path, b)
            })
            .collect()
    };
    assert!(bytes(replaced) == bytes(scratch));
}

/// A raw GET of `target` from serve: status line and body bytes.
fn get_bytes(port: u16, target: &str) -> (String, Vec<u8>) {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let body = raw[split + 4..].to_vec();
    (head.lines().next().unwrap_or("").to_string(), body)
}

/// Every file of the index `serve` serves under `base`, read through its entry.
fn served_index(port: u16, base: &str) -> BTreeMap<String, Bytes> {
    let fetch = |name: &str| {
        let (status, body) = get_bytes(port, &format!("{base}pagefind/{name}"));
        assert!(status.contains("200"), "{name}: {status}");
        (name.to_string(), Bytes::from(body))
    };
    let mut files = BTreeMap::from([fetch("pagefind-entry.json")]);
    let entry: serde_json::Value = serde_json::from_slice(&files["pagefind-entry.json"]).unwrap();
    for info in entry["languages"].as_object().unwrap().values() {
        let (name, bytes) = fetch(&format!(
            "pagefind.{}.pf_meta",
            info["hash"].as_str().unwrap()
        ));
        let meta = decode(&bytes);
        files.insert(name, bytes);
        let meta = meta.list();
        let mut names = Vec::new();
        for p in meta[1].list() {
            names.push(format!("fragment/{}.pf_fragment", p.list()[0].str()));
        }
        for c in meta[2].list() {
            names.push(format!("index/{}.pf_index", c.list()[2].str()));
        }
        for f in meta[3].list() {
            names.push(format!("filter/{}.pf_filter", f.list()[1].str()));
        }
        files.extend(names.iter().map(|n| fetch(n)));
    }
    files
}

#[test]
fn serve_puts_an_edit_to_a_page_into_the_index() {
    let site = TestSite::minimal();
    let server = common::serve::start(site.path());
    let entry = |unlike: &[u8]| {
        let started = std::time::Instant::now();
        loop {
            let (status, body) = get_bytes(server.port, "/hub/pagefind/pagefind-entry.json");
            if status.contains("200") && body != unlike {
                return body;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "no new index"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    let first = entry(b"");
    common::write(
        site.path(),
        "content/about.md",
        "---\ntitle: About\n---\n## Who we are\n\nPeople, and a zqxqz.\n",
    );
    entry(&first);
    let seen = read_index(&served_index(server.port, "/hub/"));
    let en = seen.languages.values().next().unwrap();
    assert_eq!(
        en.words
            .get("zqxqz")
            .map(|p| p.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["/hub/about/".to_string()]),
        "the edited page's new word is found on it"
    );
    assert!(en.words.contains_key("peopl"), "its other words stay");
}
