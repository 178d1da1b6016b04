//! The Lean IMT against rotortree: insert_many of 1k to 1M leaves.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use parmine::HashAlgorithm;
use parmine::bench::{build_tree, merkle_leaves};
use parmine::merkle::Parallelism;
use parmine::merkle::rotortree_compat::{ROTOR_MAX_DEPTH, RotorBlake3, RotorTree};
use parmine::pool::Pool;

fn rotortree_build<const N: usize>(leaves: &[[u8; 32]]) -> [u8; 32] {
    let mut tree = RotorTree::<RotorBlake3, N, ROTOR_MAX_DEPTH>::new(RotorBlake3);
    tree.insert_many(leaves).unwrap()
}

fn merkle(c: &mut Criterion) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (one, many) = (Pool::new(1).unwrap(), Pool::new(threads).unwrap());
    for count in [1_000u64, 100_000, 1_000_000] {
        let leaves = merkle_leaves(HashAlgorithm::Blake3, count);
        let mut group = c.benchmark_group(format!("merkle/blake3/{count}"));
        group.throughput(Throughput::Elements(count));
        group.sample_size(if count >= 1_000_000 { 10 } else { 30 });
        for arity in [2usize, 4, 16] {
            let ours =
                |pool: &Pool, p| build_tree(pool, HashAlgorithm::Blake3, arity, &leaves, p).unwrap().root;
            group.bench_function(BenchmarkId::new("parmine-seq", arity), |b| {
                b.iter(|| ours(&one, Parallelism::SEQUENTIAL))
            });
            group.bench_function(BenchmarkId::new("parmine-par", arity), |b| {
                b.iter(|| ours(&many, Parallelism::default()))
            });
            let theirs = |pool: &Pool| {
                pool.install(|| match arity {
                    2 => rotortree_build::<2>(&leaves),
                    4 => rotortree_build::<4>(&leaves),
                    _ => rotortree_build::<16>(&leaves),
                })
            };
            // rotortree's parallel build; on one thread its levels run in order.
            group.bench_function(BenchmarkId::new("rotortree-1-thread", arity), |b| b.iter(|| theirs(&one)));
            group.bench_function(BenchmarkId::new("rotortree-par", arity), |b| b.iter(|| theirs(&many)));
        }
        group.finish();
    }
}

criterion_group!(benches, merkle);
// criterion_main!, after making the allocator keep freed memory as the
// command line's benchmarks do (see parmine::bench::keep_freed_memory).
fn main() {
    parmine::bench::keep_freed_memory();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
