//! A block encoded once into bytes, with a slot for the nonce.

/// How a nonce is written into its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceFormat {
    /// ASCII decimal digits, no leading zeros: 1 to 20 bytes (the blog's JSON).
    Decimal,
    /// 8 bytes, little-endian (the binary header).
    LittleEndian64,
}

impl NonceFormat {
    /// Bytes `nonce` takes in this format.
    #[inline]
    pub fn len(self, nonce: u64) -> usize {
        match self {
            NonceFormat::Decimal => nonce.checked_ilog10().unwrap_or(0) as usize + 1,
            NonceFormat::LittleEndian64 => 8,
        }
    }

    /// Write `nonce` into `out`, which is exactly [`len`](Self::len) bytes.
    #[inline]
    pub fn write(self, nonce: u64, out: &mut [u8]) {
        match self {
            NonceFormat::Decimal => {
                let mut buf = itoa::Buffer::new();
                out.copy_from_slice(buf.format(nonce).as_bytes());
            }
            NonceFormat::LittleEndian64 => out.copy_from_slice(&nonce.to_le_bytes()),
        }
    }
}

/// The bytes of a block with a hole for the nonce: `prefix ‖ nonce ‖ suffix`.
///
/// The template is built once per search and shared read-only by every worker;
/// no worker ever re-encodes the block.
///
/// # Examples
///
/// ```
/// use parmine::block::{Block, Encoding};
/// use parmine::HashAlgorithm;
///
/// let block = Block::benchmark();
/// let template = Encoding::Json.template(&block, HashAlgorithm::Sha256)?;
/// assert_eq!(template.message(42), block.with_proof(42).to_json().into_bytes());
/// # Ok::<(), parmine::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    prefix: Vec<u8>,
    suffix: Vec<u8>,
    nonce: NonceFormat,
}

impl Template {
    /// A template from its three parts.
    pub fn new(prefix: Vec<u8>, nonce: NonceFormat, suffix: Vec<u8>) -> Template {
        Template { prefix, suffix, nonce }
    }

    /// The bytes before the nonce.
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// The bytes after the nonce.
    pub fn suffix(&self) -> &[u8] {
        &self.suffix
    }

    /// How the nonce is written.
    pub fn nonce_format(&self) -> NonceFormat {
        self.nonce
    }

    /// The whole message for `nonce` (allocates: for checks, not for mining).
    pub fn message(&self, nonce: u64) -> Vec<u8> {
        let len = self.nonce.len(nonce);
        let mut out = Vec::with_capacity(self.prefix.len() + len + self.suffix.len());
        out.extend_from_slice(&self.prefix);
        out.resize(self.prefix.len() + len, 0);
        self.nonce.write(nonce, &mut out[self.prefix.len()..]);
        out.extend_from_slice(&self.suffix);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_lengths_and_digits() {
        for (nonce, text) in
            [(0u64, "0"), (9, "9"), (10, "10"), (1917336, "1917336"), (u64::MAX, "18446744073709551615")]
        {
            assert_eq!(NonceFormat::Decimal.len(nonce), text.len());
            let mut out = vec![0; text.len()];
            NonceFormat::Decimal.write(nonce, &mut out);
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn message_joins_the_parts() {
        let t = Template::new(b"ab".to_vec(), NonceFormat::LittleEndian64, b"z".to_vec());
        assert_eq!(t.message(0x0102), b"ab\x02\x01\0\0\0\0\0\0z");
    }
}
