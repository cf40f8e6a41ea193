//! How one whitespace-separated token of a record becomes the words the index
//! holds for it.
//!
//! These rules are Pagefind's (1.6): the browser's half of Pagefind stems and
//! splits a query the same way, so any difference here is a query that finds
//! nothing. They are written here from reading Pagefind's source, not copied, and
//! use the same crates for the parts where a crate decides (Pagefind's Snowball
//! stemmers, `convert_case` for camelCase parts, `emojis`, Unicode normalization),
//! so that the same token always gives the same words.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Characters that count as part of a word besides letters and digits (Unicode's
/// "connector punctuation"), as Pagefind's entry file lists them.
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// Compound tails after a dot are indexed up to this many characters.
const MAX_DOTTED_TAIL: usize = 64;
/// Katakana runs are indexed by every suffix up to this many characters.
const MAX_KATAKANA_SUFFIX: usize = 16;

/// One word the index holds for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The normalized, stemmed form the index is keyed by.
    pub stem: String,
    /// The form before diacritics were taken off, when that changed it
    /// ("café" for "cafe"): the browser ranks matching accents first.
    pub original: Option<String>,
    /// A part of a compound ("three" of "three-antelopes"): weighs less.
    pub part: bool,
}

/// A word as a thread's digest sees it: its stem by a number this thread gave
/// it (so a record groups its words by indexing an array, not by hashing).
#[derive(Debug, Clone)]
pub struct Known {
    pub id: u32,
    pub stem: Rc<str>,
    pub original: Option<Rc<str>>,
    pub part: bool,
}

/// The stemmer Pagefind uses for a language, by its primary subtag.
pub fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language.split('-').next().unwrap_or("") {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// How many distinct tokens a thread remembers before it starts again.
const REMEMBERED: usize = 1 << 18;

/// One thread's memory of tokens and stems, for one language at a time: a
/// site's text repeats its words, and stemming is most of what a word costs.
#[derive(Default)]
struct Memory {
    language: String,
    stemmer: Option<Stemmer>,
    /// Each token's words, and how many of them are compound parts.
    tokens: hashbrown::HashMap<String, (Box<[Known]>, u8)>,
    stems: HashMap<Rc<str>, u32, foldhash::fast::RandomState>,
}

thread_local! {
    static MEMORY: RefCell<Memory> = RefCell::new(Memory::default());
}

/// A token's words in one language, through this thread's memory, for the
/// length of one record: the stem numbers it hands out hold until then.
pub struct Splitter<'m> {
    memory: &'m mut Memory,
}

impl Splitter<'_> {
    /// Runs `f` with this thread's splitter for `language`.
    pub fn with<T>(language: &str, f: impl FnOnce(&mut Splitter) -> T) -> T {
        MEMORY.with(|m| {
            let mut m = m.borrow_mut();
            if m.language != language || m.tokens.len() >= REMEMBERED {
                *m = Memory {
                    language: language.to_string(),
                    stemmer: stemmer(language),
                    ..Memory::default()
                };
            }
            f(&mut Splitter { memory: &mut m })
        })
    }

    /// The words of a body token: its own, its compound parts and emoji, and the
    /// compound tails after its dots.
    /// Also how many of them are compound parts (they share the token's weight).
    pub fn body(&mut self, token: &str) -> (&[Known], u8) {
        let Memory {
            stemmer,
            tokens,
            stems,
            ..
        } = &mut *self.memory;
        let (words, parts) = tokens.entry_ref(token).or_insert_with(|| {
            let mut words = indexable(token, stemmer.as_ref());
            let tails = dotted_tails(token, stemmer.as_ref(), &words);
            words.extend(tails);
            let parts = words.iter().filter(|w| w.part).count();
            let known: Box<[Known]> = words.into_iter().map(|w| know(stems, w)).collect();
            (known, u8::try_from(parts).unwrap_or(u8::MAX))
        });
        (words, *parts)
    }

    /// A pair of grapheme clusters of a segmented script, as a compound part.
    pub fn pair(&mut self, text: &str) -> Known {
        let w = stem(text, self.memory.stemmer.as_ref(), true);
        know(&mut self.memory.stems, w)
    }

    /// The words of a metadata token (a title's): no dotted tails, as Pagefind.
    pub fn meta(&mut self, token: &str) -> Vec<Known> {
        let words = indexable(token, self.memory.stemmer.as_ref());
        words
            .into_iter()
            .map(|w| know(&mut self.memory.stems, w))
            .collect()
    }
}

fn know(stems: &mut HashMap<Rc<str>, u32, foldhash::fast::RandomState>, w: Word) -> Known {
    let next = stems.len() as u32;
    let (stem, id) = match stems.get_key_value(w.stem.as_str()) {
        Some((k, &id)) => (k.clone(), id),
        None => {
            let k: Rc<str> = w.stem.into();
            stems.insert(k.clone(), next);
            (k, next)
        }
    };
    Known {
        id,
        stem,
        original: w.original.map(Rc::from),
        part: w.part,
    }
}

