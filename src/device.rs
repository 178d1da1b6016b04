//! Where a [`Miner`] runs: on the CPU, with one of the strategies of
//! `mine/`, or on the GPU (`gpu/`).
//!
//! [`Miner::mine`] is the one place the two meet, above both: the CPU
//! strategies know nothing of the GPU, and the GPU miner builds on the mining
//! vocabulary (puzzle, control, result) without the two importing each other.

use crate::error::{Error, Result};
use crate::mine::{Control, Mined, Miner, Puzzle, Strategy};

impl Miner {
    /// Mine `puzzle`: [`Strategy::Gpu`] on the system's GPU (the lowest
    /// proof of the range), any other strategy on the CPU's threads.
    ///
    /// # Errors
    ///
    /// [`Error::ThreadsOutOfRange`], [`Error::EmptyRange`] for bad settings;
    /// [`Error::Cancelled`] when the control was cancelled;
    /// [`Error::Exhausted`] when no nonce in the range is a proof; for the
    /// GPU, also no adapter or a message too long for it.
    pub fn mine(&self, puzzle: &Puzzle) -> Result<Mined> {
        if self.strategy() != Strategy::Gpu {
            return self.mine_on_cpu(puzzle);
        }
        let range = self.nonces();
        if range.start >= range.end {
            return Err(Error::EmptyRange { start: range.start, end: range.end });
        }
        let own = Control::new();
        crate::gpu::mine(puzzle, range, self.controlled_by().unwrap_or(&own))
    }
}
