//! The example site's calendars and feeds parse with real parsers from the Python
//! ecosystem: `icalendar` for RFC 5545 and `feedparser` for Atom. .ci/run installs
//! both with pip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use std::process::Command;

const SCRIPT: &str = r#"
import sys, pathlib, icalendar, feedparser
out = pathlib.Path(sys.argv[1])
cal = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
events = cal.walk("VEVENT")
assert len(events) >= 3, f"{len(events)} events"
uids = set()
for e in events:
    for key in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
        assert key in e, f"{key} missing in {e.get('SUMMARY')}"
    assert e["DTSTART"].dt.tzinfo is not None, "times carry a zone"
    if "DTEND" in e:
        assert e["DTEND"].dt >= e["DTSTART"].dt
    uids.add(str(e["UID"]))
assert len(uids) == len(events), "UIDs are unique"
for one in out.rglob("*.ics"):
    if one.name != "events.ics":
        assert len(icalendar.Calendar.from_ical(one.read_bytes()).walk("VEVENT")) == 1, one
for feed_path, minimum in (("links/feed.xml", 12), ("feed.xml", 5), ("news/feed.xml", 5)):
    feed = feedparser.parse(str(out / feed_path))
    assert not feed.bozo, f"{feed_path}: {feed.bozo_exception}"
    assert feed.version == "atom10", feed.version
    assert len(feed.entries) >= minimum, f"{feed_path}: {len(feed.entries)} entries"
    for entry in feed.entries:
        assert entry.title and entry.link and entry.id, entry
print("ok", len(events), "events")
"#;

#[test]
fn calendars_and_feeds_parse_with_icalendar_and_feedparser() {
    let has_python = common::has_command("python3", "--version");
    let has_modules = has_python
        && Command::new("python3")
            .args(["-c", "import icalendar, feedparser"])
            .status()
            .is_ok_and(|s| s.success());
    if !common::require_tool(
        has_modules,
        "python3 with the icalendar and feedparser packages (pip)",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    common::build_example(&out, &[]);
    let r = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        r.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
}
