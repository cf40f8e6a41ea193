//! iCalendar (RFC 5545) files for events, with the icalendar crate: `/events.ics` for
//! all of them and one file per event. Times are written in UTC; DTSTAMP is the
//! page's date (or the build's "now"), so output stays byte-identical between builds.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::model::{Date, Page, Site};

/// Where an event's own `.ics` lives: "/events/december-call/" → "/events/december-call.ics".
pub fn ics_path(page: &Page) -> String {
    crate::model::url::event_calendar_path(&page.path)
}

fn utc(d: Date) -> DateTime<Utc> {
    DateTime::from_timestamp(d.timestamp.as_second(), 0).unwrap_or_default()
}

fn event(site: &Site, page: &Page) -> Option<Event> {
    let ev = page.meta.event.as_ref()?;
    let permalink = site.page_permalink(page);
    let host = site
        .config
        .origin()
        .split("://")
        .nth(1)
        .unwrap_or("hearth")
        .to_string();
    let mut e = Event::new();
    e.uid(&format!(
        "{}@{host}",
        page.path.trim_matches('/').replace('/', "-")
    ))
    .summary(&page.title)
    .timestamp(utc(page.meta.updated.or(page.date).unwrap_or(site.now)))
    .starts(utc(ev.start))
    .url(&permalink);
    if let Some(end) = ev.end {
        e.ends(utc(end));
    }
    let mut description = page.description().to_string();
    if let Some(url) = &ev.url {
        description.push_str(&format!("\n\nJoin: {url}"));
    }
    description.push_str(&format!("\n\n{permalink}"));
    e.description(description.trim());
    if let Some(loc) = &ev.location {
        e.location(loc);
    }
    Some(e.done())
}

/// RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A calendar holding `events` (page indices).
pub fn calendar(site: &Site, name: &str, events: &[usize]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//hearth//community events//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        // icalendar does not escape NAME (it does not know it is text): a title with a
        // newline could add properties. Escape it here; X-WR-CALNAME it escapes itself.
        .append_property(("NAME", escape_text(name).as_str()))
        .append_property(("X-WR-CALNAME", name));
    for &i in events {
        if let Some(e) = event(site, &site.pages[i]) {
            cal.push(e);
        }
    }
    cal.done().to_string()
}
