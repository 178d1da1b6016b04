//! What the GPU miner is given: a puzzle turned into the words `miner.wgsl`
//! reads. Portable (no wgpu): the native host (`gpu::native`) and the page's
//! WebGPU worker (through the wasm `gpuPlan` export) both upload exactly this.

use serde::{Deserialize, Serialize};

use crate::block::NonceFormat;
use crate::error::{Error, Result};
use crate::hash::HashAlgorithm;
use crate::mine::Puzzle;

/// The WGSL source of the miner, for every host.
pub const SHADER: &str = include_str!("miner.wgsl");

/// Words of the parameter block (`P_*` in the shader).
pub const PARAM_WORDS: usize = 24;

/// Largest message a GPU search takes, in bytes: BLAKE3 on the GPU hashes
/// one chunk (1024 bytes); SHA-256's tail is capped alike, since every byte
/// after the midstate is assembled per candidate.
pub const MAX_GPU_MESSAGE: usize = 1024;

/// Slot of each field in the parameter block (mirrors the shader's `P_*`).
mod slot {
    pub const ALGORITHM: usize = 0;
    pub const NONCE_FORMAT: usize = 1;
    pub const MODE: usize = 2;
    pub const HEAD_LEN: usize = 3;
    pub const SUFFIX_LEN: usize = 4;
    pub const PREFIX_BLOCKS: usize = 5;
    pub const BASE_LO: usize = 6;
    pub const BASE_HI: usize = 7;
    pub const COUNT: usize = 8;
    pub const PER_INVOCATION: usize = 9;
    pub const FILTER_WORD: usize = 10;
    pub const FILTER_SWAP: usize = 11;
    pub const FILTER_MIN: usize = 12;
    pub const FILTER_MAX: usize = 13;
    pub const ROW: usize = 14;
    pub const MIDSTATE: usize = 16;
}

/// Where a host that fills in windows itself (the page's `gpu.js`) writes
/// each window's fields, and the prefilter's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slots {
    /// First nonce, low word.
    pub base_lo: usize,
    /// First nonce, high word.
    pub base_hi: usize,
    /// Nonces in the window.
    pub count: usize,
    /// Nonces per invocation.
    pub per_invocation: usize,
    /// Invocations per grid row.
    pub row: usize,
    /// Smallest passing prefilter value.
    pub filter_min: usize,
    /// Largest passing prefilter value.
    pub filter_max: usize,
}

/// The slots of the parameter block.
pub const SLOTS: Slots = Slots {
    base_lo: slot::BASE_LO,
    base_hi: slot::BASE_HI,
    count: slot::COUNT,
    per_invocation: slot::PER_INVOCATION,
    row: slot::ROW,
    filter_min: slot::FILTER_MIN,
    filter_max: slot::FILTER_MAX,
};

/// Which candidate of a window the GPU reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GpuMode {
    /// The lowest passing nonce of each window: windows run in order, so
    /// the search returns the lowest proof, as sequential does.
    Lowest,
    /// Any passing nonce: invocations stop once one is found.
    Any,
}

/// A puzzle as the shader reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GpuPlan {
    /// The parameter block, with the window fields zero.
    pub params: Vec<u32>,
    /// The head's bytes then the suffix's, one byte a word.
    pub bytes: Vec<u32>,
}

impl GpuPlan {
    /// The plan of `puzzle`.
    ///
    /// # Errors
    ///
    /// A message longer than [`MAX_GPU_MESSAGE`].
    pub fn new(puzzle: &Puzzle, mode: GpuMode) -> Result<GpuPlan> {
        let template = puzzle.template();
        let (prefix, suffix) = (template.prefix(), template.suffix());
        let longest = prefix.len() + 20 + suffix.len();
        if longest > MAX_GPU_MESSAGE {
            return Err(Error::InvalidArgument(format!(
                "the GPU miner takes messages of at most {MAX_GPU_MESSAGE} bytes; this one has up to {longest} \
                 (a block of fewer transactions, or the header encoding, fits)"
            )));
        }
        let whole = prefix.len() / 64;
        let (algorithm, midstate) = match puzzle.algorithm() {
            HashAlgorithm::Sha256 => (0, crate::hash::sha256::midstate(&prefix[..whole * 64])),
            HashAlgorithm::Sha256d => (1, crate::hash::sha256::midstate(&prefix[..whole * 64])),
            HashAlgorithm::Blake3 => (2, crate::hash::blake3::midstate(&prefix[..whole * 64])),
        };
        let filter = puzzle.target().prefilter();
        let mut params = vec![0u32; PARAM_WORDS];
        params[slot::ALGORITHM] = algorithm;
        params[slot::NONCE_FORMAT] = match template.nonce_format() {
            NonceFormat::Decimal => 0,
            NonceFormat::BigEndian64 => 1,
            NonceFormat::LittleEndian64 => 2,
            NonceFormat::LittleEndian32 => 3,
        };
        params[slot::MODE] = match mode {
            GpuMode::Lowest => 0,
            GpuMode::Any => 1,
        };
        let head = &prefix[whole * 64..];
        params[slot::HEAD_LEN] = head.len() as u32;
        params[slot::SUFFIX_LEN] = suffix.len() as u32;
        params[slot::PREFIX_BLOCKS] = whole as u32;
        params[slot::FILTER_WORD] = filter.word as u32;
        params[slot::FILTER_SWAP] = u32::from(filter.swap);
        params[slot::FILTER_MIN] = filter.min;
        params[slot::FILTER_MAX] = filter.max;
        params[slot::MIDSTATE..slot::MIDSTATE + 8].copy_from_slice(&midstate);
        let mut bytes: Vec<u32> = head.iter().chain(suffix).map(|&b| u32::from(b)).collect();
        if bytes.is_empty() {
            bytes.push(0); // a storage buffer may not be empty
        }
        Ok(GpuPlan { params, bytes })
    }

