//! `hearth serve`: build with drafts into memory, serve it on loopback, watch the
//! sources, rebuild what an edit touches, and reload open tabs. Nothing imports this
//! module: it drives the same pipeline as `build`.

mod asked;
pub mod http;
mod indexer;
pub mod preview;
mod request_path;
pub mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, RwLock};
use std::time::Duration;

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use tokio::sync::broadcast;

use crate::diagnostics::Diagnostics;
use crate::load::{self, LoadOptions};
use http::{App, Notice};
use state::{describe, Live};

/// How long a path must be quiet before it is rebuilt: long enough to see an
/// editor's write-then-rename (a few milliseconds apart) as one change, short enough
/// for the reload to feel instant. Bursts that outlast it coalesce in the rebuild
/// loop, which takes every event queued by the time it starts.
pub const DEBOUNCE: Duration = Duration::from_millis(25);
/// How often the debouncer checks for quiet paths.
pub const DEBOUNCE_TICK: Duration = Duration::from_millis(5);
/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 10;

pub struct ServeOptions {
    pub site: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub now: crate::model::Date,
}

#[derive(Debug)]
pub enum ServeError {
    Usage(String),
    Io(String),
}

/// Binds the first free port from `port` on (or exactly `port` when it is 0, which
/// asks the system for any).
fn bind(addr: IpAddr, port: u16) -> Result<(std::net::TcpListener, Option<u16>), ServeError> {
    let tries = if port == 0 { 1 } else { PORT_TRIES };
    let mut last = None;
    for offset in 0..tries {
        let p = port.saturating_add(offset);
        match std::net::TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => return Ok((l, (offset > 0).then_some(port))),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => {
                return Err(ServeError::Usage(format!(
                    "cannot listen on {addr}:{p}: {e}"
                )))
            }
        }
    }
    Err(ServeError::Usage(format!(
        "ports {port} to {} are all in use ({}); choose another with --port",
        port.saturating_add(PORT_TRIES - 1),
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    if !opts.site.is_dir() {
        return Err(ServeError::Usage(format!(
            "{} is not a folder",
            opts.site.display()
        )));
    }
    // File events arrive with absolute, resolved paths: compare them with the same.
    let root = std::fs::canonicalize(&opts.site)
        .map_err(|e| ServeError::Io(format!("{}: {e}", opts.site.display())))?;
    let (listener, busy) = bind(opts.bind, opts.port)?;
    let port = listener
        .local_addr()
        .map_err(|e| ServeError::Io(e.to_string()))?
        .port();
    if let Some(busy) = busy {
        println!("Port {busy} is in use; using {port} instead.");
    }
    if !opts.bind.is_loopback() {
        println!(
            "Listening on {}: the preview is visible to other machines on your network.",
            opts.bind
        );
    }
    let host = match opts.bind {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".into(),
        IpAddr::V4(a) => a.to_string(),
    };
    // Read once for the address and the output folder to ignore; every rebuild reads
    // site.yaml again (it may be what changed).
    let config = load::config(&root).ok().map(|(c, _)| c);
    let base_path = config
        .as_ref()
        .map_or_else(|| "/".to_string(), |c| c.base_path.clone());
    let local_url = format!("http://{host}:{port}{base_path}");
    let public_host = config
        .as_ref()
        .and_then(|c| url::Url::parse(&c.base_url).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let options = LoadOptions {
        drafts: true,
        base_url: Some(local_url.clone()),
        now: opts.now,
    };
    let output = config.map(|c| root.join(c.output));

    let started = std::time::Instant::now();
    let live = Live::start(&root, options.clone());
    match (&live.built, &live.problem) {
        (Some(built), _) => {
            print_warnings(&built.diagnostics);
            println!(
                "Serving {} at {local_url} (drafts included), built in {} ms. Press Ctrl+C to stop.",
                built.site.config.title,
                started.elapsed().as_millis()
            );
        }
        (None, problem) => {
            eprint!("{}", problem.as_deref().unwrap_or_default());
            println!("Serving at {local_url}: the site has errors, shown in the browser until you fix them. Press Ctrl+C to stop.");
        }
    }
    let live = Arc::new(RwLock::new(live));
    let (notices, _) = broadcast::channel(16);
    let index = indexer::spawn(root.clone(), live.clone());
    let _ = index.send(indexer::Changed::All);

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), tx)
        .map_err(|e| ServeError::Io(format!("cannot watch files: {e}")))?;
    watch_all(&mut debouncer, &root);
    {
        let live = live.clone();
        let notices = notices.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            rebuild_loop(&root, output.as_deref(), rx, &live, &notices, &index)
        });
    }
    if opts.open {
        open_browser(&local_url);
    }
    let (stop_tx, stopping) = tokio::sync::watch::channel(false);
    let app = App {
        live,
        notices,
        base_path,
        public_host,
        hosts: opts
            .bind
            .is_loopback()
            .then(|| http::loopback_hosts(opts.bind, port)),
        stopping,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(e.to_string()))?;
    let served = runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| ServeError::Io(e.to_string()))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| ServeError::Io(e.to_string()))?;
        accept_loop(listener, http::router(app), stop_tx).await;
        Ok(())
    });
    // Connections still open are dropped with the runtime, without waiting for them.
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    drop(debouncer);
    served
}

