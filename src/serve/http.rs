//! The preview server: files from memory, the site's 404 page, live reload over
//! server-sent events, and the error overlay. It never reads a path a request names:
//! requests are looked up in the built site's file map, so nothing outside the
//! output can be served.

pub use super::request_path::clean_path;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Body as HttpBody;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use super::preview::{self, PREVIEW_PATH};
use super::state::Live;
use crate::output::Body;

/// Where the browser listens for reloads.
pub const LIVE_RELOAD_PATH: &str = "/__livereload";

/// What the server tells open tabs.
#[derive(Debug, Clone)]
pub enum Notice {
    /// New files are in place: reload.
    Reload,
    /// These files (output paths) are new: the tabs showing one of them reload,
    /// and so does a tab showing a problem (the edit may have mended it).
    ReloadPaths(Vec<String>),
    /// The last edit broke the site: show this text over the page.
    Problem(String),
}

#[derive(Clone)]
pub struct App {
    pub live: Arc<RwLock<Live>>,
    pub notices: broadcast::Sender<Notice>,
    /// The base_url's path prefix ("/" or "/hub/").
    pub base_path: String,
    /// The Host headers answered; `None` answers any (a preview bound to a public
    /// address on purpose).
    pub hosts: Option<Vec<String>>,
    /// The host of site.yaml's base_url: what networks show once the site is
    /// published (the served pages carry the local address instead).
    pub public_host: String,
    /// Ends every live-reload stream when the server stops, so Ctrl+C is not kept
    /// waiting by an open tab.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

/// The Host headers a preview bound to loopback answers: its own names, with or
/// without the port. A page on another site that points a name of its own at
/// 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
pub fn loopback_hosts(bound: std::net::IpAddr, port: u16) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
    ];
    let own = match bound {
        std::net::IpAddr::V6(a) => format!("[{a}]"),
        std::net::IpAddr::V4(a) => a.to_string(),
    };
    if !names.contains(&own) {
        names.push(own);
    }
    let with_port: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    names.extend(with_port);
    names
}

/// Whether the request's Host is one this preview answers.
fn host_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(hosts) = &app.hosts else {
        return true;
    };
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
}

fn misdirected() -> Response {
    (
        StatusCode::MISDIRECTED_REQUEST,
        "hearth serve answers only localhost, 127.0.0.1 and [::1]",
    )
        .into_response()
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(LIVE_RELOAD_PATH, get(live_reload))
        .route(PREVIEW_PATH, get(preview_index))
        .route(&format!("{PREVIEW_PATH}/"), get(preview_index))
        .route(&format!("{PREVIEW_PATH}/{{*page}}"), get(preview_page))
        .fallback(serve_file)
        .with_state(app)
}

/// The output file that serves a site path with the base path ("/hub/news/"), when
/// the site has it.
fn page_key(app: &App, page_path: &str) -> Option<String> {
    let rel = page_path.strip_prefix(&app.base_path)?;
    if !(rel.is_empty() || rel.ends_with('/')) {
        return None;
    }
    let key = crate::render::index_file(rel);
    let live = app.live.read().ok()?;
    live.files.contains_key(&key).then_some(key)
}

/// A page's Open Graph tags and the size of the card they name (drawn on demand).
async fn shared_tags(app: &App, key: &str) -> Option<(preview::SharedTags, Option<(u32, u32)>)> {
    let bytes = respond_bytes(app, key).await?;
    let html = String::from_utf8_lossy(&bytes).into_owned();
    let tags = preview::read_tags(&html);
    let card_key = tags
        .image
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.path().strip_prefix(&app.base_path).map(str::to_string));
    let mut size = None;
    if let Some(card_key) = card_key {
        if card_key.starts_with("cards/") {
            draw_card(app, &card_key).await;
        }
        if let Some(bytes) = respond_bytes(app, &card_key).await {
            size = imagesize::blob_size(&bytes)
                .ok()
                .map(|s| (s.width as u32, s.height as u32));
        }
    }
    Some((tags, size))
}

