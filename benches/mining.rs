//! Each strategy mining the same blocks, on 1 and 2 threads.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use parmine::bench::benchmark_blocks;
use parmine::{Difficulty, Encoding, HashAlgorithm, Miner, Puzzle, Strategy};

fn strategies(c: &mut Criterion) {
    let threads_max = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    for (encoding, algorithm) in
        [(Encoding::Header, HashAlgorithm::Sha256), (Encoding::Json, HashAlgorithm::Sha256)]
    {
        let puzzles: Vec<Puzzle> = benchmark_blocks(4, 0)
            .unwrap()
            .iter()
            .map(|b| Puzzle::new(b, encoding, algorithm, Difficulty::from_hex_digits(4).unwrap()).unwrap())
            .collect();
        let mut group = c.benchmark_group(format!("mine/{encoding}-{algorithm}/4-blocks"));
        group.sample_size(20);
        for strategy in Strategy::ALL {
            let counts: Vec<usize> =
                if strategy.is_parallel() { (1..=threads_max).collect() } else { vec![1] };
            for threads in counts {
                let miner = Miner::new(strategy).threads(threads);
                group.bench_function(BenchmarkId::new(strategy.name(), threads), |b| {
                    b.iter(|| puzzles.iter().map(|p| miner.mine(p).unwrap().proof).sum::<u64>())
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, strategies);
criterion_main!(benches);
