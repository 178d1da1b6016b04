//! The GPU miner natively, through wgpu: the adapter the system offers
//! (Vulkan, Metal; Mesa's lavapipe on a machine without a GPU), the shader
//! of `miner.wgsl`, and windows dispatched one after another with the
//! candidate of each re-checked on the CPU.

use std::ops::Range;
use std::sync::{Mutex, OnceLock, mpsc};

use web_time::Instant;

use super::plan::{GpuMode, GpuPlan, SHADER};
use super::tuning::Tuning;
use crate::difficulty::Difficulty;
use crate::error::{Error, Result};
use crate::mine::{Control, Puzzle};
use crate::target::Target;

/// No candidate in the window (the shader's `NONE`).
const NONE: u32 = u32::MAX;

/// Workgroups a grid row holds at most (WebGPU's guaranteed minimum).
const MAX_ROW_GROUPS: u32 = 65_535;

fn gpu_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::InvalidArgument(format!("GPU: {what}: {e}"))
}

/// An adapter, its device and the miner's pipelines (one per workgroup size).
pub struct GpuDevice {
    device: wgpu::Device,
    queue: wgpu::Queue,
    module: wgpu::ShaderModule,
    adapter: String,
    max_workgroup: u32,
    /// Compiled pipelines by entry point and workgroup size (a compile
    /// takes long on a software adapter).
    pipelines: Mutex<Vec<(&'static str, u32, wgpu::ComputePipeline)>>,
}

/// What a search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuFound {
    /// The proof, re-checked on the CPU against the whole target.
    pub nonce: u64,
    /// Nonces the dispatched windows covered.
    pub attempts: u64,
}

impl GpuDevice {
    /// The system's preferred adapter (a discrete GPU over an integrated one
    /// over a software one).
    ///
    /// # Errors
    ///
    /// No adapter (no GPU driver, or no Vulkan loader): one line saying so.
    pub fn open() -> Result<GpuDevice> {
        pollster::block_on(Self::open_async())
    }

