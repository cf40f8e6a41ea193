//! `hearth init` and `hearth new`: files to start from, never overwriting one.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::model::member::is_valid_handle;
use crate::model::Date;

const SITE_YAML: &str = r#"title: My Community
base_url: https://example.org/
description: Where our members meet, share and learn
language: en
menu:
  - { label: News, url: /news/ }
  - { label: Members, url: /members/ }
  - { label: Links, url: /links/ }
  - { label: Events, url: /events/ }
  - { label: About, url: /about/ }
members:
  questions:
    - { key: found_us, ask: How did you find us? }
    - { key: building, ask: What are you building right now? }
    - { key: help, ask: What could you help others with? }
guidelines:
  review_every_days: 365
"#;

/// One member, so the directory, profiles and cards show from the first build.
const MEMBER: &str = r#"---
name: Alex Example
pronouns: they/them
role: Host
location: Online
answers:
  found_us: I started this community.
  building: This hub, with hearth.
  help: Getting started with the site.
---
Alex looks after this hub. Copy this file to `members/HANDLE.md` for each member
(`hearth new member HANDLE` does it with your welcome questions).
"#;

/// One curated link, with the curator's own note.
const LINKS: &str = r#"- url: https://www.markdownguide.org/basic-syntax/
  title: Markdown basic syntax
  note: Everything on this site is written in Markdown; this page covers what you need.
  date: DAY
  tags: [writing]
  curated_by: alex
"#;

/// One guideline, whose rules can be cited by URL.
const CONDUCT: &str = r#"---
title: Code of Conduct
summary: How we treat each other
version: "1.0"
effective: DAY
reviewed: DAY
order: 1
changes:
  - { version: "1.0", date: DAY, note: First version }
---
## Be kind

Assume good intent, and say thank you.

## Be safe

### No harassment

### Report problems

Write to the hosts; they answer within a day.
"#;

const EVENTS: &str = r#"---
title: Events
description: Calls and meetups
---
"#;

const HOME: &str = r#"---
title: My Community
description: Where our members meet, share and learn
---
Welcome! This is the home page: edit `content/_index.md` to change this text.
"#;

const ABOUT: &str = r#"---
title: About us
description: Who we are and how to take part
---
Tell newcomers what this community is about and how to join in.
"#;

const NEWS: &str = r#"---
title: News
description: What's happening in the community
sort_by: date
paginate_by: 10
feed: true
---
"#;

const GITIGNORE: &str = "/public/\n/.hearth-cache/\n";

/// Writes the starter files into `dir`; refuses to touch an existing site.
pub fn init(dir: &Path, today: &Date) -> Result<Vec<PathBuf>, String> {
    if dir.join("site.yaml").exists() {
        return Err(format!(
            "{} already has a site.yaml; hearth init will not overwrite a site",
            dir.display()
        ));
    }
    let day = today.ymd();
    let post = format!(
        "---\ntitle: Hello, world\ndate: {day}\ndescription: Our first post\ntags: [meta]\n---\nThis is the first post. Write the next one in `content/news/`.\n"
    );
    let in_two_weeks = jiff::Timestamp::from_second(today.timestamp.as_second() + 14 * 86_400)
        .map(|t| Date::from_timestamp(t).ymd())
        .unwrap_or_else(|_| day.clone());
    let event = format!(
        "---\ntitle: Our first call\ndate: {day}\ndescription: Meet the community online\ntags: [calls]\nevent:\n  start: {in_two_weeks}T18:00:00Z\n  end: {in_two_weeks}T19:00:00Z\n  location: Online\n---\nCome and say hello.\n"
    );
    let spotlight = format!(
        "---\ntitle: Meet Alex\ndate: {day}\ndescription: Who looks after this hub\nspotlight: alex\ntags: [spotlight]\n---\nA spotlight introduces a member: ask them a few questions and write it up.\n"
    );
    let files: Vec<(PathBuf, String)> = vec![
        ("members/alex.md".into(), MEMBER.into()),
        ("links/links.yaml".into(), LINKS.replace("DAY", &day)),
        (
            "guidelines/code-of-conduct.md".into(),
            CONDUCT.replace("DAY", &day),
        ),
        ("content/events/_index.md".into(), EVENTS.into()),
        (format!("content/events/{day}-first-call.md").into(), event),
        (format!("content/news/{day}-meet-alex.md").into(), spotlight),
        ("site.yaml".into(), SITE_YAML.into()),
        ("content/_index.md".into(), HOME.into()),
        ("content/about.md".into(), ABOUT.into()),
        ("content/news/_index.md".into(), NEWS.into()),
        (format!("content/news/{day}-hello-world.md").into(), post),
        ("static/.gitkeep".into(), String::new()),
        (".gitignore".into(), GITIGNORE.into()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            continue;
        }
        crate::site_fs::write_source(dir, &path, &text, false)?;
        written.push(path);
    }
    Ok(written)
}

