//! `check --external`: fetch every outside URL once (curated links, member links,
//! links in pages), a few hosts at a time and one request at a time per host, with
//! timeouts and retries. Bot blocking and rate limits (401/403/429) are warnings.
//! Good results are remembered with their date, so repeated CI runs stay fast.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{IpAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::model::Date;

/// How many hosts are checked at once.
pub const CONCURRENCY: usize = 8;
/// Per-request limit, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts after the first, for network errors and 5xx answers.
pub const RETRIES: u32 = 2;
/// The status remembered for a broken link (no answer, or an error answer).
const BROKEN: u16 = 0;
/// The file of `.hearth-cache` that remembers answers: good ones spare the next
/// check a fetch, broken ones are what `hearth report` counts.
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
    /// Not fetched: a private address without `--allow-private`, or out of time.
    NotChecked(String),
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
    /// The file was there and read as answers: only then does it say which links
    /// are broken (a garbage file says nothing, not "none").
    read: bool,
}

impl Cache {
    pub fn open(path: Option<PathBuf>) -> Cache {
        let entries: Option<BTreeMap<String, Remembered>> = path
            .as_ref()
            .and_then(|p| crate::site_fs::cache_read(p))
            .and_then(|b| serde_json::from_slice(&b).ok());
        Cache {
            path,
            read: entries.is_some(),
            entries: Mutex::new(entries.unwrap_or_default()),
        }
    }

    fn fresh(&self, url: &str, now: i64) -> Option<u16> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(url)?;
        ((1..400).contains(&e.status) && now - e.checked < CACHE_DAYS * 86_400).then_some(e.status)
    }

    /// The URLs the last `check --external` found broken (kept so `hearth report`
    /// can count them; a broken URL is always fetched again).
    pub fn broken(&self) -> std::collections::BTreeSet<String> {
        self.entries
            .lock()
            .map(|e| {
                e.iter()
                    .filter(|(_, r)| r.status == BROKEN)
                    .map(|(u, _)| u.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether a cache file was there and read as answers.
    pub fn exists(&self) -> bool {
        self.read
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
        // Redirects are followed by hand, each hop's address checked first.
        .max_redirects(0)
        .max_response_header_size(64 * 1024)
        .user_agent(concat!("hearth-link-check/", env!("CARGO_PKG_VERSION")))
        .build();
    ureq::Agent::new_with_config(config)
}

/// How many redirects a link may take.
pub const MAX_REDIRECTS: usize = 5;
/// How long `check --external` may take in all; links not reached by then are
/// reported as not checked, so a page of slow links cannot hold CI for an hour.
pub const BUDGET: Duration = Duration::from_secs(180);

/// What `check --external` may reach.
#[derive(Clone, Copy)]
pub struct Policy {
    /// `--allow-private`: also fetch loopback, private and link-local addresses.
    pub allow_private: bool,
    pub budget: Duration,
    /// Which addresses count as not public (tests narrow it to reach their own
    /// server on 127.0.0.1 while still refusing another loopback address).
    pub is_private: fn(&IpAddr) -> bool,
}

impl Policy {
    pub fn new(allow_private: bool) -> Policy {
        Policy {
            allow_private,
            budget: BUDGET,
            is_private,
        }
    }
}

/// Addresses a link check must not reach from CI unless asked to: loopback, private
/// (RFC 1918), carrier-grade NAT, link-local (169.254.169.254 is the cloud metadata
/// service), unique-local, multicast, unspecified and broadcast.
pub fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_loopback()
                || a.is_private()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return is_private(&IpAddr::V4(v4));
            }
            let first = a.segments()[0];
            a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Why a URL's host may not be fetched under `policy`, if it may not.
fn refused(url: &url::Url, policy: &Policy) -> Option<String> {
    if policy.allow_private {
        return None;
    }
    let host = url.host_str()?;
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => (host, port)
            .to_socket_addrs()
            .map(|a| a.map(|s| s.ip()).collect())
            .unwrap_or_default(),
    };
    addrs.iter().find(|ip| (policy.is_private)(ip)).map(|ip| {
        format!(
            "not checked: {} is a private address ({ip}); run with --allow-private to check it",
            url.host_str().unwrap_or(host)
        )
    })
}

/// One GET, following redirects by hand so every hop's address is checked.
fn fetch_once(agent: &ureq::Agent, url: &str, policy: &Policy) -> Result<u16, Outcome> {
    let mut current = url::Url::parse(url).map_err(|e| Outcome::Broken(e.to_string()))?;
    for _ in 0..=MAX_REDIRECTS {
        if let Some(why) = refused(&current, policy) {
            return Err(Outcome::NotChecked(why));
        }
        // The body is never read: the status says what we need.
        let response = agent
            .get(current.as_str())
            .call()
            .map_err(|e| Outcome::Broken(e.to_string()))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        drop(response);
        match (status, location) {
            (300..=399, Some(to)) => {
                current = current
                    .join(&to)
                    .map_err(|e| Outcome::Broken(format!("redirects to `{to}`: {e}")))?;
            }
            _ => return Ok(status),
        }
    }
    Err(Outcome::Broken(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}

/// Fetches one URL with retries and turns the answer into an outcome.
fn fetch(agent: &ureq::Agent, url: &str, policy: &Policy, deadline: Instant) -> Outcome {
    let mut last = Outcome::Broken("not fetched".into());
    for attempt in 0..=RETRIES {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(200 * u64::from(attempt)));
        }
        if Instant::now() >= deadline {
            return out_of_time();
        }
        last = match fetch_once(agent, url, policy) {
            Ok(code) if code < 400 => return Outcome::Ok(code),
            Ok(code @ (401 | 403 | 429)) => return Outcome::Blocked(code),
            Ok(code) if code < 500 => return Outcome::Broken(format!("answered {code}")),
            Ok(code) => Outcome::Broken(format!("answered {code}")),
            Err(e @ Outcome::NotChecked(_)) => return e,
            Err(e) => e,
        };
    }
    last
}

fn out_of_time() -> Outcome {
    Outcome::NotChecked(format!(
        "not checked: the {} s budget of `check --external` ran out",
        BUDGET.as_secs()
    ))
}

fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

/// Checks every URL once; the answer for each.
pub fn check(
    urls: &[String],
    cache: &Cache,
    now: Date,
    policy: &Policy,
) -> HashMap<String, Outcome> {
    let deadline = Instant::now() + policy.budget;
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
                    let outcome = if Instant::now() >= deadline {
                        out_of_time()
                    } else {
                        fetch(&agent, &url, policy, deadline)
                    };
                    match &outcome {
                        Outcome::Ok(code) => cache.remember(&url, *code, now_s),
                        Outcome::Broken(_) => cache.remember(&url, BROKEN, now_s),
                        Outcome::NotChecked(_) => {}
                        Outcome::Blocked(_) => cache.forget(&url),
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