/// How long a client may take to send its request headers: a connection that opens
/// and says nothing is closed instead of held forever.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long in-flight responses get after Ctrl+C before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Accepts connections until Ctrl+C, each served by hyper with a header-read
/// timeout. On Ctrl+C every live-reload stream is told to end and the loop returns
/// at once; a second Ctrl+C is not needed.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    stop: tokio::sync::watch::Sender<bool>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    // After an error that is not one connection's (no file descriptor left, no
    // memory), accepting again at once would spin: wait, longer each time up to a
    // second, and say so once until a connection is accepted again.
    let mut backoff = Duration::ZERO;
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = tokio::signal::ctrl_c() => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => {
                if !backoff.is_zero() {
                    eprintln!("hearth serve: accepting connections again");
                    backoff = Duration::ZERO;
                }
                stream
            }
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                if backoff.is_zero() {
                    eprintln!(
                        "hearth serve: cannot accept connections ({e}); waiting (too many open files? raise `ulimit -n`)"
                    );
                }
                backoff = (backoff * 2).clamp(Duration::from_millis(50), Duration::from_secs(1));
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => continue,
                    _ = tokio::signal::ctrl_c() => break,
                }
            }
        };
        let service = TowerToHyperService::new(router.clone());
        let mut stopping = stop.subscribe();
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = stopping.wait_for(|s| *s) => {}
            }
        });
    }
    let _ = stop.send(true);
}

/// An accept error that belongs to one connection (the client gave up): the
/// next accept may well succeed at once.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

fn watch_all(
    debouncer: &mut notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: &Path,
) {
    // The site folder itself, not recursively: site.yaml, and folders that appear.
    let _ = debouncer.watch(root, RecursiveMode::NonRecursive);
    for folder in crate::model::folders::watched() {
        let path = root.join(folder.name);
        if path.is_dir() {
            let _ = debouncer.watch(&path, RecursiveMode::Recursive);
        }
    }
}

fn print_warnings(diags: &Diagnostics) {
    for d in &diags.items {
        eprint!("{}", d.render(false));
    }
}