/// Why `hearth new` could not write: the request itself (exit 2) or the site (exit 1).
#[derive(Debug)]
pub enum NewError {
    Usage(String),
    Site(String),
}

fn write_new(site: &Path, path: &Path, text: &str) -> Result<(), NewError> {
    crate::site_fs::write_source(site, path, text, false).map_err(NewError::Site)
}

/// `hearth new member HANDLE`: a profile with the site's welcome questions as
/// commented prompts.
pub fn new_member(
    site: &Path,
    config: &Config,
    handle: &str,
    today: &Date,
) -> Result<PathBuf, NewError> {
    if !is_valid_handle(handle) {
        return Err(NewError::Usage(format!(
            "`{handle}` is not a valid handle: use lowercase letters, digits and hyphens (for example `{}`)",
            crate::model::url::slugify(handle)
        )));
    }
    let name = title_case(&handle.replace('-', " "));
    let mut text = format!(
        "---\nname: {name}\n# pronouns: they/them\n# role: Member\njoined: {}\n# avatar: {handle}.png   # a picture beside this file, or a path under static/\n# location: Your city\n# links:\n#   - {{ label: Mastodon, url: \"https://example.social/@{handle}\" }}\n",
        today.ymd()
    );
    if config.members.questions.is_empty() {
        text.push_str("# answers:   # site.yaml has no members.questions yet\n");
    } else {
        text.push_str("answers:\n");
        for q in &config.members.questions {
            text.push_str(&format!("  # {}\n  # {}: \n", q.ask, q.key));
        }
    }
    text.push_str("---\nA few sentences about yourself: what you build, what you want to learn.\n");
    let path = site
        .join(crate::model::folders::MEMBERS)
        .join(format!("{handle}.md"));
    write_new(site, &path, &text)?;
    Ok(path)
}