/// Whether a language's text is cut into words by a dictionary before indexing
/// (with the `search-cjk` feature: Chinese, Japanese and Thai, as Pagefind's
/// extended build; the browser matches the pairs of characters it adds).
pub fn segments(language: &str) -> bool {
    cfg!(feature = "search-cjk")
        && matches!(language.split('-').next().unwrap_or(""), "zh" | "ja" | "th")
}

/// The words of a run of text in a segmented language. Breaks inside a grapheme
/// cluster are dropped: where the dictionary finds no word, ICU4X can cut a base
/// character from its mark, and a word cannot start with a dangling mark.
#[cfg(feature = "search-cjk")]
pub fn segment(input: &str) -> Vec<&str> {
    let segmenter = icu_segmenter::WordSegmenter::new_dictionary(Default::default());
    let mut clusters = input.grapheme_indices(true).map(|(i, _)| i).peekable();
    let mut start = 0;
    let mut out = Vec::new();
    for end in segmenter.segment_str(input).skip(1) {
        while clusters.next_if(|&g| g < end).is_some() {}
        if end == input.len() || clusters.peek() == Some(&end) {
            out.push(&input[start..end]);
            start = end;
        }
    }
    out
}

#[cfg(not(feature = "search-cjk"))]
pub fn segment(input: &str) -> Vec<&str> {
    vec![input]
}

/// A cluster of a script whose words are segmented (CJK ideographs, kana,
/// Thai, Lao, Myanmar, Khmer): pairs of these are indexed.
fn segmented_cluster(cluster: &str) -> bool {
    matches!(
        cluster.chars().next().map(u32::from),
        Some(
            0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x20000..=0x2FA1F
            | 0x30000..=0x323AF
            | 0x3041..=0x30FF
            | 0x31F0..=0x31FF
            | 0xFF66..=0xFF9F
            | 0x0E00..=0x0EFF
            | 0x1000..=0x109F
            | 0x1780..=0x17FF,
        )
    )
}

/// The pair across the boundary from `previous` (the last cluster of the word
/// before) to the start of `word`, when both sides are of a segmented script.
pub fn cross_pair(word: &str, previous: Option<&str>) -> Option<String> {
    let previous = previous.filter(|c| segmented_cluster(c))?;
    let first = word.graphemes(true).next()?;
    segmented_cluster(first).then(|| format!("{previous}{first}"))
}

/// Every pair of neighbouring clusters of a segmented script within `word`.
pub fn pairs(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut previous: Option<&str> = None;
    for cluster in word.graphemes(true) {
        if !segmented_cluster(cluster) {
            previous = None;
            continue;
        }
        if let Some(p) = previous {
            out.push(format!("{p}{cluster}"));
        }
        previous = Some(cluster);
    }
    out
}

/// The last grapheme cluster of a word.
pub fn last_cluster(word: &str) -> Option<&str> {
    word.graphemes(true).next_back()
}

/// Letters, digits and word symbols of a token, lowercased.
fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if !(c.is_alphanumeric() || WORD_SYMBOLS.contains(&c)) {
            continue;
        }
        let c = c.to_ascii_lowercase();
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn stem(normalized: &str, stemmer: Option<&Stemmer>, part: bool) -> Word {
    let plain = without_diacritics(normalized);
    let base = plain.as_deref().unwrap_or(normalized);
    let stem = match stemmer {
        Some(s) => s.stem(base).into_owned(),
        None => base.to_string(),
    };
    Word {
        stem,
        original: plain.map(|_| normalized.to_string()),
        part,
    }
}