    /// The parameter block of one dispatch: `count` nonces from `base`, each
    /// invocation trying `per_invocation`, `row` invocations per grid row.
    pub fn window(&self, base: u64, count: u32, per_invocation: u32, row: u32) -> Vec<u32> {
        let mut params = self.params.clone();
        params[slot::BASE_LO] = base as u32;
        params[slot::BASE_HI] = (base >> 32) as u32;
        params[slot::COUNT] = count;
        params[slot::PER_INVOCATION] = per_invocation.max(1);
        params[slot::ROW] = row;
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{Block, Encoding};
    use crate::difficulty::Difficulty;

    #[test]
    fn the_shader_and_the_plan_agree_on_the_slots() {
        for (name, value) in [
            ("P_ALGORITHM", slot::ALGORITHM),
            ("P_NONCE_FORMAT", slot::NONCE_FORMAT),
            ("P_MODE", slot::MODE),
            ("P_HEAD_LEN", slot::HEAD_LEN),
            ("P_SUFFIX_LEN", slot::SUFFIX_LEN),
            ("P_PREFIX_BLOCKS", slot::PREFIX_BLOCKS),
            ("P_BASE_LO", slot::BASE_LO),
            ("P_BASE_HI", slot::BASE_HI),
            ("P_COUNT", slot::COUNT),
            ("P_PER_INVOCATION", slot::PER_INVOCATION),
            ("P_FILTER_WORD", slot::FILTER_WORD),
            ("P_FILTER_SWAP", slot::FILTER_SWAP),
            ("P_FILTER_MIN", slot::FILTER_MIN),
            ("P_FILTER_MAX", slot::FILTER_MAX),
            ("P_ROW", slot::ROW),
            ("P_MIDSTATE", slot::MIDSTATE),
        ] {
            let line = format!("const {name}: u32 = {value}u;");
            assert!(SHADER.contains(&line), "miner.wgsl lacks `{line}`");
        }
    }

    #[test]
    fn the_midstate_covers_the_whole_blocks_before_the_nonce() {
        let difficulty = Difficulty::from_hex_digits(4).unwrap();
        for encoding in [Encoding::Json, Encoding::Header] {
            for hasher in [HashAlgorithm::Sha256, HashAlgorithm::Blake3] {
                let puzzle = Puzzle::new(&Block::benchmark(), encoding, hasher, difficulty).unwrap();
                let plan = GpuPlan::new(&puzzle, GpuMode::Lowest).unwrap();
                let prefix = puzzle.template().prefix().len();
                assert_eq!(plan.params[slot::PREFIX_BLOCKS] as usize, prefix / 64);
                assert_eq!(plan.params[slot::HEAD_LEN] as usize, prefix % 64);
                assert_eq!(plan.bytes.len(), prefix % 64 + puzzle.template().suffix().len());
            }
        }
    }

    #[test]
    fn a_message_too_long_for_one_chunk_is_refused_in_one_line() {
        let block = Block::sample(Block::BENCHMARK_TIMESTAMP, 10).unwrap();
        let difficulty = Difficulty::from_hex_digits(4).unwrap();
        let puzzle = Puzzle::new(&block, Encoding::Json, HashAlgorithm::Sha256, difficulty).unwrap();
        let error = GpuPlan::new(&puzzle, GpuMode::Lowest).unwrap_err().to_string();
        assert!(error.contains("at most 1024 bytes") && !error.contains('\n'), "{error}");
    }
}
