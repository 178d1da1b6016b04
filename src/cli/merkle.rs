//! `parmine merkle`: build a tree over COUNT leaves and print its root.

use parmine::bench::{build_tree, merkle_leaves, prove_leaf};
use parmine::hash::to_hex;
use parmine::merkle::Parallelism;
use parmine::pool::Pool;
use parmine::{HashAlgorithm, Result};

/// Options of `parmine merkle`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of leaves; leaf i is the hash of i as 8 little-endian bytes.
    #[arg(long)]
    leaves: u64,
    /// Children per parent, 2 to 16.
    #[arg(long, default_value_t = 2)]
    arity: usize,
    /// Hash function.
    #[arg(long, default_value = "blake3")]
    hasher: HashAlgorithm,
    /// Threads [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Also make and verify an inclusion proof for this leaf.
    #[arg(long)]
    proof: Option<u64>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let pool = Pool::new(args.threads.unwrap_or_else(super::available_threads))?;
    let leaves = pool.install(|| merkle_leaves(args.hasher, args.leaves));
    let build = build_tree(&pool, args.hasher, args.arity, &leaves, Parallelism::default())?;
    let proof =
        args.proof.map(|i| pool.install(|| prove_leaf(args.hasher, args.arity, &leaves, i))).transpose()?;

    if args.json {
        let mut value = serde_json::to_value(&build).expect("TreeBuild serializes");
        let object = value.as_object_mut().expect("an object");
        object.insert("arity".into(), args.arity.into());
        object.insert("hasher".into(), args.hasher.name().into());
        object.insert("threads".into(), pool.threads().into());
        if let Some((proof, verified)) = &proof {
            object.insert("proof".into(), serde_json::to_value(proof).expect("Proof serializes"));
            object.insert("verified".into(), (*verified).into());
        }
        println!("{value}");
    } else {
        println!("root    {}", to_hex(&build.root));
        println!(
            "size    {} leaves, arity {}, depth {}, {}",
            build.size, args.arity, build.depth, args.hasher
        );
        println!("time    {:.2} ms on {} thread(s)", build.elapsed.as_secs_f64() * 1e3, pool.threads());
        if let Some((proof, verified)) = proof {
            println!(
                "proof   leaf {} ({}), {} levels, verified: {verified}",
                proof.index,
                to_hex(&proof.leaf),
                proof.levels.len()
            );
        }
    }
    Ok(())
}
