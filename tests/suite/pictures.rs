//! SPEC §6, pictures (issue 30, in progress): what is in a build so far.

use crate::common::site::TestSite;

/// A picture without alt text is a warning at its line, in a page and in a bio;
/// `--strict` makes it an error.
#[test]
fn a_picture_without_alt_text_is_a_warning_at_its_line() {
    let site = TestSite::minimal()
        .file(
            "content/porto.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .page(
            "meetup",
            "title: The meetup",
            "We met.\n\n![](porto.svg)\n\n![The table, full of laptops](porto.svg)\n",
        )
        .member("ada", "name: Ada", "Ada.\n\n![ ](../content/porto.svg)\n");
    let out = site.build();
    out.succeeds().says(&[
        "hearth::missing-alt",
        "this picture has no alt text",
        "content/meetup.md:6:1",
        "members/ada.md",
    ]);
    assert_eq!(
        out.run.stderr.matches("hearth::missing-alt").count(),
        2,
        "the picture with alt text is fine: {}",
        out.run.stderr
    );
    site.run(&["build", ".", "--strict"])
        .exits_with(1)
        .says(&["hearth::missing-alt"]);
}
