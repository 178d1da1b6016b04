//! `parmine bench merkle`: parmine's tree against rotortree's, same leaves,
//! same run, sequential and parallel.
//!
//! rotortree reads its parallel threshold from the environment once per
//! process, so its sequential path cannot be chosen next to its parallel one
//! in one process: this command runs itself a second time, as a child with
//! `ROTORTREE_PARALLEL_THRESHOLD` set past any level size, to time that path.

use super::stdout::outln;
use std::process::Command;
use std::time::Duration;

use parmine::bench::{MerkleBench, MerkleRow as Row, build_tree, merkle_leaves};
use parmine::hash::Digest;
use parmine::jobs::defaults;
use parmine::limits;
use parmine::merkle::Parallelism;
use parmine::merkle::rotortree_compat::{ROTOR_MAX_DEPTH, RotorBlake3, RotorSha256, RotorTree};
use parmine::pool::Pool;
use parmine::{Error, HashAlgorithm, Result};

use super::output::{bar, format_count};

/// Options of `parmine bench merkle`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Leaf counts, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000u64, 10_000, 100_000, 1_000_000])]
    pub leaves: Vec<u64>,
    /// Arities, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [2usize, 4, 8, 16])]
    pub arity: Vec<usize>,
    /// Hashers, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [HashAlgorithm::Blake3, HashAlgorithm::Sha256])]
    pub hasher: Vec<HashAlgorithm>,
    /// Threads for the parallel builds [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Timed builds per point (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Parents from which a level of parmine's tree goes parallel.
    #[arg(long, env = "PARMINE_MERKLE_THRESHOLD", default_value_t = defaults::threshold())]
    pub threshold: usize,
    /// Parents per parallel task of parmine's tree.
    #[arg(long, env = "PARMINE_MERKLE_TASK", default_value_t = defaults::task())]
    pub task: usize,
    /// Leave rotortree out.
    #[arg(long)]
    pub no_rotortree: bool,
    /// Print a JSON array instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Internal: time only rotortree's sequential path (set by the parent).
    #[arg(long, hide = true)]
    pub rotortree_sequential_child: bool,
}

/// Time `runs` rotortree builds over `leaves`, checking its root against ours.
fn time_rotortree(
    hasher: HashAlgorithm,
    arity: usize,
    leaves: &[Digest],
    expected: Digest,
    runs: usize,
) -> Result<Vec<Duration>> {
    fn build<R: rotortree::Hasher, const N: usize>(r: R, leaves: &[Digest]) -> (Digest, Duration) {
        let start = web_time::Instant::now();
        let mut tree = RotorTree::<R, N, ROTOR_MAX_DEPTH>::new(r);
        let root = tree.insert_many(leaves).expect("rotortree accepts the batch");
        (root, start.elapsed())
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (root, time) = match hasher {
            HashAlgorithm::Blake3 => parmine::with_arity!(arity, N => build::<_, N>(RotorBlake3, leaves))?,
            HashAlgorithm::Sha256 => parmine::with_arity!(arity, N => build::<_, N>(RotorSha256, leaves))?,
            HashAlgorithm::Sha256d => {
                return Err(Error::InvalidArgument(
                    "rotortree has no double SHA-256 hasher to compare with".into(),
                ));
            }
        };
        if root != expected {
            return Err(Error::InvalidArgument(format!(
                "rotortree's root differs from parmine's ({hasher}, N={arity})"
            )));
        }
        times.push(time);
    }
    Ok(times)
}

