//! Published under a sub-path, every internal link of the example site resolves: the
//! site is built for http://127.0.0.1:PORT/sub/, served there by Python's static
//! server, and crawled from the home page, anchors included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use std::collections::{HashMap, VecDeque};

/// Links and ids read as `hearth check` reads them.
use hearth::check::links::{ids, links};

/// A plain HTTP/1.0 GET: status code and body.
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let (status, body) = common::serve::http_get(port, path, "127.0.0.1")?;
    let code = status
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, body))
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    if !common::require_tool(
        common::has_command("python3", "--version"),
        "python3 (for http.server)",
    ) {
        return;
    }
    let (_out, server, _base) = common::serve::publish_example("sub");
    let port = server.port;

    let origin = format!("http://127.0.0.1:{port}");
    let mut pages: HashMap<String, String> = HashMap::new();
    let mut queue = VecDeque::from(["/sub/".to_string()]);
    let mut anchors: Vec<(String, String, String)> = Vec::new();
    let mut broken = Vec::new();
    while let Some(path) = queue.pop_front() {
        if pages.contains_key(&path) {
            continue;
        }
        let (status, body) = get(port, &path).unwrap();
        if status != 200 {
            broken.push(format!("{path} → {status}"));
            pages.insert(path, String::new());
            continue;
        }
        let is_html = path.ends_with('/') || path.ends_with(".html");
        if is_html {
            for link in links(&body) {
                let link = link
                    .strip_prefix(&origin)
                    .map(str::to_string)
                    .unwrap_or(link);
                let (target, fragment) = match link.split_once('#') {
                    Some((t, f)) => (t.to_string(), Some(f.to_string())),
                    None => (link.clone(), None),
                };
                let target = if target.is_empty() {
                    path.clone()
                } else {
                    target
                };
                if !target.starts_with('/') || target.starts_with("//") {
                    continue;
                }
                assert!(
                    target.starts_with("/sub/"),
                    "{path} links outside the sub-path: {link}"
                );
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    anchors.push((path.clone(), target.clone(), f));
                }
                queue.push_back(target);
            }
        }
        pages.insert(path, body);
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    for (from, target, fragment) in anchors {
        let html = &pages[&target];
        assert!(
            ids(html).contains(&fragment),
            "{from} links to {target}#{fragment}, which has no such id"
        );
    }
    assert!(pages.len() > 15, "crawled {} URLs", pages.len());
}
