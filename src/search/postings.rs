//! A record's words as the index stores them: each word's entry (plain and
//! accented forms, positions and weights in the text and the metadata), gathered
//! while the text is read (digest.rs) and packed for the word index.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::varint;
use super::words::Known;

thread_local! {
    /// Per stem number (`words::Known::id`), 1 + the entry of the record being
    /// digested that holds it (0: none yet).
    pub(super) static SLOTS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The record's entry for a word (its index), made when first met.
pub(super) fn entry(entries: &mut Vec<Entry>, slots: &mut Vec<u32>, w: &Known) -> u32 {
    let id = w.id as usize;
    if id >= slots.len() {
        slots.resize(id + 1, 0);
    }
    let at = match slots[id] {
        0 => {
            entries.push(Entry {
                id: w.id,
                stem: w.stem.clone(),
                ..Entry::default()
            });
            slots[id] = entries.len() as u32;
            entries.len() - 1
        }
        n => n as usize - 1,
    };
    at as u32
}

/// One occurrence of a word in the text: plain forms go to the record's one
/// list, accented forms to their entry.
pub(super) fn occur(
    entries: &mut Vec<Entry>,
    slots: &mut Vec<u32>,
    plain: &mut Vec<(u32, u32, u8)>,
    w: &Known,
    position: u32,
    weight: u8,
) {
    let at = entry(entries, slots, w);
    match &w.original {
        None => plain.push((at, position, weight)),
        Some(form) => entries[at as usize]
            .body_forms
            .push((form.clone(), position, weight)),
    }
}

/// Gives the slots back to the thread, cleared for the next record.
pub(super) fn release(mut slots: Vec<u32>, entries: &[Entry]) {
    for e in entries {
        if let Some(s) = slots.get_mut(e.id as usize) {
            *s = 0;
        }
    }
    SLOTS.with(|s| *s.borrow_mut() = slots);
}

/// An accented form with its positions in the text and in the metadata.
pub(super) type Form = (Rc<str>, Vec<(u32, u8)>, Vec<(u16, u32)>);

/// A word's occurrences in one record: plain and accented forms, in the text
/// (position, weight) and in the metadata (field, position).
#[derive(Default)]
pub(super) struct Entry {
    pub(super) id: u32,
    pub(super) stem: Rc<str>,
    pub(super) body_forms: Vec<(Rc<str>, u32, u8)>,
    pub(super) meta: Vec<(u16, u32)>,
    pub(super) meta_forms: Vec<(Rc<str>, u16, u32)>,
}

/// Positions in the text, as the index stores them: sorted by weight (ordinary
/// weight first only when it is 25, which it never is: Pagefind's rule) then
/// position; a change of weight is `-(weight + 1)` and the position itself,
/// else the distance from the last position. Written as a count and zigzag
/// varints.
pub(super) fn put_positions(out: &mut Vec<u8>, seen: &mut [(u32, u8)]) {
    seen.sort_by_key(|&(position, weight)| (if weight == 25 { 0 } else { weight }, position));
    let mut changes = 0;
    let mut current = 25u8;
    for &(_, weight) in seen.iter() {
        if weight != current {
            changes += 1;
            current = weight;
        }
    }
    varint::put(out, (seen.len() + changes) as u64);
    let mut current = 25u8;
    let mut last = 0u32;
    for &(position, weight) in seen.iter() {
        if weight != current {
            varint::put_signed(out, -i64::from(weight) - 1);
            varint::put_signed(out, i64::from(position));
            current = weight;
        } else {
            varint::put_signed(out, i64::from(position - last));
        }
        last = position;
    }
}

/// Positions in the metadata: by field, `-(field + 1)` at each new field, then
/// each position as the distance from the last one in that field.
pub(super) fn put_meta(out: &mut Vec<u8>, seen: &mut [(u16, u32)]) {
    seen.sort_unstable();
    let mut fields = 0;
    let mut field = None;
    for &(f, _) in seen.iter() {
        if field != Some(f) {
            fields += 1;
            field = Some(f);
        }
    }
    varint::put(out, (seen.len() + fields) as u64);
    let mut field = None;
    let mut last = 0u32;
    for &(f, position) in seen.iter() {
        if field != Some(f) {
            varint::put_signed(out, -i64::from(f) - 1);
            field = Some(f);
            last = 0;
        }
        varint::put_signed(out, i64::from(position - last));
        last = position;
    }
}

/// The record's words in the order first met, each as: stem, then 1 and its
/// positions (text, then metadata) when the plain form occurs, else 0; then the
/// count of accented forms (those in the text sorted, then those only in the
/// metadata sorted: Pagefind's order), each its form and positions likewise.
/// Metadata fields are numbered by the record's own sorted list; `encode`
/// renumbers them for the language's list.
pub(super) fn pack(entries: Vec<Entry>, plain: Vec<(u32, u32, u8)>) -> Vec<u8> {
    // The plain occurrences grouped by entry, in text order within each.
    let mut starts = vec![0usize; entries.len() + 1];
    for &(e, _, _) in &plain {
        starts[e as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut grouped = vec![(0u32, 0u8); plain.len()];
    let mut next = starts.clone();
    for (e, position, weight) in plain {
        grouped[next[e as usize]] = (position, weight);
        next[e as usize] += 1;
    }
    let mut out = Vec::with_capacity(entries.len() * 16);
    for (i, mut e) in entries.into_iter().enumerate() {
        let body = &mut grouped[starts[i]..starts[i + 1]];
        varint::put_str(&mut out, &e.stem);
        let has_page = !body.is_empty() || !e.meta.is_empty();
        out.push(u8::from(has_page));
        if has_page {
            put_positions(&mut out, body);
            put_meta(&mut out, &mut e.meta);
        }
        if e.body_forms.is_empty() && e.meta_forms.is_empty() {
            out.push(0);
            continue;
        }
        let mut forms: Vec<Form> = Vec::new();
        let mut body: BTreeMap<Rc<str>, Vec<(u32, u8)>> = BTreeMap::new();
        for (form, p, w) in e.body_forms {
            body.entry(form).or_default().push((p, w));
        }
        forms.extend(body.into_iter().map(|(f, b)| (f, b, Vec::new())));
        let mut meta: BTreeMap<Rc<str>, Vec<(u16, u32)>> = BTreeMap::new();
        for (form, f, p) in e.meta_forms {
            meta.entry(form).or_default().push((f, p));
        }
        for (form, m) in meta {
            match forms.iter_mut().find(|v| v.0 == form) {
                Some(v) => v.2 = m,
                None => forms.push((form, Vec::new(), m)),
            }
        }
        varint::put(&mut out, forms.len() as u64);
        for (form, mut b, mut m) in forms {
            varint::put_str(&mut out, &form);
            put_positions(&mut out, &mut b);
            put_meta(&mut out, &mut m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_list(bytes: &[u8]) -> Vec<i64> {
        let mut r = varint::Reader::new(bytes);
        let list = r.list().unwrap();
        assert!(r.done());
        list
    }

    #[test]
    fn positions_pack_with_weight_changes_first() {
        // Ordinary weight 24 still starts with a marker (Pagefind's rule).
        let mut out = Vec::new();
        put_positions(&mut out, &mut [(0, 24), (3, 24), (5, 24)]);
        assert_eq!(read_list(&out), vec![-25, 0, 3, 2]);
        let mut out = Vec::new();
        put_positions(&mut out, &mut [(4, 24), (1, 168)]);
        assert_eq!(read_list(&out), vec![-25, 4, -169, 1]);
        let mut out = Vec::new();
        put_meta(&mut out, &mut [(3, 2), (0, 0), (0, 5)]);
        assert_eq!(read_list(&out), vec![-1, 0, 5, -4, 2]);
    }
}