    async fn open_async() -> Result<GpuDevice> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
            backends: wgpu::Backends::PRIMARY,
            ..wgpu::InstanceDescriptor::new_without_display_handle()
        });
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| {
                Error::InvalidArgument(format!(
                    "no GPU adapter: {e} (on Linux without a GPU, Mesa's software Vulkan driver \
                     `mesa-vulkan-drivers` provides one)"
                ))
            })?;
        let info = adapter.get_info();
        let limits = adapter.limits();
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("parmine"),
                required_limits: wgpu::Limits::downlevel_defaults().using_resolution(limits.clone()),
                ..Default::default()
            })
            .await
            .map_err(|e| gpu_error("could not open the device", e))?;
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("miner.wgsl"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        // The driver and its version: a figure measured on a GPU means
        // little without them.
        let driver = [info.driver.as_str(), info.driver_info.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let adapter = if driver.is_empty() {
            format!("{} ({:?}, {:?})", info.name, info.device_type, info.backend)
        } else {
            format!("{} ({:?}, {:?}, driver {driver})", info.name, info.device_type, info.backend)
        };
        let max_workgroup =
            limits.max_compute_invocations_per_workgroup.min(limits.max_compute_workgroup_size_x);
        Ok(GpuDevice { device, queue, module, adapter, max_workgroup, pipelines: Mutex::new(Vec::new()) })
    }

    /// The adapter's name, type, backend and driver.
    pub fn adapter(&self) -> &str {
        &self.adapter
    }

    /// Largest workgroup the adapter runs.
    pub fn max_workgroup(&self) -> u32 {
        self.max_workgroup
    }

    fn pipeline(&self, entry: &'static str, workgroup: u32) -> wgpu::ComputePipeline {
        let mut pipelines = self.pipelines.lock().expect("not poisoned");
        if let Some((_, _, p)) = pipelines.iter().find(|(e, w, _)| *e == entry && *w == workgroup) {
            return p.clone();
        }
        let constants = [("WORKGROUP", f64::from(workgroup))];
        let pipeline = self.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: None,
            module: &self.module,
            entry_point: Some(entry),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants: if entry == "mine" { &constants } else { &[] },
                ..Default::default()
            },
            cache: None,
        });
        pipelines.push((entry, workgroup, pipeline.clone()));
        pipeline
    }

    fn storage(&self, label: &str, words: &[u32], extra: wgpu::BufferUsages) -> wgpu::Buffer {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: bytes.len() as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | extra,
            mapped_at_creation: false,
        });
        self.queue.write_buffer(&buffer, 0, &bytes);
        buffer
    }

    /// Copy `buffer` back and read it as words.
    fn read(
        &self,
        mut encoder: wgpu::CommandEncoder,
        buffer: &wgpu::Buffer,
        words: usize,
    ) -> Result<Vec<u32>> {
        let size = (words * 4) as u64;
        let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        encoder.copy_buffer_to_buffer(buffer, 0, &readback, 0, size);
        self.queue.submit([encoder.finish()]);
        let (tx, rx) = mpsc::channel();
        readback.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| gpu_error("waiting for the device", e))?;
        rx.recv().map_err(|e| gpu_error("reading back", e))?.map_err(|e| gpu_error("reading back", e))?;
        let words = {
            let view =
                readback.get_mapped_range(..).map_err(|e| gpu_error("reading back", format!("{e:?}")))?;
            view.chunks_exact(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes"))).collect()
        };
        readback.unmap();
        Ok(words)
    }

    /// A bind group of `buffers`, each at its binding, for `pipeline`.
    fn bind(&self, pipeline: &wgpu::ComputePipeline, buffers: &[(u32, &wgpu::Buffer)]) -> wgpu::BindGroup {
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .map(|&(binding, buffer)| wgpu::BindGroupEntry { binding, resource: buffer.as_entire_binding() })
            .collect();
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        })
    }

    /// An encoder holding one dispatch of `pipeline` over `groups` (x, y).
    fn dispatch(
        &self,
        pipeline: &wgpu::ComputePipeline,
        bind: &wgpu::BindGroup,
        groups: (u32, u32),
    ) -> wgpu::CommandEncoder {
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, bind, &[]);
            pass.dispatch_workgroups(groups.0, groups.1, 1);
        }
        encoder
    }

    /// The whole digest of `nonce` computed by the shader (its `digest`
    /// entry point), as big-endian words: for checking the WGSL hashes
    /// against the sha2 and blake3 crates.
    ///
    /// # Errors
    ///
    /// The device failed.
    pub fn digest(&self, plan: &GpuPlan, nonce: u64) -> Result<[u32; 8]> {
        let pipeline = self.pipeline("digest", 1);
        let params = self.storage("params", &plan.window(nonce, 1, 1, 1), wgpu::BufferUsages::empty());
        let bytes = self.storage("bytes", &plan.bytes, wgpu::BufferUsages::empty());
        let out = self.storage("digest", &[0; 8], wgpu::BufferUsages::COPY_SRC);
        let bind = self.bind(&pipeline, &[(0, &params), (1, &bytes), (3, &out)]);
        let words = self.read(self.dispatch(&pipeline, &bind, (1, 1)), &out, 8)?;
        Ok(std::array::from_fn(|i| words[i]))
    }

    /// Search `range` of `puzzle` window by window; `None` when the range
    /// holds no proof. Stops at a window boundary when `control` is
    /// cancelled, and adds each window's nonces to its count.
    ///
    /// # Errors
    ///
    /// A message too long for the GPU, a device failure, or a cancel.
    pub fn search(
        &self,
        puzzle: &Puzzle,
        range: Range<u64>,
        mode: GpuMode,
        tuning: Tuning,
        control: &Control,
    ) -> Result<(Option<u64>, u64)> {
        let plan = GpuPlan::new(puzzle, mode)?;
        let range = range.start..range.end.min(puzzle.template().nonce_format().end());
        let pipeline = self.pipeline("mine", tuning.workgroup);
        let bytes = self.storage("bytes", &plan.bytes, wgpu::BufferUsages::empty());
        let params = self.storage("params", &plan.window(0, 0, 1, 1), wgpu::BufferUsages::empty());
        let found = self.storage("found", &[NONE, 0], wgpu::BufferUsages::COPY_SRC);
        let bind = self.bind(&pipeline, &[(0, &params), (1, &bytes), (2, &found)]);
        let mut attempts = 0u64;
        let mut base = range.start;
        while base < range.end {
            if control.is_cancelled() {
                return Err(Error::Cancelled { attempts });
            }
            let count = (range.end - base).min(u64::from(tuning.window)) as u32;
            let (groups, row) = grid(count, tuning);
            let window = plan.window(base, count, tuning.per_invocation, row * tuning.workgroup);
            let window: Vec<u8> = window.iter().flat_map(|w| w.to_le_bytes()).collect();
            self.queue.write_buffer(&params, 0, &window);
            self.queue.write_buffer(&found, 0, &[0xff; 4].into_iter().chain([0; 4]).collect::<Vec<u8>>());
            let result =
                self.read(self.dispatch(&pipeline, &bind, (row, groups.div_ceil(row))), &found, 2)?;
            attempts += u64::from(count);
            control.record(u64::from(count));
            if result[0] != NONE {
                let nonce = base + u64::from(result[0]);
                if puzzle.verify(nonce) {
                    return Ok((Some(nonce), attempts));
                }
                // The prefilter passed but the whole target did not: go on past it.
                base = nonce + 1;
            } else {
                base += u64::from(count);
            }
        }
        Ok((None, attempts))
    }

    /// Time one window of `tuning` on `puzzle`: nonces per second.
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search).
    pub fn rate(&self, puzzle: &Puzzle, tuning: Tuning) -> Result<f64> {
        // A target nothing meets, so the window runs whole.
        let never = Target::LeadingZeros(Difficulty::from_hex_digits(Difficulty::MAX_HEX_DIGITS)?);
        let puzzle = Puzzle::from_parts(puzzle.template().clone(), puzzle.algorithm(), never);
        let control = Control::new();
        let start = Instant::now();
        let (_, attempts) =
            self.search(&puzzle, 0..u64::from(tuning.window), GpuMode::Lowest, tuning, &control)?;
        Ok(attempts as f64 / start.elapsed().as_secs_f64().max(1e-9))
    }
}

