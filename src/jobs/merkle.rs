//! Build and prove a Merkle tree: `parmine merkle` and the page's `merkle`
//! and `verifyProof` jobs.

use serde::{Deserialize, Serialize};

use super::defaults;
use crate::bench::{TreeBuild, build_tree, merkle_leaves, prove_leaf};
use crate::error::Result;
use crate::hash::{HashAlgorithm, digest_from_hex};
use crate::limits;
use crate::merkle::{Parallelism, Proof};
use crate::pool::Pool;

/// Options of a Merkle job: a Lean IMT over generated leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct MerkleJob {
    /// Number of leaves; leaf i is the hash of i as 8 little-endian bytes.
    #[cfg_attr(feature = "cli", arg(long))]
    pub leaves: u64,
    /// Children per parent, 2 to 16.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::arity()))]
    #[serde(default = "defaults::arity")]
    pub arity: usize,
    /// Hash function: sha256 or blake3.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = defaults::merkle_hasher()))]
    #[serde(default = "defaults::merkle_hasher")]
    pub hasher: HashAlgorithm,
    /// Threads [default: all cores; in a browser, the whole pool]; 1 builds
    /// sequentially on the calling thread.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub threads: Option<usize>,
    /// Parents from which a level goes parallel.
    #[cfg_attr(feature = "cli", arg(long, env = "PARMINE_MERKLE_THRESHOLD", default_value_t = defaults::threshold()))]
    #[serde(default = "defaults::threshold")]
    pub threshold: usize,
    /// Parents per parallel task.
    #[cfg_attr(feature = "cli", arg(long, env = "PARMINE_MERKLE_TASK", default_value_t = defaults::task()))]
    #[serde(default = "defaults::task")]
    pub task: usize,
    /// Also make and verify an inclusion proof for this leaf.
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(default)]
    pub proof: Option<u64>,
}

/// A built tree: the command line's `--json` object.
#[derive(Debug, Clone, Serialize)]
pub struct MerkleReport {
    /// Root, size, depth, time, parents.
    #[serde(flatten)]
    pub build: TreeBuild,
    /// Children per parent.
    pub arity: usize,
    /// Hash function: sha256 or blake3.
    pub hasher: HashAlgorithm,
    /// Threads.
    pub threads: usize,
    /// The proof asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// Whether it verifies against the root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
}

impl MerkleJob {
    /// A job over `leaves` leaves, every other option at its default.
    pub fn new(leaves: u64) -> MerkleJob {
        MerkleJob {
            leaves,
            arity: defaults::arity(),
            hasher: defaults::merkle_hasher(),
            threads: None,
            threshold: defaults::threshold(),
            task: defaults::task(),
            proof: None,
        }
    }

    /// Build the tree (and the proof).
    ///
    /// # Errors
    ///
    /// Bad options, or a tree too large for the memory a job may use.
    pub fn run(&self) -> Result<MerkleReport> {
        limits::check_leaves(self.leaves)?;
        let threads = self.threads.unwrap_or_else(Pool::default_threads);
        let mut parallelism = Parallelism { threshold: self.threshold, task: self.task };
        let pool = if threads == 1 {
            parallelism.threshold = usize::MAX;
            Pool::check(1)?;
            Pool::inline()
        } else {
            Pool::new(threads)?
        };
        crate::merkle::check_arity(self.arity)?;
        let leaves = pool.install(|| merkle_leaves(self.hasher, self.leaves));
        let build = build_tree(&pool, self.hasher, self.arity, &leaves, parallelism)?;
        let proof = self
            .proof
            .map(|i| pool.install(|| prove_leaf(self.hasher, self.arity, &leaves, i)))
            .transpose()?;
        Ok(MerkleReport {
            build,
            arity: self.arity,
            hasher: self.hasher,
            threads: pool.threads(),
            verified: proof.as_ref().map(|(_, ok)| *ok),
            proof: proof.map(|(p, _)| p),
        })
    }
}

/// Check an inclusion proof against a root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyJob {
    /// Hash function: sha256 or blake3.
    #[serde(default = "defaults::merkle_hasher")]
    pub hasher: HashAlgorithm,
    /// A proof as a Merkle job reports it.
    pub proof: Proof,
    /// The root, hex.
    pub root: String,
}

impl VerifyJob {
    /// Whether the proof verifies.
    ///
    /// # Errors
    ///
    /// A root that is not hex.
    pub fn run(&self) -> Result<bool> {
        let root = digest_from_hex(&self.root)?;
        Ok(crate::hash::with_hasher!(self.hasher, H => crate::merkle::verify::<H>(&self.proof, &root)))
    }
}
