//! The GPU miner on the system's adapter (in CI: Mesa's lavapipe, a software
//! Vulkan driver that `./build.sh test` installs): the WGSL hashes against
//! the sha2 / blake3 crates, and the proofs against the CPU strategies'.
//! No adapter is a failure here, not a skip.

#![cfg(not(target_arch = "wasm32"))]

use parmine::block::{NonceFormat, Template};
use parmine::gpu::native::{GpuDevice, shared};
use parmine::gpu::{GpuMode, GpuPlan, Tuning};
use parmine::{Block, Control, Difficulty, Encoding, Error, HashAlgorithm, Miner, Puzzle, Strategy, Target};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn device() -> &'static GpuDevice {
    shared()
        .unwrap_or_else(|e| panic!("the GPU tests need an adapter (apt install mesa-vulkan-drivers): {e}"))
}

fn words(digest: &[u8; 32]) -> [u32; 8] {
    std::array::from_fn(|i| u32::from_be_bytes(digest[4 * i..4 * i + 4].try_into().unwrap()))
}

#[test]
fn the_wgsl_hashes_equal_the_crates_on_random_messages() {
    let device = device();
    eprintln!("adapter: {}", device.adapter());
    let mut random = Random(0x5eed_0f9b_0d00_0001);
    let formats = [
        NonceFormat::Decimal,
        NonceFormat::BigEndian64,
        NonceFormat::LittleEndian64,
        NonceFormat::LittleEndian32,
    ];
    for round in 0..48 {
        let format = formats[round % formats.len()];
        // Prefixes across block boundaries, suffixes up to several blocks.
        let (prefix_len, suffix_len) = (random.below(400) as usize, random.below(500) as usize);
        let prefix = random.bytes(prefix_len);
        let suffix = random.bytes(suffix_len);
        let nonce = match round % 3 {
            0 => random.below(1000),
            1 => random.next() >> random.below(64),
            _ => u64::MAX - random.below(3),
        }
        .min(format.end() - 1);
        let template = Template::new(prefix, format, suffix);
        for algorithm in [HashAlgorithm::Sha256, HashAlgorithm::Sha256d, HashAlgorithm::Blake3] {
            let puzzle = Puzzle::from_parts(
                template.clone(),
                algorithm,
                Target::LeadingZeros(Difficulty::from_hex_digits(1).unwrap()),
            );
            let plan = GpuPlan::new(&puzzle, GpuMode::Lowest).unwrap();
            let expected = words(&algorithm.hash(&template.message(nonce)));
            let got = device.digest(&plan, nonce).unwrap();
            assert_eq!(got, expected, "{algorithm} {format:?} nonce {nonce}, round {round}");
        }
    }
}

#[test]
fn the_gpu_finds_the_blogs_proof_for_the_blogs_json_block() {
    let puzzle = Puzzle::new(
        &Block::benchmark(),
        Encoding::Json,
        HashAlgorithm::Sha256,
        Difficulty::from_hex_digits(6).unwrap(),
    )
    .unwrap();
    let mined = Miner::new(Strategy::Gpu).mine(&puzzle).unwrap();
    assert_eq!(mined.proof, 5_518_788, "the blog's proof");
    assert!(puzzle.verify(mined.proof));
    assert_eq!(mined.strategy, Strategy::Gpu);
    assert_eq!(mined.useful_attempts, 5_518_789);
}

#[test]
fn the_gpu_finds_the_cpus_lowest_proofs_on_many_header_blocks() {
    for algorithm in [HashAlgorithm::Sha256, HashAlgorithm::Blake3] {
        for (encoding, blocks) in [(Encoding::Header, 10u64), (Encoding::Json, 4)] {
            for i in 0..blocks {
                let block = Block { timestamp: Block::BENCHMARK_TIMESTAMP + i, ..Block::benchmark() };
                let puzzle =
                    Puzzle::new(&block, encoding, algorithm, Difficulty::from_hex_digits(3).unwrap())
                        .unwrap();
                let cpu = Miner::new(Strategy::Sequential).mine(&puzzle).unwrap();
                let gpu = Miner::new(Strategy::Gpu).mine(&puzzle).unwrap();
                assert_eq!(gpu.proof, cpu.proof, "{algorithm} {encoding} block {i}");
                assert_eq!(gpu.hash, cpu.hash);
            }
        }
    }
}

