//! Mining on the GPU: one WGSL miner ([`plan::SHADER`]) for every host.
//!
//! The CPU prepares each search once ([`GpuPlan`]: the midstate, the rest of
//! the template, the target's one-word prefilter); the GPU hashes windows of
//! nonces and reports the lowest candidate of each that passes the
//! prefilter; the CPU checks it against the whole target. Natively the
//! shader runs through wgpu ([`native`], feature `gpu`); in the page,
//! through WebGPU from the driver worker (`www/gpu.js`), with the plan from
//! the wasm `gpuPlan` export. Both share this module's plan and tuning, so
//! only the few lines that talk to the device differ.

pub mod plan;
pub mod tuning;

#[cfg(all(feature = "gpu", not(target_arch = "wasm32")))]
pub mod native;

pub use self::plan::{GpuMode, GpuPlan, MAX_GPU_MESSAGE, SHADER};
pub use self::tuning::Tuning;

use std::ops::Range;

use crate::error::Result;
use crate::mine::{Control, Mined, Puzzle};

/// Mine `puzzle` over `range` on the system's GPU: the lowest proof.
///
/// The device is opened and the miner calibrated for the puzzle's hasher
/// once per process; neither counts in the run's time.
///
/// # Errors
///
/// No GPU adapter, a message too long for the GPU, a cancel, or no proof in
/// the range ([`crate::Error::Exhausted`]).
#[cfg(all(feature = "gpu", not(target_arch = "wasm32")))]
pub fn mine(puzzle: &Puzzle, range: Range<u64>, control: &Control) -> Result<Mined> {
    use crate::error::Error;
    use crate::mine::Strategy;

    let device = native::shared()?;
    let tuning = device.tuned(puzzle)?;
    let start = web_time::Instant::now();
    let (found, attempts) = device.search(puzzle, range.clone(), GpuMode::Lowest, tuning, control)?;
    let elapsed = start.elapsed();
    match found {
        Some(nonce) => Ok(Mined {
            proof: nonce,
            hash: puzzle.digest(nonce),
            attempts,
            useful_attempts: Mined::useful_in_order(range.start, nonce),
            elapsed,
            strategy: Strategy::Gpu,
            threads: 1,
        }),
        None => Err(Error::Exhausted { range, attempts }),
    }
}

/// This build has no GPU miner.
///
/// # Errors
///
/// Always: one line saying where the GPU miner is.
#[cfg(not(all(feature = "gpu", not(target_arch = "wasm32"))))]
pub fn mine(_puzzle: &Puzzle, _range: Range<u64>, _control: &Control) -> Result<Mined> {
    Err(crate::error::Error::InvalidArgument(
        "this build has no GPU miner: natively it is the `gpu` feature (on by default); \
         in a browser the page runs it through WebGPU"
            .into(),
    ))
}