/// Takes batches of file events, rebuilds, and tells the tabs. Runs until the
/// watcher goes away.
fn rebuild_loop(
    root: &Path,
    output: Option<&Path>,
    rx: mpsc::Receiver<DebounceEventResult>,
    live: &RwLock<Live>,
    notices: &broadcast::Sender<Notice>,
    index: &mpsc::Sender<indexer::Changed>,
) {
    while let Ok(first) = rx.recv() {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut collect = |r: DebounceEventResult| {
            if let Ok(events) = r {
                for e in events {
                    if !e.kind.is_access() {
                        paths.extend(e.paths.iter().cloned());
                    }
                }
            }
        };
        collect(first);
        while let Ok(more) = rx.try_recv() {
            collect(more);
        }
        let plan = {
            let Ok(l) = live.read() else { return };
            watch::plan(root, output, &paths, |p| l.is_page(p))
        };
        if plan.is_empty() {
            continue;
        }
        let changed = describe_paths(root, &paths);
        if edit_in_two_halves(live, notices, index, &plan, &changed) {
            continue;
        }
        let Ok(mut l) = live.write() else { return };
        match l.apply(&plan) {
            Ok(report) => {
                drop(l);
                report_rebuilt(
                    notices,
                    (index, indexer::Changed::All),
                    Notice::Reload,
                    &changed,
                    &report,
                );
            }
            Err(diags) => {
                drop(l);
                report_problem(live, notices, &diags, &changed);
            }
        }
    }
}

/// An edit to pages already served, in two halves: the pages' own files are served
/// and their tabs told to reload first; the lists that show them (a tag page of
/// thousands of entries is most of the work) are made under a read lock, so those
/// tabs load meanwhile, then served, and their tabs told. False when the plan is not
/// such an edit (or turns out to need more), and `apply` does it whole.
fn edit_in_two_halves(
    live: &RwLock<Live>,
    notices: &broadcast::Sender<Notice>,
    index: &mpsc::Sender<indexer::Changed>,
    plan: &watch::Rebuild,
    changed: &str,
) -> bool {
    if !plan.only_pages() {
        return false;
    }
    let started = std::time::Instant::now();
    let Ok(mut l) = live.write() else {
        return false;
    };
    let edit = match l.edit_first(&plan.pages) {
        Ok(Some(edit)) => edit,
        Ok(None) => return false,
        Err(diags) => {
            drop(l);
            report_problem(live, notices, &diags, changed);
            return true;
        }
    };
    drop(l);
    let _ = notices.send(Notice::ReloadPaths(edit.served()));
    let edited = indexer::Changed::Pages(edit.indices().to_vec());
    let lists = match live.read() {
        Ok(l) => l.render_lists(&edit),
        Err(_) => return true,
    };
    let Ok(mut l) = live.write() else {
        return true;
    };
    match l.finish_edit(edit, lists) {
        Ok((what, paths)) => {
            drop(l);
            let report = state::Report {
                what,
                millis: started.elapsed().as_millis(),
            };
            report_rebuilt(
                notices,
                (index, edited),
                Notice::ReloadPaths(paths),
                changed,
                &report,
            );
        }
        Err(diags) => {
            drop(l);
            report_problem(live, notices, &diags, changed);
        }
    }
    true
}

/// A rebuild is served: the tabs are told, the search index follows, and the
/// terminal gets its line.
fn report_rebuilt(
    notices: &broadcast::Sender<Notice>,
    (index, what): (&mpsc::Sender<indexer::Changed>, indexer::Changed),
    notice: Notice,
    changed: &str,
    report: &state::Report,
) {
    let _ = notices.send(notice);
    let _ = index.send(what);
    println!(
        "{changed} changed: rebuilt {} in {} ms",
        report.what, report.millis
    );
}

/// The last edit broke the site: the terminal and every tab are told, and the last
/// good site stays served.
fn report_problem(
    live: &RwLock<Live>,
    notices: &broadcast::Sender<Notice>,
    diags: &Diagnostics,
    changed: &str,
) {
    let text = describe(diags);
    if let Ok(mut l) = live.write() {
        l.problem = Some(text.clone());
    }
    eprint!("{text}");
    println!("{changed} changed: the site has errors; still serving the last good version");
    let _ = notices.send(Notice::Problem(text));
}

fn describe_paths(root: &Path, paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .filter(|p| watch::classify(root, None, p) != watch::ChangeKind::Ignored)
        .map(|p| {
            crate::load::source::display_path(root, p)
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "nothing".into(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        println!("Could not open a browser; visit {url}");
    }
}
