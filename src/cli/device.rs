//! `--device cpu|gpu`: where `parmine mine` and `parmine bench mine` run.
//! The GPU is the `gpu` strategy (`parmine::gpu`); this flag is the way in
//! that names the hardware rather than the algorithm.

use parmine::Strategy;

/// Where mining runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Device {
    /// The CPU strategies on the machine's threads.
    Cpu,
    /// The system's GPU through wgpu (the `gpu` strategy).
    Gpu,
}

/// The strategies a benchmark runs for `devices`: the CPU's as asked, and
/// the GPU's after them; with the GPU alone, sequential too, as the
/// baseline its speedup is measured against.
pub fn bench_strategies(mut strategies: Vec<Strategy>, devices: &[Device]) -> Vec<Strategy> {
    if !devices.contains(&Device::Cpu) {
        strategies = vec![Strategy::Sequential];
    }
    if devices.contains(&Device::Gpu) && !strategies.contains(&Strategy::Gpu) {
        strategies.push(Strategy::Gpu);
    }
    strategies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_choose_the_strategies() {
        let all = Strategy::ALL.to_vec();
        assert_eq!(bench_strategies(all.clone(), &[Device::Cpu]), all);
        assert_eq!(bench_strategies(all.clone(), &[Device::Gpu]), [Strategy::Sequential, Strategy::Gpu]);
        assert_eq!(bench_strategies(all.clone(), &[Device::Cpu, Device::Gpu]).last(), Some(&Strategy::Gpu));
    }
}
