//! What serve makes only when a browser asks for it, with no lock held: a card,
//! and the files of a picture (its stripped original, variants and crops).

use std::path::Path;

use crate::cards;
use crate::output::Output;

/// A picture whose files are to be made with no lock held (see
/// [`Live::picture_to_make`]).
pub struct PictureToMake {
    pub(super) pictures: std::sync::Arc<crate::model::picture::Pictures>,
    pub(super) index: usize,
    /// What templates asked of it with `resize_image`.
    pub(super) resized: Vec<crate::model::picture::Resized>,
}

impl PictureToMake {
    /// Everything published of the picture, through the pictures' cache (a
    /// picture that cannot be made is left unserved: the build says why).
    pub fn make(
        self,
        root: &Path,
    ) -> (std::sync::Arc<crate::model::picture::Pictures>, Vec<Output>) {
        let cache = crate::site_fs::cache_dir(root, crate::pictures::CACHE_DIR)
            .ok()
            .map(|dir| crate::output::FileCache::open(&dir));
        let resized: Vec<&crate::model::picture::Resized> = self.resized.iter().collect();
        let outputs = crate::pictures::publish_one(
            &self.pictures.list[self.index],
            &resized,
            self.pictures.quality,
            root,
            cache.as_ref(),
        )
        .map(|(outputs, _)| outputs)
        .unwrap_or_default();
        if let Some(cache) = cache {
            cache.save();
        }
        (self.pictures, outputs)
    }
}

/// A card to draw with no lock held (see [`Live::card_to_draw`]).
pub struct CardToDraw {
    pub(super) site: cards::CardSite,
    pub(super) templates: std::sync::Arc<crate::theme::Templates>,
    pub(super) fonts: std::sync::Arc<cards::raster::Fonts>,
    pub(super) job: cards::CardJob,
}

/// What drawing a card gave, to keep with [`Live::card_drawn`].
pub struct DrawnCard {
    pub(super) job: cards::CardJob,
    pub(super) templates: std::sync::Arc<crate::theme::Templates>,
    pub(super) output: Option<Output>,
    /// The fonts, when the site had none at its load (no card then) and drawing
    /// this one loaded them.
    pub(super) loaded_fonts: Option<std::sync::Arc<cards::raster::Fonts>>,
}

impl CardToDraw {
    pub fn draw(self, root: &Path) -> DrawnCard {
        let loaded_fonts = self
            .fonts
            .is_empty()
            .then(|| std::sync::Arc::new(cards::raster::Fonts::load(self.templates.card_fonts())));
        let fonts = loaded_fonts.as_ref().unwrap_or(&self.fonts);
        let cache = crate::site_fs::cache_dir(root, cards::CACHE_DIR)
            .ok()
            .map(|dir| crate::output::FileCache::open(&dir));
        let mut plan = cards::CardPlan::default();
        plan.push(self.job.path.clone(), self.job.clone());
        let (mut outputs, _, _) =
            cards::render(&self.site, &self.templates, &plan, fonts, cache.as_ref());
        DrawnCard {
            output: outputs.pop(),
            job: self.job,
            templates: self.templates,
            loaded_fonts,
        }
    }
}
