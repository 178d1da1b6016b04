//! rotortree, the reference Lean IMT, with parmine's hashers (native only):
//! for the tests that compare roots and the benchmarks that compare speed.

pub use rotortree::{Blake3Hasher as RotorBlake3, LeanIMT as RotorTree};

/// SHA-256 for rotortree (it ships only a BLAKE3 adapter); its default
/// one-parent-at-a-time `hash_many_into` applies.
#[derive(Debug, Clone, Copy, Default)]
pub struct RotorSha256;

/// Streaming SHA-256 state for [`RotorSha256`].
pub struct RotorSha256State(sha2::Sha256);

impl rotortree::HashState for RotorSha256State {
    fn update(&mut self, data: &[u8]) {
        sha2::Digest::update(&mut self.0, data);
    }

    fn finalize(self) -> rotortree::Hash {
        sha2::Digest::finalize(self.0).into()
    }
}

impl rotortree::Hasher for RotorSha256 {
    type State = RotorSha256State;

    fn new_state(&self) -> RotorSha256State {
        RotorSha256State(<sha2::Sha256 as sha2::Digest>::new())
    }
}

/// Maximum depth of the rotortree trees parmine builds: enough for 2^32
/// leaves at arity 2.
pub const ROTOR_MAX_DEPTH: usize = 32;
