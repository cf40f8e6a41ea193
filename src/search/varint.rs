//! The packed form of a digest's words: LEB128 numbers, signed ones zigzagged.
//! Readers return None on anything cut short or too large, never panic: the
//! same bytes are read back from the cache, which is untrusted.

pub fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub fn put_signed(out: &mut Vec<u8>, n: i64) {
    put(out, ((n << 1) ^ (n >> 63)) as u64);
}

pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
pub fn put_list(out: &mut Vec<u8>, list: &[i64]) {
    put(out, list.len() as u64);
    for &n in list {
        put_signed(out, n);
    }
}

/// Reads numbers and strings from a buffer, front to back.
pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn get(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    pub fn get_signed(&mut self) -> Option<i64> {
        let n = self.get()?;
        Some(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// A length no larger than what is left of the buffer.
    pub fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.get()?).ok()?;
        (n <= self.bytes.len().saturating_sub(self.at)).then_some(n)
    }

    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        let out = self.bytes.get(self.at..self.at + n)?;
        self.at += n;
        Some(out)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// Skips a list written by `put_list`, returning its length.
    pub fn skip_list(&mut self) -> Option<usize> {
        let n = self.len()?;
        for _ in 0..n {
            self.get()?;
        }
        Some(n)
    }

    #[cfg(test)]
    pub fn list(&mut self) -> Option<Vec<i64>> {
        let n = self.len()?;
        (0..n).map(|_| self.get_signed()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_and_short_input_is_none() {
        let mut out = Vec::new();
        put_list(&mut out, &[-25, 0, 300, i64::MIN, i64::MAX]);
        put_str(&mut out, "héllo");
        let mut r = Reader::new(&out);
        assert_eq!(r.list().unwrap(), vec![-25, 0, 300, i64::MIN, i64::MAX]);
        assert_eq!(r.str(), Some("héllo"));
        assert!(r.done());
        let mut cut = Reader::new(&out[..out.len() - 1]);
        cut.list();
        assert_eq!(cut.str(), None);
        assert_eq!(Reader::new(&[0xff; 12]).get(), None);
    }
}