/// `hearth new page PATH`: a page under content/ dated today, as a draft.
pub fn new_page(
    site: &Path,
    config: &crate::config::Config,
    path: &str,
    today: &Date,
) -> Result<PathBuf, NewError> {
    let rel = path.trim_start_matches("./").trim_start_matches("content/");
    if rel.is_empty()
        || rel.starts_with('/')
        || rel.split(['/', '\\']).any(|p| p == ".." || p.is_empty())
    {
        return Err(NewError::Usage(format!(
            "`{path}` is not a path inside content/ (for example `news/my-first-post`)"
        )));
    }
    let rel = if rel.ends_with(".md") {
        rel.to_string()
    } else {
        format!("{rel}.md")
    };
    let file = site.join(crate::model::folders::CONTENT).join(&rel);
    let language = crate::load::translations::language_of(site, &file, config)
        .map_err(|d| NewError::Usage(format!("{}; {}", d.message, d.help.unwrap_or_default())))?;
    if let Some(code) = language {
        return new_translation(site, &file, &code);
    }
    let stem = Path::new(&rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (slug, _) = crate::model::url::file_slug(&stem);
    let title = sentence_case(&slug.replace('-', " "));
    let text = format!(
        "---\ntitle: {title}\ndate: {}\ndescription: One line for search engines and cards\ntags: []\ndraft: true   # shown by `hearth serve` and `build --drafts`; remove to publish\n---\nWrite here.\n",
        today.ymd()
    );
    write_new(site, &file, &text)?;
    Ok(file)
}

/// `hearth new page news/welcome.fr.md`: a translation stub from the original's
/// front matter: the keys a translation sets (title, description, tags, the
/// card's text) to translate, the rest left to the original (SPEC §5). A draft,
/// so nothing half-translated is published.
fn new_translation(site: &Path, file: &Path, code: &str) -> Result<PathBuf, NewError> {
    let original = file.with_file_name(crate::model::languages::logical_name(file, Some(code)));
    let shown = crate::load::source::display_path(site, &original);
    if !original.is_file() {
        return Err(NewError::Site(format!(
            "there is no {} to translate: a translation sits beside its original",
            shown.display()
        )));
    }
    let source = crate::load::source::read(site, &original)
        .map_err(|d| NewError::Site(format!("{}: {}", shown.display(), d.message)))?;
    let (meta, _): (crate::model::PageMeta, _) = crate::load::front_matter::parse(
        &source,
        &crate::load::front_matter::Kind {
            name: "page",
            what: "page front matter",
            example: "title: Your title",
        },
    )
    .map_err(|ds| {
        let why = ds.first().map_or(String::new(), |d| d.message.clone());
        NewError::Site(format!("{}: {why}", shown.display()))
    })?;
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut text = format!(
        "---\n# A translation ({code}) of {}: translate these; the date, authors and the\n# rest come from the original.\ntitle: {}\n",
        shown.display(),
        quoted(meta.title.as_deref().unwrap_or_default())
    );
    if let Some(d) = &meta.description {
        text.push_str(&format!("description: {}\n", quoted(d)));
    }
    if !meta.tags.is_empty() {
        let tags: Vec<String> = meta.tags.iter().map(|t| quoted(t)).collect();
        text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    }
    if let Some(crate::model::page::CardSetting::Custom { title, subtitle }) = &meta.card {
        text.push_str("card:\n");
        for (key, value) in [("title", title), ("subtitle", subtitle)] {
            if let Some(v) = value {
                text.push_str(&format!("  {key}: {}\n", quoted(v)));
            }
        }
    }
    text.push_str(
        "draft: true   # shown by `hearth serve` and `build --drafts`; remove to publish\n---\n",
    );
    let body = &source.text[source.text.len().min(front_matter_end(&source.text))..];
    text.push_str(body.trim_start_matches('\n'));
    write_new(site, file, &text)?;
    Ok(file.to_path_buf())
}

/// Where the front matter of a markdown text ends (after its closing `---`
/// line), or 0 when it has none.
fn front_matter_end(text: &str) -> usize {
    match crate::load::front_matter::split(text) {
        Ok(Some(s)) => s.body_start,
        _ => 0,
    }
}

/// The links file `hearth new link` appends to.
pub const NEW_LINKS_FILE: &str = "links/links.yaml";

/// `hearth new link URL`: appends a ready-to-fill entry to links/links.yaml. The
/// note is left empty on purpose: the build asks for the curator's own words.
pub fn new_link(
    site: &Path,
    url: &str,
    today: &Date,
    known: &[String],
) -> Result<(PathBuf, usize), NewError> {
    let parsed = crate::model::url::check_web_url(url)
        .map_err(|why| NewError::Usage(format!("`{url}` {why}")))?;
    let key = crate::model::link::normalize(&parsed);
    if known.contains(&key) {
        return Err(NewError::Site(format!(
            "{url} is already in the link library"
        )));
    }
    let guess = format!(
        "{}{}",
        parsed
            .host_str()
            .unwrap_or_default()
            .trim_start_matches("www."),
        parsed.path().trim_end_matches('/')
    );
    let file = site.join(NEW_LINKS_FILE);
    let existing = match fs::symlink_metadata(&file) {
        Ok(_) => crate::site_fs::read(site, &file)
            .map_err(|d| NewError::Site(format!("{}: {}", NEW_LINKS_FILE, d.message)))
            .map(|b| String::from_utf8_lossy(&b).into_owned())?,
        Err(_) => String::new(),
    };
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    let line = text.lines().count() + 1;
    text.push_str(&format!(
        "- url: {url}\n  title: \"{}\"\n  note: \"\"   # your own take: why is it worth our members' time?\n  date: {}\n  tags: []\n  # curated_by: your-handle\n  # discuss: news/a-page-where-we-talk-about-it.md\n",
        guess.replace('"', "'"),
        today.ymd()
    ));
    crate::site_fs::write_source(site, &file, &text, true).map_err(NewError::Site)?;
    Ok((file, line))
}

/// "zoe q" → "Zoe Q".
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(sentence_case)
        .collect::<Vec<_>>()
        .join(" ")
}

/// "my first post" → "My first post".
fn sentence_case(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