async fn preview_page(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Path(page): axum::extract::Path<String>,
) -> Response {
    if !host_allowed(&app, &headers) {
        return misdirected();
    }
    let page_path = format!("/{}", page.trim_start_matches('/'));
    let Some(key) = page_key(&app, &page_path) else {
        return (StatusCode::NOT_FOUND, "hearth: no such page to preview").into_response();
    };
    let Some((tags, card)) = shared_tags(&app, &key).await else {
        return (StatusCode::NOT_FOUND, "hearth: no such page to preview").into_response();
    };
    html_response(preview::page(&page_path, &tags, card, &app.public_host))
}

async fn preview_index(State(app): State<App>, headers: HeaderMap) -> Response {
    if !host_allowed(&app, &headers) {
        return misdirected();
    }
    let mut keys: Vec<String> = match app.live.read() {
        Ok(l) => l
            .files
            .keys()
            .filter(|k| k.ends_with("index.html"))
            .cloned()
            .collect(),
        Err(_) => Vec::new(),
    };
    keys.sort();
    let mut rows = Vec::new();
    for key in keys {
        let page_path = format!("{}{}", app.base_path, key.trim_end_matches("index.html"));
        if let Some((tags, card)) = shared_tags(&app, &key).await {
            let mut all: Vec<String> = preview::NETWORKS
                .iter()
                .flat_map(|n| preview::warnings(&tags, &page_path, card, n))
                .collect();
            all.sort();
            all.dedup();
            rows.push((page_path, tags.title.unwrap_or_default(), all.len()));
        }
    }
    html_response(preview::index(&rows))
}

fn html_response(html: String) -> Response {
    let mut resp = Response::new(HttpBody::from(html));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn live_reload(State(app): State<App>, headers: HeaderMap) -> Response {
    if !host_allowed(&app, &headers) {
        return misdirected();
    }
    // Each tab's stream ends when the server stops, so shutting down never waits.
    let stop = tokio_stream::wrappers::WatchStream::new(app.stopping.clone())
        .filter(|stopping| *stopping)
        .map(|_| None);
    let stream = events(&app)
        .map(Some)
        .merge(stop)
        .take_while(Option::is_some)
        .filter_map(|e| e);
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

fn events(app: &App) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    let base_path = app.base_path.clone();
    BroadcastStream::new(app.notices.subscribe()).filter_map(move |n| {
        let event = match n.ok()? {
            Notice::Reload => Event::default().event("reload").data("reload"),
            Notice::ReloadPaths(paths) => {
                // As the tabs' addresses read: a page by its folder.
                let urls: Vec<String> = paths
                    .iter()
                    .map(|p| format!("{base_path}{}", p.trim_end_matches("index.html")))
                    .collect();
                Event::default()
                    .event("reload")
                    .data(serde_json::to_string(&urls).unwrap_or_default())
            }
            Notice::Problem(text) => Event::default()
                .event("problem")
                .data(serde_json::to_string(&text).unwrap_or_default()),
        };
        Some(Ok(event))
    })
}

async fn serve_file(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !host_allowed(&app, &headers) {
        return misdirected();
    }
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD").into_response();
    }
    let Some(path) = clean_path(uri.path()) else {
        return not_found(&app).await;
    };
    if path == "/" && app.base_path != "/" {
        return redirect(&app.base_path);
    }
    let Some(rel) = path.strip_prefix(&app.base_path).or_else(|| {
        (path.clone() + "/")
            .strip_prefix(&app.base_path)
            .map(|_| "")
    }) else {
        return not_found(&app).await;
    };
    let rel = rel.to_string();
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![crate::render::index_file(&rel)]
    } else {
        vec![rel.clone()]
    };
    for key in candidates {
        if let Some(resp) = respond(&app, &key, StatusCode::OK).await {
            return resp;
        }
    }
    // "/news" → "/news/" when that is a page: pretty URLs, as static hosts do.
    let dir_index = format!("{rel}/index.html");
    if app
        .live
        .read()
        .map(|l| l.files.contains_key(&dir_index))
        .unwrap_or(false)
    {
        return redirect(&format!("{path}/"));
    }
    not_found(&app).await
}

