//! `hearth serve` as the tests drive it: started on port 0 over a site folder, raw
//! HTTP requests, and the live-reload channel.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `hearth serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(site: &std::path::Path) -> Server {
    let mut child = super::command(super::BIN, site)
        .args(["serve", ".", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("serve prints its URL");
    Server {
        child,
        port: port_in(&line),
    }
}

/// The port of the address `hearth serve` prints when it starts.
pub fn port_in(line: &str) -> u16 {
    line.split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL in: {line}"))
}

/// One raw HTTP/1.0 request: status line and body.
pub fn request(port: u16, target: &str) -> (String, String) {
    request_as(port, target, "127.0.0.1")
}

/// One raw HTTP/1.0 request with the given Host header.
pub fn request_as(port: u16, target: &str, host: &str) -> (String, String) {
    http_get(port, target, host).unwrap()
}

/// One raw HTTP/1.0 GET to 127.0.0.1: the status line and the body, or the error
/// when nothing listens yet.
pub fn http_get(port: u16, target: &str, host: &str) -> std::io::Result<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(s, "GET {target} HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.lines().next().unwrap_or_default().to_string();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Subscribes to the reload channel; events arrive on the receiver as their names.
pub fn listen(port: u16) -> mpsc::Receiver<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__livereload HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), data.to_string())).is_err() {
                    return;
                }
            }
        }
    });
    // Let the subscription reach the server before anything changes.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

pub fn wait_for(rx: &mpsc::Receiver<(String, String)>, name: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => continue,
            Err(_) => panic!("no `{name}` event within {within:?}"),
        }
    }
}

/// A one-thread HTTP server on 127.0.0.1 answering every request with `answer`.
pub fn http_server(answer: impl Fn(&str) -> String + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).into_owned();
            let _ = s.write_all(answer(&head).as_bytes());
        }
    });
    port
}

/// A free loopback port (a server started right after may take it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Python's plain static file server over `root` on `port`, as a static host
/// serves a published site; it answers once `probe` (a path) does, and stops
/// when dropped.
pub fn static_server(root: &std::path::Path, port: u16, probe: &str) -> Server {
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 starts");
    let server = Server { child, port };
    let started = Instant::now();
    while http_get(port, probe, "127.0.0.1").is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// The example site built for `http://127.0.0.1:PORT/PREFIX/` and served there by a
/// plain static server, as a static host publishes it under a sub-path. Returns
/// the output folder (kept while the test runs), the server and the base URL.
pub fn publish_example(prefix: &str) -> (tempfile::TempDir, Server, String) {
    publish(&super::example_site(), prefix)
}

/// [`publish_example`] for any site folder.
pub fn publish(site: &std::path::Path, prefix: &str) -> (tempfile::TempDir, Server, String) {
    let out = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/{prefix}/");
    let dest = out.path().join(prefix);
    let built = super::run(
        &[
            "build",
            site.to_str().expect("utf-8 path"),
            "-o",
            dest.to_str().expect("utf-8 path"),
            "--base-url",
            &base,
        ],
        site,
    );
    assert_eq!(built.code, 0, "{} builds: {}", site.display(), built.stderr);
    let server = static_server(out.path(), port, &format!("/{prefix}/"));
    (out, server, base)
}

/// The body of `target` once it contains `needle`, polling until `within` runs out
/// (then a failure). One edit can arrive as two debounced batches (a new folder,
/// then the file written into it), each with its own reload.
pub fn wait_for_page(port: u16, target: &str, needle: &str, within: Duration) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = request(port, target);
        if body.contains(needle) {
            return body;
        }
        assert!(
            started.elapsed() < within,
            "{target} never showed {needle:?}: {body}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}
