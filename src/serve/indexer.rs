//! The search index in `serve`: made on a thread of its own after each rebuild, so
//! a reload never waits for it. Until it is done the last index is served (a
//! moment of stale results); a failed one leaves the last good one in place.

use std::path::PathBuf;
use std::sync::{mpsc, Arc, RwLock};
use std::time::Duration;

use super::state::Live;
use crate::{search, site_fs};

/// How long edits may keep coming before the index is made: a burst of saves
/// indexes once. Short, because an edit's page is rebuilt before this is asked.
const SETTLE: Duration = Duration::from_millis(15);

/// Starts the indexer; send `()` after each successful rebuild.
pub fn spawn(root: PathBuf, live: Arc<RwLock<Live>>) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        // The first index reads and writes the cache (so the next start is
        // warm); after it, the digests kept in memory are the cache, and only the
        // records an edit changed are digested again.
        let cache = site_fs::cache_dir(&root, search::CACHE_DIR).ok();
        let mut index = search::Index::open(cache.as_deref()).for_serve();
        let mut served = false;
        while rx.recv().is_ok() {
            std::thread::sleep(SETTLE);
            while rx.try_recv().is_ok() {}
            let records = {
                let Ok(l) = live.read() else { return };
                match &l.built {
                    Some(b) if b.site.config.search.enabled => {
                        let site = &b.site;
                        let mut all =
                            search::page_records(site, &(0..site.pages.len()).collect::<Vec<_>>());
                        all.extend(search::other_records(site));
                        Some(all)
                    }
                    Some(_) => None,
                    None => continue,
                }
            };
            // Search turned off, or nothing to find: no index is served.
            let Some(records) = records.filter(|r| !r.is_empty()) else {
                if let Ok(mut l) = live.write() {
                    l.set_search(Vec::new());
                }
                served = false;
                continue;
            };
            index.add(records);
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
