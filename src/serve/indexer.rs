//! The search index in `serve`: made on a thread of its own after each rebuild, so
//! a reload never waits for it. Until it is done the last index is served (a
//! moment of stale results); a failed one leaves the last good one in place.

use std::path::PathBuf;
use std::sync::{mpsc, Arc, RwLock};
use std::time::Duration;

use super::state::Live;
use crate::{search, site_fs};

/// How long edits may keep coming before the index is made: a burst of saves
/// indexes once. Short, because an edit's pages are rebuilt before this is asked.
const SETTLE: Duration = Duration::from_millis(2);

/// What a rebuild changed, for the index: some pages only (their records are
/// made again, the rest stand), or anything.
pub enum Changed {
    Pages(Vec<usize>),
    All,
}

/// Starts the indexer; send what changed after each successful rebuild.
pub fn spawn(root: PathBuf, live: Arc<RwLock<Live>>) -> mpsc::Sender<Changed> {
    let (tx, rx) = mpsc::channel::<Changed>();
    std::thread::spawn(move || {
        // The first index reads and writes the cache (so the next start is
        // warm); after it, the digests kept in memory are the cache, and only the
        // records an edit changed are digested again.
        let cache = site_fs::cache_dir(&root, search::CACHE_DIR).ok();
        let mut index = search::Index::open(cache.as_deref()).for_serve();
        let mut served = false;
        while let Ok(first) = rx.recv() {
            std::thread::sleep(SETTLE);
            let mut changed = first;
            while let Ok(more) = rx.try_recv() {
                changed = match (changed, more) {
                    (Changed::Pages(mut a), Changed::Pages(b)) => {
                        a.extend(b);
                        Changed::Pages(a)
                    }
                    _ => Changed::All,
                };
            }
            let Ok(l) = live.read() else { return };
            let (site, editions) = match &l.built {
                Some(b) if b.site.config.search.enabled => (&b.site, &b.editions),
                Some(_) => {
                    // Search turned off: no index is served.
                    drop(l);
                    served = serve_none(&live);
                    continue;
                }
                None => continue,
            };
            match changed {
                Changed::Pages(pages) if served => {
                    let records = search::page_records(site, &pages);
                    index.replace_pages(&pages, records);
                }
                _ => {
                    let mut all = search::slotted_records(site);
                    for (k, e) in editions.iter().enumerate() {
                        all.extend(search::in_edition(search::slotted_records(&e.site), k + 1));
                    }
                    if all.is_empty() {
                        // Nothing to find: no index is served.
                        drop(l);
                        served = serve_none(&live);
                        continue;
                    }
                    index.add(all);
                }
            }
            drop(l);
            if served && index.unchanged() {
                continue;
            }
            match index.finish() {
                Ok((outputs, _)) => {
                    index.forget_cache();
                    let Ok(mut l) = live.write() else { return };
                    l.set_search(outputs);
                    served = true;
                }
                Err(d) => eprint!("{}", d.render(false)),
            }
        }
    });
    tx
}

/// Serves no search index (search off, or nothing to find); false: none is
/// served now.
fn serve_none(live: &RwLock<Live>) -> bool {
    if let Ok(mut l) = live.write() {
        l.set_search(Vec::new());
    }
    false
}
