//! Kernels compiled for where the nonce sits, so that what is fixed is a
//! constant.
//!
//! A lane kernel that knows at compile time which message words vary can take
//! every other word as a broadcast constant and skip the work of fixed
//! inputs without a test: a run-time mask cost a test and branch per round
//! in SHA-256 and kept message words in registers in BLAKE3, and the merges
//! after the branches spilled vectors to the stack. So each kernel is
//! compiled once per even starting word `S` of the block that holds the
//! first varying word, assuming the nonce varies only in words `S..S + SPAN`
//! of that block; [`fits`] says whether a layout keeps to that, and one that
//! does not runs a copy without hints. [`with_start!`] is the one place a
//! layout's start becomes those constants, for both hashers.

/// Words, from the kernel's start `S`, that a hinted kernel lets vary: four
/// varying bytes (the binary and decimal nonces' group layouts) span at most
/// two words, starting at `S` or `S + 1`.
pub(super) const SPAN: usize = 3;

/// Whether varying words `skip..skip + count` of a block (`skip` < 16; words
/// past 15 are in later blocks) lie within the span of the hinted kernel
/// for `skip` rounded down to even, and within the block.
pub(super) fn fits(skip: usize, count: usize) -> bool {
    skip + count <= 16 && skip + count <= (skip & !1) + SPAN
}

/// Evaluate `$body` with the consts `$S` and `$H` bound to a layout's start
/// and hints: where the layout [`fits`], `$skip` (its first varying word in
/// the hot block, 0 to 15) rounded down to even and `true`, one copy of the
/// kernel per even start; otherwise word 0 and `false`.
macro_rules! with_start {
    ($skip:expr, $hinted:expr, $S:ident, $H:ident => $body:expr) => {
        $crate::hash::span::with_start!(@arms $skip, $hinted, $S, $H, $body; 0 1, 2 3, 4 5, 6 7, 8 9, 10 11, 12 13)
    };
    (@arms $skip:expr, $hinted:expr, $S:ident, $H:ident, $body:expr; $($even:literal $odd:literal),*) => {
        match $skip {
            _ if !$hinted => {
                const $S: usize = 0;
                const $H: bool = false;
                $body
            }
            $($even | $odd => {
                const $S: usize = $even;
                const $H: bool = true;
                $body
            })*
            _ => {
                const $S: usize = 14;
                const $H: bool = true;
                $body
            }
        }
    };
}
pub(super) use with_start;

/// The words of the block in the span of the kernel for start `s`, as a
/// mask (bit `j` for word `j`).
pub(super) const fn span_words(s: usize) -> u16 {
    let mut mask = 0u16;
    let mut j = s;
    while j < s + SPAN && j < 16 {
        mask |= 1 << j;
        j += 1;
    }
    mask
}

/// Whether word `j` of the hot block lies in the span of the kernel for
/// start `s`.
#[inline(always)]
pub(super) const fn in_span(s: usize, j: usize) -> bool {
    s <= j && j < s + SPAN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_bytes_anywhere_in_a_block_fit() {
        for start in 0..61 {
            let last_byte = start + 3;
            let (first, last) = (start / 4, last_byte / 4);
            let (skip, count) = (first, last - first + 1);
            assert!(fits(skip, count), "bytes {start}..{}", start + 4);
        }
        assert!(!fits(15, 2), "a nonce that runs into the next block");
        assert!(!fits(1, 3), "three words from an odd start");
        assert!(fits(0, 3) && !fits(0, 4));
    }
}
