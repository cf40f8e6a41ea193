//! The search index in `serve`: made on a thread of its own after each rebuild, so
//! a reload never waits for it. Until it is done the last index is served (a
//! moment of stale results); a failed one leaves the last good one in place.

use std::path::PathBuf;
use std::sync::{mpsc, Arc, RwLock};
use std::time::Duration;

use super::state::Live;
use crate::{search, site_fs};

/// How long edits may keep coming before the index is made: a burst of saves
/// indexes once.
const SETTLE: Duration = Duration::from_millis(300);

/// Starts the indexer; send `()` after each successful rebuild.
pub fn spawn(root: PathBuf, live: Arc<RwLock<Live>>) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut last = String::new();
        while rx.recv().is_ok() {
            std::thread::sleep(SETTLE);
            while rx.try_recv().is_ok() {}
            let records = {
                let Ok(l) = live.read() else { return };
                match &l.built {
                    Some(b) if b.site.config.search.enabled => Some(search::Records::of(&b.site)),
                    Some(_) => None,
                    None => continue,
                }
            };
            // Search turned off, or nothing to find: no index is served.
            let Some(records) = records.filter(|r| !r.list.is_empty()) else {
                if let Ok(mut l) = live.write() {
                    l.set_search(Vec::new());
                }
                last.clear();
                continue;
            };
            if records.key == last {
                continue;
            }
            let key = records.key.clone();
            let cache = site_fs::cache_dir(&root, search::CACHE_DIR).ok();
            match search::index(records, cache.as_deref()) {
                Ok((outputs, _)) => {
                    let Ok(mut l) = live.write() else { return };
                    l.set_search(outputs);
                    last = key;
                }
                Err(d) => eprint!("{}", d.render(false)),
            }
        }
    });
    tx
}