/// rotortree's sequential path, timed in a child process (see the module docs).
fn rotortree_sequential_rows(args: &Args) -> Result<Vec<Row>> {
    let exe =
        std::env::current_exe().map_err(|e| Error::InvalidArgument(format!("cannot find myself: {e}")))?;
    let join = |v: Vec<String>| v.join(",");
    let out = Command::new(exe)
        .env("ROTORTREE_PARALLEL_THRESHOLD", usize::MAX.to_string())
        .args(["bench", "merkle", "--rotortree-sequential-child", "--json"])
        .args(["--leaves", &join(args.leaves.iter().map(u64::to_string).collect())])
        .args(["--arity", &join(args.arity.iter().map(usize::to_string).collect())])
        .args(["--hasher", &join(args.hasher.iter().map(|h| h.name().to_string()).collect())])
        .args(["--runs", &args.runs.to_string()])
        .output()
        .map_err(|e| Error::InvalidArgument(format!("cannot run the rotortree child: {e}")))?;
    if !out.status.success() {
        return Err(Error::InvalidArgument(format!(
            "the rotortree child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| Error::InvalidArgument(format!("bad child output: {e}")))
}

pub fn run(args: Args) -> Result<()> {
    let rows = measure(&args)?;
    if args.rotortree_sequential_child {
        outln!("{}", serde_json::to_string(&rows).expect("rows serialize"));
    } else if args.json {
        outln!("{}", serde_json::to_string_pretty(&rows).expect("rows serialize"));
    } else {
        print_table(&rows, args.threads.unwrap_or_else(Pool::default_threads), args.runs);
    }
    Ok(())
}

/// Check every setting before anything is measured.
pub(super) fn validate(args: &Args) -> Result<()> {
    limits::check_samples(args.runs, 1)?;
    for &arity in &args.arity {
        parmine::merkle::check_arity(arity)?;
    }
    for &leaves in &args.leaves {
        if leaves == 0 {
            return Err(Error::EmptyBatch);
        }
        limits::check_leaves(leaves)?;
    }
    if let Some(threads) = args.threads {
        Pool::check(threads)?;
    }
    Ok(())
}

/// Every point's rows: parmine sequential and parallel, rotortree parallel,
/// and rotortree sequential from the child process, with the ratios.
pub(super) fn measure(args: &Args) -> Result<Vec<Row>> {
    validate(args)?;
    let threads = args.threads.unwrap_or_else(Pool::default_threads);
    let many = Pool::new(threads)?;
    let child = args.rotortree_sequential_child;

    let points = args.hasher.len() * args.arity.len() * args.leaves.len();
    let progress = bar(points as u64, args.json || child);
    let mut rows = Vec::new();
    for &hasher in &args.hasher {
        for &count in &args.leaves {
            for &arity in &args.arity {
                progress.set_message(format!("{hasher} N={arity} {count} leaves"));
                let point = (hasher, arity, count);
                if child {
                    let one = Pool::new(1)?;
                    let leaves = many.install(|| merkle_leaves(hasher, count));
                    let expected = build_tree(&one, hasher, arity, &leaves, Parallelism::SEQUENTIAL)?.root;
                    // The first build warms up, as in the parent.
                    let times =
                        one.install(|| time_rotortree(hasher, arity, &leaves, expected, args.runs + 1))?;
                    rows.push(Row::new("rotortree", "sequential", point, 1, &times[1..]));
                    continue;
                }
                let bench = MerkleBench {
                    hasher,
                    arity,
                    leaves: count,
                    runs: args.runs,
                    threads,
                    threshold: args.threshold,
                    task: args.task,
                };
                // rotortree's parallel build in the same rounds as parmine's.
                let (_, [seq, par], rotor) = bench.run_with(|leaves, root| {
                    if args.no_rotortree {
                        return Ok(None);
                    }
                    Ok(Some(many.install(|| time_rotortree(hasher, arity, leaves, root, 1))?[0]))
                })?;
                rows.extend([seq, par]);
                if !rotor.is_empty() {
                    rows.push(Row::new("rotortree", "parallel", point, threads, &rotor));
                }
                progress.inc(1);
            }
        }
    }
    progress.finish_and_clear();
    if !child && !args.no_rotortree {
        rows.extend(rotortree_sequential_rows(args)?);
        let others = rows.clone();
        for r in rows.iter_mut().filter(|r| r.implementation == "parmine") {
            r.ratio_vs_rotortree = others
                .iter()
                .find(|o| {
                    o.implementation == "rotortree"
                        && (o.mode.as_str(), o.hasher, o.arity, o.leaves)
                            == (r.mode.as_str(), r.hasher, r.arity, r.leaves)
                })
                .map(|o| o.median_ms / r.median_ms);
        }
    }
    Ok(rows)
}

fn print_table(rows: &[Row], threads: usize, runs: usize) {
    outln!(
        "parmine bench merkle: insert_many into an empty tree, median of {runs} runs, leaves/s; parallel on {threads} threads"
    );
    outln!(
        "{:<7} {:>5} {:>9} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9} {:>9}",
        "hasher",
        "arity",
        "leaves",
        "parmine seq",
        "rotor seq",
        "parmine par",
        "rotor par",
        "seq x",
        "par x",
        "par/seq"
    );
    let find = |imp: &str, mode: &str, h, a, l| {
        rows.iter().find(|r| {
            r.implementation == imp && r.mode == mode && r.hasher == h && r.arity == a && r.leaves == l
        })
    };
    let rate = |r: Option<&Row>| r.map_or("-".to_string(), |r| format_count(r.leaves_per_sec));
    let ratio = |r: Option<&Row>| {
        r.and_then(|r| r.ratio_vs_rotortree).map_or("-".to_string(), |x| format!("{x:.2}x"))
    };
    for r in rows.iter().filter(|r| r.implementation == "parmine" && r.mode == "sequential") {
        let (h, a, l) = (r.hasher, r.arity, r.leaves);
        let par = find("parmine", "parallel", h, a, l);
        outln!(
            "{:<7} {:>5} {:>9} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9} {:>9}",
            h.name(),
            a,
            l,
            rate(Some(r)),
            rate(find("rotortree", "sequential", h, a, l)),
            rate(par),
            rate(find("rotortree", "parallel", h, a, l)),
            ratio(Some(r)),
            ratio(par),
            par.map_or("-".into(), |p| format!("{:.2}x", r.median_ms / p.median_ms)),
        );
    }
    outln!(
        "seq x / par x: rotortree's time over parmine's (higher is faster for parmine); par/seq: parmine's own speedup"
    );
}
