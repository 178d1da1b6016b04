//! Jobs: what the command line and the page ask parmine to do.
//!
//! Every job is a struct of typed options (enums, not strings) that
//! deserializes from a plain object (the page, the JS API; unknown fields are
//! errors, so a typo is not a silent default) and, with the `cli` feature,
//! parses from command-line flags: one declaration gives both hosts the same
//! names and the same defaults ([`defaults`]). `run` checks the options
//! against the [`limits`](crate::limits) and returns a typed report, which the command line
//! prints (a table, or `--json`) and the wasm layer returns unchanged.
//!
//! The [`catalog`] describes all of it (strategies, hashers, encodings,
//! kernels, limits, defaults, labels) for a page to render its forms from.

pub mod bench;
pub mod bench_solve;
pub mod calibrate;
pub mod catalog;
pub mod cost;
pub mod defaults;
pub mod gpu;
pub mod merkle;
pub mod mine;
pub mod solve;

pub use self::bench::{BenchHashJob, BenchMerkleJob, BenchMerkleReport, BenchMineJob, with_speedups};
pub use self::bench_solve::{BenchSolveJob, SolveRow};
pub use self::calibrate::{CalibrateJob, CalibrateReport};
pub use self::catalog::{Catalog, catalog};
pub use self::cost::{CostJob, CostRow};
pub use self::gpu::{GpuCheckJob, GpuPlansJob, GpuRowJob};
pub use self::merkle::{MerkleJob, MerkleReport, VerifyJob};
pub use self::mine::{MineJob, MineReport};
pub use self::solve::{SolveJob, SolveReport};
pub use crate::limits::Limits;
