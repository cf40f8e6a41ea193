//! `hearth init`: a small working site to start from.

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Date;

const SITE_YAML: &str = r#"title: My Community
base_url: https://example.org/
description: Where our members meet, share and learn
language: en
menu:
  - { label: News, url: /news/ }
  - { label: About, url: /about/ }
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
pub fn scaffold(dir: &Path, today: &Date) -> Result<Vec<PathBuf>, String> {
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
    let files: Vec<(PathBuf, String)> = vec![
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
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
