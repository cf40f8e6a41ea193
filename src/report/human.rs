//! The report for people: a short summary that says what to do next.

use super::Report;

/// How many names a line lists before "and N more".
const NAMES: usize = 6;

/// `text` on one line: a member's name, a title or a URL with a newline (or any
/// control character, an escape sequence included) cannot add lines of its own
/// to the report or steer the terminal that shows it.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn names(list: &[String]) -> String {
    let mut shown: Vec<String> = list.iter().take(NAMES).map(|n| one_line(n)).collect();
    if list.len() > NAMES {
        shown.push(format!("and {} more", list.len() - NAMES));
    }
    shown.join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary, then the actions, one line each.
pub fn render(r: &Report) -> String {
    let mut out = format!(
        "{} — community health on {}\n\n",
        one_line(&r.site),
        r.generated
    );
    let m = &r.members;
    let a = &m.answered_welcome_questions;
    out.push_str(&format!(
        "Members: {} ({} answered every welcome question, {} some, {} none)\n",
        m.total, a.all, a.some, a.none
    ));
    let (this, last) = (&r.periods.this, &r.periods.last);
    out.push_str(&format!(
        "This {} ({}) against the last ({}): {} (was {}), {} spotlights ({}), {} posts ({}), {} links ({}), {} events ({})\n",
        r.periods.every,
        this.period,
        last.period,
        plural(this.new_members, "new member", "new members"),
        last.new_members,
        this.spotlights,
        last.spotlights,
        this.posts,
        last.posts,
        this.links,
        last.links,
        this.events,
        last.events
    ));
    out.push_str(&format!(
        "Spotlights: {}{}\n",
        r.spotlights.total,
        match r.spotlights.days_since_last {
            Some(d) => format!(", the last {}", plural(d as usize, "day ago", "days ago")),
            None => String::new(),
        }
    ));
    out.push_str(&format!(
        "Curated links: {} by {}\n",
        r.links.total,
        plural(r.links.by_curator.len(), "curator", "curators")
    ));
    out.push_str(&format!(
        "Events: {} upcoming, {} past\n",
        r.events.upcoming, r.events.past
    ));
    out.push_str(&format!(
        "Pages: {} in {}\n",
        r.content.pages,
        plural(r.content.by_section.len(), "section", "sections")
    ));

    for l in &r.languages {
        out.push_str(&format!(
            "In {}: {} of {} pages, {} of {} guidelines, {} of {} member bios translated\n",
            one_line(&l.lang),
            l.pages.translated,
            l.pages.of,
            l.guidelines.translated,
            l.guidelines.of,
            l.bios.translated,
            l.bios.of
        ));
    }
    if let Some((title, day)) = &r.events.next {
        out.push_str(&format!("Next event: {} on {day}\n", one_line(title)));
    }
    let todo = todo(r);
    out.push('\n');
    if todo.is_empty() {
        out.push_str("Nothing needs doing. Well kept!\n");
    } else {
        out.push_str("To do:\n");
        for t in todo {
            out.push_str(&format!("- {t}\n"));
        }
    }
    out
}

/// What the community team should do next, one sentence each (the human form's
/// "To do" lines and the HTML page's list).
pub fn todo(r: &Report) -> Vec<String> {
    let m = &r.members;
    let mut todo: Vec<String> = Vec::new();
    if !m.never_spotlighted.is_empty() {
        todo.push(format!(
            "{} never been spotlighted, longest-standing first: {}",
            if m.never_spotlighted.len() == 1 {
                "1 member has".to_string()
            } else {
                format!("{} members have", m.never_spotlighted.len())
            },
            names(&m.never_spotlighted_names)
        ));
    }
    if !m.unanswered.is_empty() {
        todo.push(format!(
            "{} answered no welcome question yet: {}",
            plural(m.unanswered.len(), "member has", "members have"),
            names(&m.unanswered)
        ));
    }
    for l in &r.languages {
        for b in &l.behind {
            todo.push(format!(
                "{} (“{}”) follows version {} of its original; the current version is {}: bring it up to date",
                one_line(&b.path),
                one_line(&b.title),
                one_line(&b.follows),
                one_line(&b.current)
            ));
        }
    }
    for g in r.guidelines.iter().filter(|g| g.overdue) {
        todo.push(format!(
            "“{}” is past its review: last reviewed {} ({} days ago)",
            one_line(&g.title),
            g.reviewed.as_deref().unwrap_or("never"),
            g.days_since_review.unwrap_or_default()
        ));
    }
    match r.links.broken {
        Some(0) => {}
        Some(_) => todo.push(format!(
            "{} broken: {}",
            plural(
                r.links.broken_urls.len(),
                "curated link is",
                "curated links are"
            ),
            names(&r.links.broken_urls)
        )),
        None if r.links.total > 0 => todo
            .push("run `hearth check --external` to learn which curated links are broken".into()),
        None => {}
    }
    if r.events.next.is_none() {
        todo.push("no event is coming up: plan the next one".into());
    }
    if r.spotlights.days_since_last.is_some_and(|d| d > 30) {
        todo.push(format!(
            "the last spotlight was {} days ago: feature someone",
            r.spotlights.days_since_last.unwrap_or_default()
        ));
    }
    todo
}