fn redirect(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::MOVED_PERMANENTLY)
        .header(header::LOCATION, to)
        .body(HttpBody::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn not_found(app: &App) -> Response {
    if let Some(r) = respond(app, "404.html", StatusCode::NOT_FOUND).await {
        return r;
    }
    // No site yet (the first build failed): a bare page that carries the overlay.
    let problem = app.live.read().ok().and_then(|l| l.problem.clone());
    let page = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hearth serve</title></head><body><p>Not found.</p></body></html>";
    finish(
        "404.html",
        Bytes::from_static(page),
        StatusCode::NOT_FOUND,
        problem,
        &app.base_path,
    )
}

/// The bytes of an output file, or `None` when the site has no such file. Cards are
/// drawn on first request.
async fn respond(app: &App, key: &str, status: StatusCode) -> Option<Response> {
    if key.starts_with("cards/") && key.ends_with(".png") {
        draw_card(app, key).await;
    } else if crate::images::photo::is_picture(key) || key.ends_with(".avif") {
        make_picture(app, key).await;
    }
    respond_read(app, key, status).await
}

/// Makes the files of the picture `key` is one of, as [`draw_card`] draws cards.
async fn make_picture(app: &App, key: &str) {
    let todo = match app.live.read() {
        Ok(live) => live.picture_to_make(key).map(|t| (t, live.root.clone())),
        Err(_) => None,
    };
    let Some((todo, root)) = todo else {
        return;
    };
    let Ok((pictures, outputs)) = tokio::task::spawn_blocking(move || todo.make(&root)).await
    else {
        return;
    };
    if let Ok(mut live) = app.live.write() {
        live.picture_made(&pictures, outputs);
    }
}

/// Draws the card at `key` when it is still to be drawn: what it needs is taken
/// under a read lock, the card is drawn on a blocking thread with no lock held
/// (pages, the preview lab and rebuilds go on; a slow card costs only this
/// request), and kept under a short write lock.
async fn draw_card(app: &App, key: &str) {
    let todo = match app.live.read() {
        Ok(live) => live.card_to_draw(key).map(|t| (t, live.root.clone())),
        Err(_) => None,
    };
    let Some((todo, root)) = todo else {
        return;
    };
    let Ok(drawn) = tokio::task::spawn_blocking(move || todo.draw(&root)).await else {
        return;
    };
    if let Ok(mut live) = app.live.write() {
        live.card_drawn(drawn);
    }
}

/// The digest of the period not over yet (SPEC §7): serve's alone.
const LATEST_DIGEST: &str = "digest/latest/index.html";

async fn respond_read(app: &App, key: &str, status: StatusCode) -> Option<Response> {
    if key == LATEST_DIGEST {
        let (html, problem) = app.live.read().ok()?.latest_digest()?;
        return Some(finish(
            key,
            Bytes::from(html),
            status,
            problem,
            &app.base_path,
        ));
    }
    let problem = app.live.read().ok()?.problem.clone();
    let bytes = respond_bytes(app, key).await?;
    Some(finish(key, bytes, status, problem, &app.base_path))
}

/// The bytes of an output file, read through the guarded door when it is a file.
async fn respond_bytes(app: &App, key: &str) -> Option<Bytes> {
    let (bytes, file, _problem, root) = {
        let live = app.live.read().ok()?;
        let body = live.files.get(key)?;
        let (bytes, file) = match body {
            Body::Bytes(b) => (Some(b.clone()), None),
            Body::Static(b) => (Some(Bytes::from_static(b)), None),
            Body::Copy(p) => (None, Some((p.clone(), false))),
            Body::Cached(p) => (None, Some((p.clone(), true))),
        };
        (bytes, file, live.problem.clone(), live.root.clone())
    };
    // Files are read through the guarded door at every request: a source swapped for
    // a link out of the site while serving (a `git checkout`) is never served.
    let bytes = match (bytes, file) {
        (Some(b), _) => b,
        (None, Some((p, cached))) => {
            let read = tokio::task::spawn_blocking(move || {
                if cached {
                    crate::site_fs::cache_read(&p)
                } else {
                    crate::site_fs::read(&root, &p).ok()
                }
            });
            Bytes::from(read.await.ok()??)
        }
        (None, None) => return None,
    };
    Some(bytes)
}

/// Sets the content type and, on HTML pages, adds the live-reload script (and the
/// overlay when the last rebuild failed): themes need nothing for this. The page's
/// bytes are shared with the site in memory, not copied per request.
fn finish(
    key: &str,
    bytes: Bytes,
    status: StatusCode,
    problem: Option<String>,
    base: &str,
) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        let parts = inject(bytes, problem.as_deref(), key, base);
        HttpBody::from_stream(tokio_stream::iter(
            parts.into_iter().map(Ok::<_, Infallible>),
        ))
    } else {
        HttpBody::from(bytes)
    };
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "application/xml"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// The script every served HTML page gets. It reloads on `reload`, and draws an
/// overlay with the error text on `problem`. It finds nothing by id: a page may hold
/// any id (a heading "Hearth problem" becomes `#hearth-problem`), so the overlay is
/// kept in a variable and the first problem is written into the script itself.
const RELOAD_SCRIPT: &str = r#"(function (initial) {
  var box = null;
  function overlay(text) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,16,14,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      var title = document.createElement("p");
      title.textContent = "hearth: the last edit broke the site. Fix it and this page reloads.";
      title.style.cssText = "font:600 18px system-ui,sans-serif;color:#ff9f85;margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.lastChild.textContent = text;
  }
  if (initial) overlay(initial);
  var source = new EventSource("/__livereload");
  source.addEventListener("reload", function (e) {
    var here = location.pathname.replace(/index\.html$/, "");
    if (box || e.data === "reload" || JSON.parse(e.data).indexOf(here) >= 0) location.reload();
  });
  source.addEventListener("problem", function (e) { overlay(JSON.parse(e.data)); });
})"#;