#[test]
fn windows_go_on_past_a_prefilter_pass_and_ranges_are_honoured() {
    let device = device();
    let tuning = Tuning { workgroup: 64, per_invocation: 4, window: 1 << 12 };
    // An ALTCHA-like target (one exact digest): its prefilter is the first
    // digest word. With the last byte changed, nonce 1234 passes the
    // prefilter but not the target, and the search must go on past it.
    let template = Encoding::Header
        .template(&Block::benchmark(), HashAlgorithm::Sha256, Difficulty::from_hex_digits(1).unwrap())
        .unwrap();
    let digest = HashAlgorithm::Sha256.hash(&template.message(1234));
    let exact = Puzzle::from_parts(template.clone(), HashAlgorithm::Sha256, Target::Equals(digest));
    let (found, _) = device.search(&exact, 0..10_000, GpuMode::Lowest, tuning, &Control::new()).unwrap();
    assert_eq!(found, Some(1234));
    let mut near = digest;
    near[31] ^= 1;
    let near = Puzzle::from_parts(template, HashAlgorithm::Sha256, Target::Equals(near));
    let control = Control::new();
    let (found, attempts) = device.search(&near, 0..10_000, GpuMode::Lowest, tuning, &control).unwrap();
    assert_eq!(found, None);
    assert!(attempts >= 10_000 - 1234, "{attempts}");
    assert_eq!(control.attempts(), attempts, "progress reaches the control");
    // A range whose lowest proof the CPU knows.
    let easy = Puzzle::new(
        &Block::benchmark(),
        Encoding::Header,
        HashAlgorithm::Blake3,
        Difficulty::from_hex_digits(2).unwrap(),
    )
    .unwrap();
    let cpu = Miner::new(Strategy::Sequential).range(1000..u64::MAX).mine(&easy).unwrap();
    let (gpu, _) = device.search(&easy, 1000..u64::MAX, GpuMode::Lowest, tuning, &Control::new()).unwrap();
    assert_eq!(gpu, Some(cpu.proof));
    // Any-answer mode: a valid proof, not necessarily the lowest.
    let (any, _) = device.search(&easy, 0..1 << 20, GpuMode::Any, tuning, &Control::new()).unwrap();
    assert!(easy.verify(any.unwrap()));
}

#[test]
fn a_cancel_stops_the_gpu_search_and_calibration_gives_a_usable_shape() {
    let device = device();
    let puzzle = Puzzle::new(
        &Block::benchmark(),
        Encoding::Header,
        HashAlgorithm::Sha256,
        Difficulty::from_hex_digits(30).unwrap(),
    )
    .unwrap();
    let control = Control::new();
    control.cancel();
    let tuning = device.calibrate(&puzzle).unwrap();
    assert!(Tuning::WORKGROUPS.contains(&tuning.workgroup) && tuning.workgroup <= device.max_workgroup());
    assert!((Tuning::MIN_WINDOW..=Tuning::MAX_WINDOW).contains(&tuning.window));
    let error = device.search(&puzzle, 0..u64::MAX, GpuMode::Lowest, tuning, &control).unwrap_err();
    assert!(matches!(error, Error::Cancelled { .. }), "{error}");
    let error = Miner::new(Strategy::Gpu).range(5..5).mine(&puzzle).unwrap_err();
    assert!(matches!(error, Error::EmptyRange { .. }), "{error}");
}

#[test]
fn the_gpu_solves_go_away_and_cerberus_with_the_cpus_lowest_answers() {
    use parmine::jobs::SolveJob;
    use parmine::puzzles::{CerberusChallenge, Challenge, GoAwayChallenge};
    device();
    let goaway = GoAwayChallenge {
        challenge: "37964cdb86c8b4fe24ae9654cd40b0d6d68296ce846f4575ba414e41b07f2893".into(),
        target: None,
        difficulty: 16,
    };
    let cerberus = CerberusChallenge::from_json(
        r#"{"challenge":"0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0","difficulty":5,"nonce":3735928559,"ts":1760000000,"signature":"5ee1c0de"}"#,
    )
    .unwrap();
    for challenge in [Challenge::GoAway(goaway), Challenge::Cerberus(cerberus)] {
        let cpu = SolveJob::new(challenge.clone()).run(None).unwrap();
        let gpu = SolveJob { strategy: Strategy::Gpu, ..SolveJob::new(challenge) }.run(None).unwrap();
        assert_eq!(gpu.strategy, Strategy::Gpu);
        assert_eq!((gpu.nonce, &gpu.answer), (cpu.nonce, &cpu.answer), "{}", cpu.kind);
    }
}
