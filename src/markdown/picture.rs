//! A site's picture as a page shows it (SPEC §6): one `<img>` with its variants
//! in `srcset`, the original's size (no layout shift as it arrives) and lazy
//! loading after the first.

use super::Shown;
use crate::escape;

/// How wide the theme shows a picture in a text: the column (`--measure`, 44rem)
/// or the screen less its margins. The browser picks a variant by it before any
/// CSS has loaded.
pub const SIZES: &str = "(min-width: 47rem) 44rem, calc(100vw - 2.5rem)";

/// The `<img>` of a picture; `first`: the text's first picture, not lazy (it is
/// often the largest thing on screen when the page opens).
pub fn responsive_img(shown: &Shown, alt: &str, title: &str, first: bool) -> String {
    let mut html = format!("<img src=\"{}\"", escape::html(&shown.src));
    if !shown.srcset.is_empty() {
        let srcset: Vec<String> = shown
            .srcset
            .iter()
            .map(|(url, w)| format!("{} {w}w", escape::html(url)))
            .collect();
        html.push_str(&format!(
            " srcset=\"{}\" sizes=\"{SIZES}\"",
            srcset.join(", ")
        ));
    }
    html.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"{}\"",
        shown.width,
        shown.height,
        escape::html(alt)
    ));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape::html(title)));
    }
    // The first picture is fetched at once and first among pictures (it is
    // usually the page's largest paint); the rest when they come near.
    html.push_str(match first {
        true => " fetchpriority=\"high\"",
        false => " loading=\"lazy\"",
    });
    html.push_str(" decoding=\"async\">");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_names_its_variants_and_size_and_is_lazy_after_the_first() {
        let shown = Shown {
            src: "/hub/p-960.webp".into(),
            srcset: vec![
                ("/hub/p-480.webp".into(), 480),
                ("/hub/p-960.webp".into(), 960),
            ],
            width: 3000,
            height: 4000,
        };
        let first = responsive_img(&shown, "A \"meetup\"", "", true);
        assert_eq!(
            first,
            format!("<img src=\"/hub/p-960.webp\" srcset=\"/hub/p-480.webp 480w, /hub/p-960.webp 960w\" sizes=\"{SIZES}\" width=\"3000\" height=\"4000\" alt=\"A &quot;meetup&quot;\" fetchpriority=\"high\" decoding=\"async\">")
        );
        let later = responsive_img(&shown, "b", "t", false);
        assert!(
            later.ends_with(" title=\"t\" loading=\"lazy\" decoding=\"async\">"),
            "{later}"
        );
    }
}
