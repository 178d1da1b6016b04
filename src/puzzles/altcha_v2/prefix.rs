//! The `keyPrefix` a derived key must start with, compared as altcha-lib
//! does: an even number of hex digits as bytes, an odd number as the key's
//! lowercase hex (the same as comparing every digit, the last one being the
//! high half of a byte).

use crate::error::{Error, Result};
use crate::puzzles::bytes_from_hex;

/// A parsed `keyPrefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPrefix {
    /// The whole bytes of the prefix.
    bytes: Vec<u8>,
    /// An odd prefix's last digit, the high half of the next key byte.
    high_nibble: Option<u8>,
}

impl KeyPrefix {
    /// The prefix from its hex text, for keys of `key_len` bytes: refused when
    /// empty, not hex, or longer than any key could match.
    pub fn parse(text: &str, key_len: usize) -> Result<KeyPrefix> {
        if text.is_empty() {
            return Err(Error::InvalidArgument(
                "the ALTCHA keyPrefix is empty: every key would match".into(),
            ));
        }
        if text.len() > 2 * key_len {
            return Err(Error::InvalidArgument(format!(
                "the ALTCHA keyPrefix has {} hex digits, more than the {} of a {key_len}-byte key: no key can match",
                text.len(),
                2 * key_len
            )));
        }
        let even = text.len() & !1;
        let bytes = bytes_from_hex("the ALTCHA keyPrefix", &text[..even])?;
        let high_nibble = match text[even..].chars().next() {
            None => None,
            Some(c) => Some(c.to_digit(16).ok_or_else(|| {
                Error::InvalidArgument(format!("the ALTCHA keyPrefix is not hex: '{c}' at position {even}"))
            })? as u8),
        };
        Ok(KeyPrefix { bytes, high_nibble })
    }

    /// Whether `key` starts with the prefix.
    #[inline]
    pub fn matches(&self, key: &[u8]) -> bool {
        key.starts_with(&self.bytes)
            && self
                .high_nibble
                .is_none_or(|nibble| key.get(self.bytes.len()).is_some_and(|b| b >> 4 == nibble))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_and_odd_prefixes_compare_like_hex_text() {
        let key = [0xab, 0xcd, 0xef];
        for (text, matches) in [
            ("ab", true),
            ("AB", true),
            ("abc", true),
            ("abC", true),
            ("abd", false),
            ("abcdef", true),
            ("a", true),
            ("b", false),
        ] {
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex.starts_with(&text.to_lowercase()), matches, "{text}");
            assert_eq!(KeyPrefix::parse(text, 3).unwrap().matches(&key), matches, "{text}");
        }
        assert!(KeyPrefix::parse("", 3).unwrap_err().to_string().contains("empty"));
        assert!(KeyPrefix::parse("abcdef0", 3).unwrap_err().to_string().contains("no key can match"));
        assert!(KeyPrefix::parse("0g", 3).unwrap_err().to_string().contains("not hex"));
        assert!(KeyPrefix::parse("00g", 3).unwrap_err().to_string().contains("'g' at position 2"));
    }
}
