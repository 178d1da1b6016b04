//! A block encoded once into bytes, with a slot for the nonce.

/// How a nonce is written into its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceFormat {
    /// ASCII decimal digits, no leading zeros: 1 to 20 bytes (the blog's JSON).
    Decimal,
    /// 8 bytes, big-endian (parmine's header): the bytes that change from
    /// one candidate to the next come last, where SHA-256 reads them last.
    BigEndian64,
    /// 8 bytes, little-endian.
    LittleEndian64,
    /// 4 bytes, little-endian (Bitcoin's header): nonces up to 2^32 - 1.
    LittleEndian32,
}

impl NonceFormat {
    /// Bytes `nonce` takes in this format.
    #[inline]
    pub fn len(self, nonce: u64) -> usize {
        match self {
            NonceFormat::Decimal => nonce.checked_ilog10().unwrap_or(0) as usize + 1,
            NonceFormat::BigEndian64 | NonceFormat::LittleEndian64 => 8,
            NonceFormat::LittleEndian32 => 4,
        }
    }

    /// One past the largest nonce the format can write.
    pub fn end(self) -> u64 {
        match self {
            NonceFormat::LittleEndian32 => 1 << 32,
            _ => u64::MAX,
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
            NonceFormat::BigEndian64 => out.copy_from_slice(&nonce.to_be_bytes()),
            NonceFormat::LittleEndian64 => out.copy_from_slice(&nonce.to_le_bytes()),
            NonceFormat::LittleEndian32 => out.copy_from_slice(&(nonce as u32).to_le_bytes()),
        }
    }

    /// Leading bytes of a `len`-byte encoding that stay the same for every
    /// nonce with the same [`group`](Self::group): a kernel prepares them
    /// once, and only the bytes after them are written per candidate.
    ///
    /// A decimal nonce varies in its last [`DECIMAL_VARYING`] digits: writing
    /// four digits per lane is a few multiplications, where formatting the
    /// whole number per candidate cost the decimal scan 30% against the
    /// binary one; and the fixed leading digits let the kernel start later
    /// in the block. Groups follow the decimal order, so the search order
    /// (and the lowest nonce found) is the same.
    #[inline]
    pub fn fixed_bytes(self, len: usize) -> usize {
        match self {
            NonceFormat::BigEndian64 => 4,
            NonceFormat::Decimal => len.saturating_sub(DECIMAL_VARYING),
            _ => 0,
        }
    }

    /// Nonces with the same length and group share their first
    /// [`fixed_bytes`](Self::fixed_bytes) bytes; groups grow with the nonce.
    #[inline]
    pub fn group(self, nonce: u64) -> u64 {
        match self {
            NonceFormat::BigEndian64 => nonce >> 32,
            NonceFormat::Decimal => nonce / DECIMAL_GROUP,
            _ => 0,
        }
    }

    /// Write the bytes of `nonce` after its [`fixed_bytes`](Self::fixed_bytes)
    /// into `out` (exactly `len - fixed_bytes` bytes).
    #[inline]
    pub fn write_varying(self, nonce: u64, out: &mut [u8]) {
        match self {
            NonceFormat::BigEndian64 => out.copy_from_slice(&(nonce as u32).to_be_bytes()),
            // The last four digits, with their zeros: a nonce of more than
            // four digits has a non-zero digit before them.
            NonceFormat::Decimal if out.len() == DECIMAL_VARYING => {
                let low = (nonce % DECIMAL_GROUP) as u32;
                out.copy_from_slice(&[
                    b'0' + (low / 1000) as u8,
                    b'0' + (low / 100 % 10) as u8,
                    b'0' + (low / 10 % 10) as u8,
                    b'0' + (low % 10) as u8,
                ]);
            }
            _ => self.write(nonce, out),
        }
    }
}

/// Trailing digits of a decimal nonce that differ within a group.
pub const DECIMAL_VARYING: usize = 4;

/// Nonces per decimal group, `10^DECIMAL_VARYING`: a multiple of the kernels'
/// sixteen lanes, so aligned lane groups never straddle two.
const DECIMAL_GROUP: u64 = 10u64.pow(DECIMAL_VARYING as u32);
const _: () = assert!(DECIMAL_GROUP.is_multiple_of(16));

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
/// let template = Encoding::Json.template(&block, HashAlgorithm::Sha256, parmine::Difficulty::from_hex_digits(4)?)?;
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
    fn varying_bytes_are_the_tail_of_the_encoding() {
        for format in [
            NonceFormat::Decimal,
            NonceFormat::BigEndian64,
            NonceFormat::LittleEndian64,
            NonceFormat::LittleEndian32,
        ] {
            for nonce in [
                0u64,
                7,
                255,
                999,
                1000,
                9999,
                10_000,
                10_009,
                99_999,
                1_230_000,
                1 << 31,
                (1 << 32) - 1,
                1 << 40,
                u64::MAX >> 1,
                u64::MAX - 1,
            ] {
                let nonce = nonce.min(format.end() - 1);
                let len = format.len(nonce);
                let mut whole = vec![0; len];
                format.write(nonce, &mut whole);
                let fixed = format.fixed_bytes(len);
                let mut tail = vec![0; len - fixed];
                format.write_varying(nonce, &mut tail);
                assert_eq!(tail, whole[fixed..], "{format:?} {nonce}");
                // Nonces of one group share the fixed bytes.
                let next = nonce + 1;
                if format.group(next) == format.group(nonce) && format.len(next) == len {
                    let mut other = vec![0; len];
                    format.write(next, &mut other);
                    assert_eq!(other[..fixed], whole[..fixed]);
                }
            }
        }
    }

    #[test]
    fn message_joins_the_parts() {
        let t = Template::new(b"ab".to_vec(), NonceFormat::LittleEndian64, b"z".to_vec());
        assert_eq!(t.message(0x0102), b"ab\x02\x01\0\0\0\0\0\0z");
    }
}
