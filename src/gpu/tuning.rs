//! How the GPU miner is shaped on an adapter: workgroup size, nonces per
//! invocation and window size. Chosen by a short calibration on the adapter
//! at hand (`GpuDevice::calibrate` natively, `www/gpu.js` in the page), not
//! fixed: what suits a discrete GPU starves a software rasterizer.

use serde::Serialize;

/// A shape of the GPU miner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tuning {
    /// Invocations per workgroup.
    pub workgroup: u32,
    /// Consecutive nonces each invocation tries.
    pub per_invocation: u32,
    /// Nonces per dispatch.
    pub window: u32,
}

impl Tuning {
    /// Workgroup sizes tried (each up to the adapter's limit).
    pub const WORKGROUPS: [u32; 3] = [64, 128, 256];
    /// Nonces per invocation tried.
    pub const PER_INVOCATION: [u32; 3] = [1, 4, 16];
    /// Nonces of a calibration window.
    pub const PROBE_WINDOW: u32 = 1 << 14;
    /// How long a dispatch should take: a cancel lands within about this.
    pub const WINDOW_SECONDS: f64 = 0.1;
    /// Bounds of a window.
    pub const MIN_WINDOW: u32 = 1 << 12;
    /// Largest window (a quarter of the u32 offsets the shader records).
    pub const MAX_WINDOW: u32 = 1 << 30;

    /// The shapes a calibration times, on an adapter whose workgroups hold
    /// up to `max_workgroup` invocations.
    pub fn candidates(max_workgroup: u32) -> Vec<Tuning> {
        let mut out = Vec::new();
        for &workgroup in Self::WORKGROUPS.iter().filter(|&&w| w <= max_workgroup.max(64)) {
            for &per_invocation in &Self::PER_INVOCATION {
                out.push(Tuning { workgroup, per_invocation, window: Self::PROBE_WINDOW });
            }
        }
        out
    }

    /// This shape with windows of about [`WINDOW_SECONDS`](Self::WINDOW_SECONDS)
    /// at `rate` nonces per second.
    pub fn sized_for(self, rate: f64) -> Tuning {
        let window =
            (rate * Self::WINDOW_SECONDS).clamp(f64::from(Self::MIN_WINDOW), f64::from(Self::MAX_WINDOW));
        Tuning { window: window as u32, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_respect_the_adapter_and_windows_the_cancel_latency() {
        assert!(Tuning::candidates(256).iter().any(|t| t.workgroup == 256));
        assert!(Tuning::candidates(128).iter().all(|t| t.workgroup <= 128));
        let t = Tuning::candidates(64)[0];
        assert_eq!(t.sized_for(1e6).window, 100_000);
        assert_eq!(t.sized_for(1.0).window, Tuning::MIN_WINDOW);
        assert_eq!(t.sized_for(1e15).window, Tuning::MAX_WINDOW);
    }
}
