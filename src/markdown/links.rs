//! Link destinations as written in markdown, turned into the URLs they must have on
//! the site: a file's relative path becomes its page's URL, a site path gets the
//! base_url prefix, and outside links stay as written.

use super::LinkContext;

/// Rewrites a link as written in markdown into the URL it must have on the site.
pub fn rewrite_url(
    dest: &str,
    ctx: &dyn LinkContext,
) -> Result<Option<String>, (String, Option<String>)> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('?') || dest.starts_with("//") {
        return Ok(None);
    }
    if has_scheme(dest) {
        return Ok(None);
    }
    if dest.starts_with('/') {
        // A site path: give it the base_url's prefix so sub-path deploys keep working.
        let base = ctx.base_path();
        if base == "/" || dest.starts_with(base) {
            return Ok(None);
        }
        return Ok(Some(crate::config::prefixed(base, dest)));
    }
    let (path, suffix) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded = crate::escape::percent_decode(path);
    Ok(ctx.resolve(&decoded)?.map(|url| format!("{url}{suffix}")))
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !s[..i].contains('/')
        }
        None => false,
    }
}