fn indexable(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Word> {
    let mut out = Vec::with_capacity(1);
    let normalized = normalize(raw);
    if !normalized.is_empty() {
        out.push(stem(&normalized, stemmer, false));
    }
    for suffix in katakana_suffixes(raw) {
        let plain = without_diacritics(suffix);
        out.push(Word {
            original: plain.as_ref().map(|_| suffix.to_string()),
            stem: plain.unwrap_or_else(|| suffix.to_string()),
            part: true,
        });
    }
    let compound =
        raw.chars().any(|c| !c.is_alphanumeric()) || raw.chars().skip(1).any(char::is_uppercase);
    if !compound {
        return out;
    }
    let parts = discrete_words(raw);
    if !normalized.is_empty()
        && (parts.contains(char::is_whitespace) || !normalized.starts_with(parts.as_str()))
    {
        for part in parts.split_whitespace().filter(|p| p.len() > 1) {
            let plain = without_diacritics(part);
            let base = plain.as_deref().unwrap_or(part);
            let stem = match stemmer {
                Some(s) => s.stem(base).into_owned(),
                None => base.to_string(),
            };
            out.push(Word {
                stem,
                original: plain.map(|_| part.to_string()),
                part: true,
            });
        }
    }
    if may_hold_emoji(raw) {
        for grapheme in raw.graphemes(true) {
            if emojis::get(grapheme).is_some() {
                out.push(Word {
                    stem: grapheme.to_string(),
                    original: None,
                    part: false,
                });
            }
        }
    }
    out
}

/// Pagefind looks for emoji only where Unicode's Emoji property matches, which
/// every digit, `#` and `*` have too; the emoji list itself decides.
fn may_hold_emoji(raw: &str) -> bool {
    raw.chars()
        .any(|c| !c.is_ascii() || c.is_ascii_digit() || c == '#' || c == '*')
}

/// A compound's parts: ASCII punctuation as spaces, then split at case changes
/// and lowercased (`convert_case`, as Pagefind does), one space between parts.
fn discrete_words(raw: &str) -> String {
    use convert_case::{Case, Casing};
    let spaced = raw.replace(|c: char| c.is_ascii_punctuation(), " ");
    let lowered = spaced.to_case(Case::Lower);
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `sysconfig.is_python_build` is also found by `is_python_build`: each tail after
/// a dot that is itself a compound is a word, unless it is one already.
fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, existing: &[Word]) -> Vec<Word> {
    let mut tails: Vec<Word> = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    for (at, _) in raw.match_indices('.') {
        let rest = &raw[at + 1..];
        let tail = match rest.char_indices().nth(MAX_DOTTED_TAIL) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric())
            || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = normalize(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let word = stem(&normalized, stemmer, true);
        if !existing.iter().any(|w| w.stem == word.stem)
            && !tails.iter().any(|w| w.stem == word.stem)
        {
            tails.push(word);
        }
    }
    tails
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Every suffix of a katakana run of three or more characters (two or more each):
/// the word segmenter knows no katakana words, and the browser matches prefixes.
fn katakana_suffixes(raw: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    if raw.chars().count() < 3 || !raw.chars().all(is_katakana) {
        return out;
    }
    for (at, _) in raw.char_indices().skip(1) {
        let rest = &raw[at..];
        let suffix = match rest.char_indices().nth(MAX_KATAKANA_SUFFIX) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        if suffix.chars().count() >= 2 && !out.contains(&suffix) {
            out.push(suffix);
        }
    }
    out
}

/// The word without its combining marks ("cafe" for "café"), or None when that
/// changes nothing. Kana voicing marks are kept (they tell words apart) and then
/// composed again; everything else stays decomposed, so a half-typed Hangul
/// syllable is still a prefix of the word.
pub fn without_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !decomposes(word) {
        return None;
    }
    let kana_mark = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word
        .nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c) || kana_mark(c))
        .collect();
    let result = if stripped.chars().any(kana_mark) {
        stripped.nfc().collect::<String>()
    } else {
        stripped
    };
    (result != word).then_some(result)
}

fn decomposes(word: &str) -> bool {
    word.chars().any(|c| {
        if unicode_normalization::char::is_combining_mark(c) {
            return true;
        }
        let mut differs = false;
        unicode_normalization::char::decompose_canonical(c, |part| differs |= part != c);
        differs
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(token: &str, language: &str) -> Vec<(String, bool)> {
        Splitter::with(language, |s| {
            s.body(token)
                .0
                .iter()
                .map(|w| (w.stem.to_string(), w.part))
                .collect()
        })
    }

    #[test]
    fn compounds_index_the_whole_word_and_its_parts() {
        let want = vec![
            ("threeantelop".to_string(), false),
            ("three".to_string(), true),
            ("antelop".to_string(), true),
        ];
        assert_eq!(stems("ThreeAntelopes", "en"), want);
        assert_eq!(stems("three-antelopes", "en"), want);
        // `_` is a word character: the whole word keeps it.
        let snake = stems("three_antelopes", "en");
        assert_eq!(snake[0], ("three_antelop".to_string(), false));
        assert_eq!(snake[1..], want[1..]);
    }

    #[test]
    fn diacritics_are_indexed_without_and_remembered() {
        let words = Splitter::with("fr", |s| s.body("café-crème").0.to_vec());
        assert_eq!(&*words[0].stem, "cafecrem");
        assert_eq!(words[0].original.as_deref(), Some("cafécrème"));
        assert_eq!(&*words[1].stem, "caf");
        assert_eq!(&*words[2].stem, "crem");
    }

    #[test]
    fn dotted_tails_and_emoji_are_words() {
        let s = stems("sysconfig.is_python_build", "en");
        assert!(s.contains(&("is_python_build".to_string(), true)), "{s:?}");
        let s = stems("party🎉", "en");
        assert!(s.contains(&("🎉".to_string(), false)), "{s:?}");
    }

    #[test]
    fn punctuation_alone_is_no_word() {
        assert!(stems("—", "en").is_empty());
        assert_eq!(stems("Hello,", "en")[0].0, "hello");
    }
}
