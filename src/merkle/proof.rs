//! Inclusion proofs and their verification.

use serde::{Deserialize, Serialize};

use super::{MAX_ARITY, MIN_ARITY, depth_for};
use crate::hash::{Digest, Hasher, serde_hex};

/// One level of a proof: where the node sits in its group, and the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofLevel {
    /// Index of the proven node within its group of siblings.
    pub position: usize,
    /// The other nodes of the group, in order. Empty when the node was the
    /// only one in its group and was lifted unhashed.
    #[serde(with = "serde_hex::vec")]
    pub siblings: Vec<Digest>,
}

impl ProofLevel {
    /// Whether the node was lifted to the next level unhashed.
    pub fn is_lifted(&self) -> bool {
        self.siblings.is_empty()
    }
}

/// A proof that `leaf` is leaf number `index` of a tree of `size` leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// The leaf proven.
    #[serde(with = "serde_hex")]
    pub leaf: Digest,
    /// Its index.
    pub index: u64,
    /// Leaves in the tree the proof was made from.
    pub size: u64,
    /// The tree's arity.
    pub arity: usize,
    /// From the leaves up, one entry per hash layer.
    pub levels: Vec<ProofLevel>,
}

/// Whether `proof` shows its leaf under `root`.
///
/// Besides the hashes, the proof's shape must be the one its index and size
/// imply: the right number of levels, the node's position in each group, and
/// each group's size (so a lifted level cannot be faked or dropped).
pub fn verify<H: Hasher>(proof: &Proof, root: &Digest) -> bool {
    let arity = proof.arity;
    if !(MIN_ARITY..=MAX_ARITY).contains(&arity) || proof.index >= proof.size {
        return false;
    }
    if proof.levels.len() != depth_for(proof.size, arity) {
        return false;
    }
    let n = arity as u64;
    let mut node = proof.leaf;
    let mut index = proof.index;
    let mut level_len = proof.size;
    for level in &proof.levels {
        let group_start = index - index % n;
        let group_len = (level_len - group_start).min(n);
        if level.position as u64 != index - group_start || level.siblings.len() as u64 != group_len - 1 {
            return false;
        }
        if group_len > 1 {
            let mut children = [[0u8; 32]; MAX_ARITY];
            let (before, after) = level.siblings.split_at(level.position);
            children[..before.len()].copy_from_slice(before);
            children[before.len()] = node;
            children[before.len() + 1..group_len as usize].copy_from_slice(after);
            node = H::hash_nodes(&children[..group_len as usize]);
        }
        index /= n;
        level_len = level_len.div_ceil(n);
    }
    node == *root
}
