//! Merkle roots (placeholder until the lean incremental tree lands).

use crate::block::Transaction;
use crate::hash::{Digest, HashAlgorithm};

/// The root committing `transactions`: a binary Lean IMT over their hashes;
/// all zeros when there are none.
pub fn transactions_root(transactions: &[Transaction], algorithm: HashAlgorithm) -> Digest {
    let mut level: Vec<Digest> =
        transactions.iter().map(|t| algorithm.hash(t.to_json().as_bytes())).collect();
    if level.is_empty() {
        return [0; 32];
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| if pair.len() == 1 { pair[0] } else { algorithm.hash(pair.as_flattened()) })
            .collect();
    }
    level[0]
}
