//! `resize_image(path, width, height, op)` for templates (SPEC §6, Zola's
//! function): the URL and size of a resized copy of one of the site's
//! pictures. The size is known at once from the picture's header; the file is
//! made after rendering, with the pictures' variants (`pictures::publish`),
//! from what templates asked for here.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tera::{Kwargs, State, Tera};

use crate::images::plan::{self, Op};
use crate::model::picture::{Made, Picture, Pictures, Resized};
use crate::model::Site;

/// What templates asked for, by output path.
pub type Asked = Arc<Mutex<BTreeMap<String, Resized>>>;

/// A picture by the path a template names it with: site-relative
/// ("content/news/porto.jpg"), relative to content/ or static/ ("news/porto.jpg"),
/// or a site path ("/images/porto.jpg").
fn find<'p>(pictures: &'p Pictures, path: &str) -> Option<&'p Picture> {
    let rel = path.trim_start_matches('/');
    pictures
        .by_source(rel)
        .or_else(|| pictures.by_source(&format!("content/{rel}")))
        .or_else(|| pictures.by_source(&format!("static/{rel}")))
        .or_else(|| pictures.by_dest(rel))
}

pub fn register(tera: &mut Tera, site: &Site) -> Asked {
    let asked: Asked = Arc::default();
    let pictures = site.pictures.clone();
    let root_path = site.config.root_path.clone();
    let keep = asked.clone();
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<tera::Value> {
            let path: &str = kwargs.must_get("path")?;
            let width: u32 = kwargs.get("width")?.unwrap_or(0);
            let height: u32 = kwargs.get("height")?.unwrap_or(0);
            let op_name: &str = kwargs.get("op")?.unwrap_or("fill");
            let op = Op::parse(op_name).ok_or_else(|| {
                tera::Error::message(format!(
                    "resize_image: `op` is `{op_name}`; use fit, fill, scale, fit_width or fit_height"
                ))
            })?;
            let picture = find(&pictures, path).ok_or_else(|| {
                tera::Error::message(format!(
                    "resize_image: `{path}` is not a JPEG, PNG or WebP of content/ or static/"
                ))
            })?;
            if !crate::images::photo::is_photo(&picture.dest) {
                return Err(tera::Error::message(format!(
                    "resize_image: `{path}` is a GIF, and its copy would lose the animation"
                )));
            }
            let (w, h, cover) = plan::resized(op, picture.width, picture.height, width, height)
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "resize_image: `{op_name}` needs {}",
                        match op {
                            Op::FitWidth => "a width",
                            Op::FitHeight => "a height",
                            _ => "a width and a height",
                        }
                    ))
                })?;
            let (dir, name) = match picture.dest.rsplit_once('/') {
                Some((dir, name)) => (format!("{dir}/"), name),
                None => (String::new(), picture.dest.as_str()),
            };
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let dest = format!(
                "{dir}{stem}-{w}x{h}-{}.{}",
                op.name(),
                pictures.format.extension(ext)
            );
            let url = crate::config::prefixed(&root_path, &format!("/{dest}"));
            if let Ok(mut asked) = keep.lock() {
                asked.entry(dest.clone()).or_insert_with(|| Resized {
                    file: picture.file.clone(),
                    made: Made {
                        dest,
                        width: w,
                        height: h,
                    },
                    cover,
                });
            }
            let mut out = BTreeMap::new();
            out.insert("url", tera::Value::from(url));
            out.insert("width", tera::Value::from(w));
            out.insert("height", tera::Value::from(h));
            out.insert("orig_width", tera::Value::from(picture.width));
            out.insert("orig_height", tera::Value::from(picture.height));
            Ok(tera::Value::from(out))
        },
    );
    asked
}
