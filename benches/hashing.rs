//! Raw hash rates: the bare compression function, one-shot hashing of a
//! header, the midstate path a single candidate takes, and the scan loop
//! through every kernel this machine has.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parmine::block::{Encoding, Header};
use parmine::hash::{Blake3, Hasher, Sha256};
use parmine::{Block, Difficulty, HashAlgorithm};
use std::hint::black_box;

fn candidates<H: Hasher>(c: &mut Criterion, encoding: Encoding) {
    let template = encoding.template(&Block::benchmark(), H::ALGORITHM, unreachable()).unwrap();
    let mid = H::midstate(template.prefix());
    let nonce_len = 8;
    let mut tail = H::tail(&mid, nonce_len + template.suffix().len());
    H::tail_bytes(&mut tail)[nonce_len..].copy_from_slice(template.suffix());
    let mut group = c.benchmark_group(format!("candidate/{encoding}"));
    group.throughput(Throughput::Elements(1));
    let mut nonce = 10_000_000u64;
    group.bench_function(BenchmarkId::new("midstate", H::ALGORITHM), |b| {
        b.iter(|| {
            nonce += 1;
            let digits = itoa_bytes(nonce, encoding);
            H::tail_bytes(&mut tail)[..nonce_len].copy_from_slice(&digits);
            black_box(H::finish(&mid, &tail))
        })
    });
    group.bench_function(BenchmarkId::new("whole-message", H::ALGORITHM), |b| {
        b.iter(|| {
            nonce += 1;
            black_box(H::hash(&template.message(nonce)))
        })
    });
    group.finish();
}

/// A target no digest meets: every candidate is hashed.
fn unreachable() -> Difficulty {
    Difficulty::from_bits(256).unwrap()
}

/// Eight nonce bytes in the template's format (8 decimal digits or BE u64).
fn itoa_bytes(nonce: u64, encoding: Encoding) -> [u8; 8] {
    match encoding {
        Encoding::Json => {
            let mut out = [b'0'; 8];
            let mut n = nonce % 100_000_000;
            for b in out.iter_mut().rev() {
                *b = b'0' + (n % 10) as u8;
                n /= 10;
            }
            out
        }
        Encoding::Header => nonce.to_be_bytes(),
    }
}

fn raw(c: &mut Criterion) {
    let mut group = c.benchmark_group("raw");
    group.throughput(Throughput::Elements(1));
    let block = [[7u8; 64]];
    let mut state = [1u32; 8];
    group.bench_function("sha256-compress256-one-block", |b| {
        b.iter(|| {
            sha2::block_api::compress256(&mut state, black_box(&block));
            black_box(state[0])
        })
    });
    let header =
        Header::from_block(&Block::benchmark(), HashAlgorithm::Sha256, unreachable()).unwrap().to_bytes(1);
    group.bench_function("sha256-116-bytes", |b| b.iter(|| black_box(Sha256::hash(black_box(&header)))));
    group.bench_function("blake3-116-bytes", |b| b.iter(|| black_box(Blake3::hash(black_box(&header)))));
    group.bench_function("blake3-64-bytes", |b| b.iter(|| black_box(Blake3::hash(black_box(&header[..64])))));
    group.finish();
}

/// The real hot loop: one worker scanning a batch of nonces against a target
/// no candidate meets, so every nonce is hashed.
fn scan<H: Hasher>(c: &mut Criterion, encoding: Encoding) {
    use parmine::mine::search::{BATCH, Search};
    let template = encoding.template(&Block::benchmark(), H::ALGORITHM, unreachable()).unwrap();
    let mut group = c.benchmark_group(format!("scan/{encoding}/{}", H::ALGORITHM));
    group.throughput(Throughput::Elements(BATCH));
    for &kernel in H::kernels() {
        let search = Search::<H>::with_kernel(&template, unreachable(), kernel).unwrap();
        let mut worker = search.worker();
        let mut start = 10_000_000u64;
        group.bench_function(BenchmarkId::from_parameter(kernel), |b| {
            b.iter(|| {
                start += BATCH;
                black_box(worker.scan(start, 1, BATCH))
            })
        });
    }
    group.finish();
}

fn all(c: &mut Criterion) {
    raw(c);
    for encoding in Encoding::ALL {
        scan::<Sha256>(c, encoding);
        scan::<Blake3>(c, encoding);
    }
    for encoding in Encoding::ALL {
        candidates::<Sha256>(c, encoding);
        candidates::<Blake3>(c, encoding);
    }
}

criterion_group!(benches, all);
criterion_main!(benches);