/// Workgroups of a window, and how many of them a grid row holds.
fn grid(count: u32, tuning: Tuning) -> (u32, u32) {
    let invocations = count.div_ceil(tuning.per_invocation.max(1));
    let groups = invocations.div_ceil(tuning.workgroup).max(1);
    (groups, groups.min(MAX_ROW_GROUPS))
}

/// The process's device, opened on first use (an error, if there is no
/// adapter, is kept and returned each time).
pub fn shared() -> Result<&'static GpuDevice> {
    static DEVICE: OnceLock<std::result::Result<GpuDevice, String>> = OnceLock::new();
    DEVICE
        .get_or_init(|| GpuDevice::open().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::InvalidArgument(e.clone()))
}

impl GpuDevice {
    /// The fastest shape for `puzzle`'s kind of message on this adapter:
    /// each candidate shape timed on one window, the best sized for
    /// [`Tuning::WINDOW_SECONDS`] a dispatch.
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search).
    pub fn calibrate(&self, puzzle: &Puzzle) -> Result<Tuning> {
        let mut best: Option<(f64, Tuning)> = None;
        for tuning in Tuning::candidates(self.max_workgroup) {
            let rate = self.rate(puzzle, tuning)?;
            if best.is_none_or(|(r, _)| rate > r) {
                best = Some((rate, tuning));
            }
        }
        let (rate, tuning) = best.expect("at least one candidate");
        Ok(tuning.sized_for(rate))
    }

    /// [`calibrate`](Self::calibrate), once per hasher and nonce format in
    /// this process.
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search).
    pub fn tuned(&self, puzzle: &Puzzle) -> Result<Tuning> {
        static TUNED: Mutex<Vec<(String, Tuning)>> = Mutex::new(Vec::new());
        let key = format!("{} {:?}", puzzle.algorithm(), puzzle.template().nonce_format());
        if let Some((_, t)) = TUNED.lock().expect("not poisoned").iter().find(|(k, _)| *k == key) {
            return Ok(*t);
        }
        let tuning = self.calibrate(puzzle)?;
        TUNED.lock().expect("not poisoned").push((key, tuning));
        Ok(tuning)
    }
}
