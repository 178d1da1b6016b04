//! `parmine merkle`: build a tree over COUNT leaves and print its root.

use super::stdout::outln;
use parmine::Result;
use parmine::hash::to_hex;
use parmine::jobs::MerkleJob;

/// Options of `parmine merkle`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    job: MerkleJob,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    let r = args.job.run()?;
    if args.json {
        outln!("{}", serde_json::to_string(&r).expect("the report serializes"));
        return Ok(());
    }
    outln!("root    {}", to_hex(&r.build.root));
    let leaves = if r.build.size == 1 { "leaf" } else { "leaves" };
    outln!("size    {} {leaves}, arity {}, depth {}, {}", r.build.size, r.arity, r.build.depth, r.hasher);
    outln!("time    {:.2} ms on {} thread(s)", r.build.elapsed.as_secs_f64() * 1e3, r.threads);
    if let (Some(proof), Some(verified)) = (&r.proof, r.verified) {
        outln!(
            "proof   leaf {} ({}), {} levels, verified: {verified}",
            proof.index,
            to_hex(&proof.leaf),
            proof.levels.len()
        );
    }
    Ok(())
}
