//! The Merkle root that commits a block's transactions in its binary header.

use rayon::prelude::*;

use super::Transaction;
use crate::hash::{Digest, HashAlgorithm, Hasher};
use crate::merkle::LeanImt;

/// Arity of the tree that commits a block's transactions in its header.
pub const TRANSACTIONS_ARITY: usize = 2;

/// The leaf a transaction contributes: the hash of its JSON.
pub fn transaction_leaf<H: Hasher>(transaction: &Transaction) -> Digest {
    H::hash(transaction.to_json().as_bytes())
}

/// The Merkle root committing `transactions`, as the binary header holds it:
/// a binary Lean IMT over their leaves, built in parallel when large; all
/// zeros when the block carries none.
pub fn transactions_root(transactions: &[Transaction], algorithm: HashAlgorithm) -> Digest {
    crate::hash::with_hasher!(algorithm, H => transactions_root_with::<H>(transactions))
}

fn transactions_root_with<H: Hasher>(transactions: &[Transaction]) -> Digest {
    if transactions.is_empty() {
        return [0; 32];
    }
    let leaves: Vec<Digest> = transactions.par_iter().map(transaction_leaf::<H>).collect();
    let mut tree = LeanImt::<H, TRANSACTIONS_ARITY>::new();
    tree.insert_many(&leaves).expect("the batch is not empty")
}
