//! Everything a page needs to know to offer parmine's jobs, from Rust: the
//! strategies and their properties, the hashers, encodings and kernels, the
//! limits and the defaults, and the labels of the hash-rate paths. The page
//! renders its forms and tables from this, so a new strategy or kernel
//! appears there without a line of JavaScript.

use serde::Serialize;

use super::{BenchMineJob, MerkleJob, MineJob};
use crate::bench::RATE_PATHS;
use crate::block::Encoding;
use crate::hash::{HashAlgorithm, Kernel};
use crate::limits::{LIMITS, Limits};
use crate::mine::Strategy;
use crate::pool::Pool;

/// A strategy, with what the page shows and sorts by.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyInfo {
    /// Its name.
    pub name: Strategy,
    /// Whether it runs on more than one thread.
    pub parallel: bool,
    /// Whether it always finds the lowest proof.
    pub deterministic: bool,
    /// One sentence.
    pub description: &'static str,
}

/// A named choice with a label.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// The name the jobs take.
    pub name: &'static str,
    /// What a person reads.
    pub label: &'static str,
}

/// A hasher's kernels on this host.
#[derive(Debug, Clone, Serialize)]
pub struct Kernels {
    /// The hasher.
    pub hasher: HashAlgorithm,
    /// Its kernels here, the default first.
    pub kernels: Vec<Kernel>,
}

/// The defaults of each job the page runs.
#[derive(Debug, Clone, Serialize)]
pub struct Defaults {
    /// `mine`.
    pub mine: MineJob,
    /// `benchMine`.
    pub bench_mine: BenchMineJob,
    /// `merkle` (with the page's usual leaf count).
    pub merkle: MerkleJob,
}

/// The catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    /// parmine's version.
    pub version: &'static str,
    /// Strategies, in the blog's order and then ours.
    pub strategies: Vec<StrategyInfo>,
    /// Hashers.
    pub hashers: Vec<Choice>,
    /// Block encodings.
    pub encodings: Vec<Choice>,
    /// Mining kernels on this host, per hasher.
    pub kernels: Vec<Kernels>,
    /// Limits every job is checked against.
    pub limits: Limits,
    /// Threads a run uses when none are given.
    pub default_threads: usize,
    /// Job defaults.
    pub defaults: Defaults,
    /// Hash-rate paths: (field of the rates, label), in display order.
    pub rate_paths: Vec<Choice>,
}

/// The catalog of this build on this host.
pub fn catalog() -> Catalog {
    Catalog {
        version: env!("CARGO_PKG_VERSION"),
        strategies: Strategy::ALL
            .iter()
            .map(|&s| StrategyInfo {
                name: s,
                parallel: s.is_parallel(),
                deterministic: s.is_deterministic(),
                description: s.description(),
            })
            .collect(),
        hashers: HashAlgorithm::ALL.iter().map(|h| Choice { name: h.name(), label: h.label() }).collect(),
        encodings: Encoding::ALL.iter().map(|e| Choice { name: e.name(), label: e.label() }).collect(),
        kernels: HashAlgorithm::ALL
            .iter()
            .map(|&h| Kernels { hasher: h, kernels: h.kernels().to_vec() })
            .collect(),
        limits: LIMITS,
        default_threads: Pool::default_threads(),
        defaults: Defaults {
            mine: MineJob::default(),
            bench_mine: BenchMineJob::default(),
            merkle: MerkleJob { arity: 4, ..MerkleJob::new(1_000_000) },
        },
        rate_paths: RATE_PATHS.iter().map(|&(name, label)| Choice { name, label }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_describes_every_name_the_jobs_take() {
        let c = catalog();
        assert_eq!(c.strategies.len(), Strategy::ALL.len());
        assert!(c.strategies.iter().any(|s| s.parallel && s.deterministic));
        let json = serde_json::to_value(&c).unwrap();
        // The defaults are the jobs' own: they deserialize back as given.
        let mine: MineJob = serde_json::from_value(json["defaults"]["mine"].clone()).unwrap();
        assert_eq!(mine, MineJob::default());
        assert_eq!(json["defaults"]["mine"]["difficulty"], super::super::defaults::mine_difficulty());
        assert_eq!(json["rate_paths"][3]["name"], "sha256_scan");
        assert_eq!(json["limits"]["max_threads"], 256);
        // The page's arity input takes its bounds from here.
        assert_eq!(json["limits"]["min_arity"], crate::merkle::MIN_ARITY);
        assert_eq!(json["limits"]["max_arity"], crate::merkle::MAX_ARITY);
    }
}