/// The page with the reload script before `</body>`, as three shared slices: the
/// page's bytes are never copied.
fn inject(html: Bytes, problem: Option<&str>, key: &str, base: &str) -> [Bytes; 3] {
    // `<` as \u003c: the text can neither close the script nor open a comment.
    let initial = match problem {
        Some(p) => serde_json::to_string(p)
            .unwrap_or_default()
            .replace('<', "\\u003c"),
        None => "null".to_string(),
    };
    // A small link to the page's link preview, added here so a build never has it.
    let page = key.trim_end_matches("index.html");
    let preview = if key.ends_with("index.html") && key != "404.html" {
        format!(
            "<a href=\"{PREVIEW_PATH}{base}{}\" style=\"position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;background:#1d1a17;color:#fff;padding:.3rem .6rem;border-radius:.4rem;font:13px system-ui,sans-serif\">Preview shares</a>",
            crate::escape::html(page)
        )
    } else {
        String::new()
    };
    let snippet = Bytes::from(format!(
        "{preview}<script>/* hearth serve: live reload */\n{RELOAD_SCRIPT}({initial});\n</script>"
    ));
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    [html.slice(..at), snippet, html.slice(at..)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_attempts_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/%2E%2E/x",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/x/./y",
            "/%00",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(
            clean_path("/news/caf%C3%A9/").as_deref(),
            Some("/news/café/")
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_body_end() {
        let out = String::from_utf8(
            inject(
                Bytes::from_static(b"<html><body><p>x</p></body></html>"),
                Some("boom </script><!--"),
                "news/index.html",
                "/hub/",
            )
            .concat(),
        )
        .unwrap();
        assert!(
            out.contains("<p>x</p><a href=\"/__hearth/preview/hub/news/\""),
            "{out}"
        );
        assert!(out.ends_with("</script></body></html>"));
        assert!(
            !out.contains("boom </script>") && !out.contains("<!--"),
            "the problem text can neither close the script nor open a comment"
        );
        assert!(
            !out.contains("getElementById"),
            "the overlay never trusts an id the page could also hold"
        );
    }
}
