// The GPU miner's device half, in the driver worker: WebGPU runs the shader
// Rust hands over (src/gpu/miner.wgsl, through the wasm `gpuPlans` export)
// window by window; Rust checks each candidate (`gpuCheck`) and reports
// (`gpuReport`, `gpuRow`). The same plan and tuning rules as the native
// miner (src/gpu/native.rs); only the device calls differ.

import { deadline } from './deadline.js';

const NONE = 0xffffffff;
/** Workgroups a grid row holds at most (WebGPU's guaranteed minimum). */
const MAX_ROW_GROUPS = 65535;

/** How long a browser may take to answer for its adapter, then its device, before the page goes on without one. */
const ADAPTER_WAIT_MS = 5000;

/** `promise`, or a rejection naming `what` if WebGPU has not answered within ADAPTER_WAIT_MS. */
function answered(promise, what) {
  return deadline(promise, ADAPTER_WAIT_MS, () => {
    throw new Error(`WebGPU did not answer for ${what} within ${ADAPTER_WAIT_MS / 1000} s`);
  });
}

/** The adapter, or an Error that says why there is none. */
export async function openGpu() {
  if (!('gpu' in navigator)) throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
  const adapter = await answered(navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }), 'an adapter');
  if (!adapter) {
    throw new Error('WebGPU offers no adapter here (headless Chromium without a GPU exposes a software one with --enable-unsafe-webgpu)');
  }
  const device = await answered(adapter.requestDevice(), 'a device');
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return new GpuMiner(device, {
    name: info.isFallbackAdapter ? `${name} (software fallback)` : name,
    software: Boolean(info.isFallbackAdapter),
    maxWorkgroup: Math.min(device.limits.maxComputeInvocationsPerWorkgroup, device.limits.maxComputeWorkgroupSizeX),
  });
}

export class GpuMiner {
  #device;
  #module = null;
  #pipelines = new Map();
  #tuned = new Map();

  constructor(device, adapter) {
    this.#device = device;
    this.adapter = adapter;
  }

  #pipeline(shader, workgroup) {
    this.#module ??= this.#device.createShaderModule({ label: 'miner.wgsl', code: shader });
    if (!this.#pipelines.has(workgroup)) {
      this.#pipelines.set(
        workgroup,
        this.#device.createComputePipeline({
          layout: 'auto',
          compute: { module: this.#module, entryPoint: 'mine', constants: { WORKGROUP: workgroup } },
        }),
      );
    }
    return this.#pipelines.get(workgroup);
  }

  #buffer(words, usage) {
    const buffer = this.#device.createBuffer({ size: words.length * 4, usage: usage | GPUBufferUsage.COPY_DST });
    this.#device.queue.writeBuffer(buffer, 0, Uint32Array.from(words));
    return buffer;
  }

  /**
   * Dispatch one window of `count` nonces from `base` (a BigInt); resolves to
   * the offset of its lowest candidate passing the prefilter, or null.
   */
  async #window(plans, plan, base, count, tuning) {
    const pipeline = this.#pipeline(plans.shader, tuning.workgroup);
    const invocations = Math.ceil(count / tuning.per_invocation);
    const groups = Math.max(1, Math.ceil(invocations / tuning.workgroup));
    const row = Math.min(groups, MAX_ROW_GROUPS);
    const params = plan.params.slice();
    const slot = plans.slots;
    params[slot.base_lo] = Number(base & 0xffffffffn);
    params[slot.base_hi] = Number(base >> 32n);
    params[slot.count] = count;
    params[slot.per_invocation] = tuning.per_invocation;
    params[slot.row] = row * tuning.workgroup;
    const found = this.#buffer([NONE, 0], GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const readback = this.#device.createBuffer({ size: 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const inputs = [this.#buffer(params, GPUBufferUsage.STORAGE), this.#buffer(plan.bytes, GPUBufferUsage.STORAGE)];
    const bind = this.#device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: inputs[0] } },
        { binding: 1, resource: { buffer: inputs[1] } },
        { binding: 2, resource: { buffer: found } },
      ],
    });
    const encoder = this.#device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(row, Math.ceil(groups / row));
    pass.end();
    encoder.copyBufferToBuffer(found, 0, readback, 0, 8);
    this.#device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const offset = new Uint32Array(readback.getMappedRange())[0];
    readback.unmap();
    for (const buffer of [...inputs, found, readback]) buffer.destroy();
    return offset === NONE ? null : offset;
  }

  /**
   * Search block `block` of `plans` from nonce `start` (a BigInt) to `end`:
   * resolves to `{nonce, attempts}`, nonce null when the range holds no
   * proof. `host.check(block, nonce)` checks a candidate against the whole
   * target, `host.record(n)` counts progress, `host.cancelled()` stops the
   * search between windows (it then rejects with a "cancelled" error).
   */
  async search(plans, block, start, end, tuning, host) {
    const plan = plans.plans[block];
    let base = start;
    let attempts = 0;
    while (base < end) {
      if (host.cancelled()) {
        throw Object.assign(new Error(`mining was cancelled after ${attempts} attempts`), { kind: 'cancelled' });
      }
      const left = end - base;
      const count = Number(left < BigInt(tuning.window) ? left : BigInt(tuning.window));
      const offset = await this.#window(plans, plan, base, count, tuning);
      attempts += count;
      host.record(count);
      if (offset !== null) {
        const nonce = base + BigInt(offset);
        if (host.check(block, nonce)) return { nonce, attempts };
        base = nonce + 1n; // passed the one-word prefilter, not the whole target
      } else {
        base += BigInt(count);
      }
    }
    return { nonce: null, attempts };
  }

  /**
   * The fastest shape for these plans on this adapter (each candidate timed
   * on one window of a target nothing meets), with windows of about
   * `window_seconds`; once per hasher and encoding.
   */
  async tuning(plans, key) {
    if (this.#tuned.has(key)) return this.#tuned.get(key);
    const never = { ...plans.plans[0], params: plans.plans[0].params.slice() };
    // The prefilter's range made empty: min above max.
    never.params[plans.slots.filter_min] = 1;
    never.params[plans.slots.filter_max] = 0;
    let best = null;
    for (const candidate of plans.candidates.filter((c) => c.workgroup <= Math.max(64, this.adapter.maxWorkgroup))) {
      await this.#window(plans, never, 0n, 64, candidate); // compile the pipeline first
      const started = performance.now();
      await this.#window(plans, never, 0n, candidate.window, candidate);
      const rate = candidate.window / Math.max(1e-3, (performance.now() - started) / 1000);
      if (!best || rate > best.rate) best = { rate, candidate };
    }
    const window = Math.round(Math.min(plans.max_window, Math.max(plans.min_window, best.rate * plans.window_seconds)));
    const tuning = { ...best.candidate, window };
    this.#tuned.set(key, tuning);
    return tuning;
  }
}
