//! `check --external`: fetch every outside URL once (curated links, member links,
//! links in pages), a few hosts at a time and one request at a time per host, with
//! timeouts and retries. Bot blocking and rate limits (401/403/429) are warnings.
//! Good results are remembered with their date, so repeated CI runs stay fast.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use crate::model::Date;

/// How many hosts are checked at once.
pub const CONCURRENCY: usize = 8;
/// Per-request limit, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts after the first, for network errors and 5xx answers.
pub const RETRIES: u32 = 2;
/// The file of `.hearth-cache` that remembers good answers.
pub const CACHE_FILE: &str = "external.json";
/// A URL that answered well within this many days is not fetched again.
pub const CACHE_DAYS: i64 = 7;

/// What a URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok(u16),
    /// Blocked or rate-limited: maybe fine for people, so a warning.
    Blocked(u16),
    Broken(String),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Remembered {
    status: u16,
    /// Unix seconds of the check.
    checked: i64,
}

/// Good answers of earlier runs, by URL.
pub struct Cache {
    path: Option<PathBuf>,
    entries: Mutex<BTreeMap<String, Remembered>>,
}

impl Cache {
    pub fn open(path: Option<PathBuf>) -> Cache {
        let entries = path
            .as_ref()
            .and_then(|p| crate::site_fs::cache_read(p))
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Cache {
            path,
            entries: Mutex::new(entries),
        }
    }

    fn fresh(&self, url: &str, now: i64) -> Option<u16> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(url)?;
        (now - e.checked < CACHE_DAYS * 86_400).then_some(e.status)
    }

    fn remember(&self, url: &str, status: u16, now: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                url.to_string(),
                Remembered {
                    status,
                    checked: now,
                },
            );
        }
    }

    fn forget(&self, url: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(url);
        }
    }

    pub fn save(&self) {
        let (Some(path), Ok(entries)) = (&self.path, self.entries.lock()) else {
            return;
        };
        if let Ok(json) = serde_json::to_vec_pretty(&*entries) {
            let _ = crate::site_fs::cache_write(path, &json);
        }
    }
}

fn agent() -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("hearth-link-check/", env!("CARGO_PKG_VERSION")))
        .build();
    ureq::Agent::new_with_config(config)
}

fn fetch_once(agent: &ureq::Agent, url: &str) -> Result<u16, String> {
    match agent.get(url).call() {
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) => Err(e.to_string()),
    }
}

/// Fetches one URL with retries and turns the answer into an outcome.
fn fetch(agent: &ureq::Agent, url: &str) -> Outcome {
    let mut last = Outcome::Broken("not fetched".into());
    for attempt in 0..=RETRIES {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(200 * u64::from(attempt)));
        }
        last = match fetch_once(agent, url) {
            Ok(code) if code < 400 => return Outcome::Ok(code),
            Ok(code @ (401 | 403 | 429)) => return Outcome::Blocked(code),
            Ok(code) if code < 500 => return Outcome::Broken(format!("answered {code}")),
            Ok(code) => Outcome::Broken(format!("answered {code}")),
            Err(e) => Outcome::Broken(e),
        };
    }
    last
}

fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

/// Checks every URL once; the answer for each, in the input's order.
pub fn check(urls: &[String], cache: &Cache, now: Date) -> HashMap<String, Outcome> {
    let now_s = now.timestamp.as_second();
    let mut results: HashMap<String, Outcome> = HashMap::new();
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for url in urls {
        if results.contains_key(url) || by_host.values().any(|v| v.contains(url)) {
            continue;
        }
        match cache.fresh(url, now_s) {
            Some(code) => {
                results.insert(url.clone(), Outcome::Ok(code));
            }
            None => by_host.entry(host(url)).or_default().push(url.clone()),
        }
    }
    let queue = Mutex::new(by_host.into_values().collect::<VecDeque<_>>());
    let found = Mutex::new(Vec::new());
    let agent = agent();
    std::thread::scope(|s| {
        for _ in 0..CONCURRENCY {
            s.spawn(|| loop {
                let Some(urls) = queue.lock().ok().and_then(|mut q| q.pop_front()) else {
                    return;
                };
                for url in urls {
                    let outcome = fetch(&agent, &url);
                    match &outcome {
                        Outcome::Ok(code) => cache.remember(&url, *code, now_s),
                        _ => cache.forget(&url),
                    }
                    if let Ok(mut f) = found.lock() {
                        f.push((url, outcome));
                    }
                }
            });
        }
    });
    results.extend(found.into_inner().unwrap_or_default());
    results
}
