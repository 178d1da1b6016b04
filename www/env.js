// What this browser and this page can do, and the one reload that makes a
// page isolated on hosts that cannot send the isolation headers.

import { deadline } from './deadline.js';

const RELOAD_FLAG = 'parmine-coi-reload';

/** Whether WebAssembly threads can run here: isolation plus shared memory. */
function sharedMemoryWorks() {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * Whether WebAssembly SIMD (simd128) is there: a one-function module whose
 * body is `i32.const 0; i8x16.splat` must validate.
 */
function simdWorks() {
  const module = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11];
  try {
    return WebAssembly.validate(new Uint8Array(module));
  } catch {
    return false;
  }
}

/** The environment panel's facts and the build to load. */
export function detect() {
  const isolated = self.crossOriginIsolated === true;
  const simd = simdWorks();
  // The threaded build is also the SIMD build (see .cargo/config.toml).
  const threads = isolated && sharedMemoryWorks() && simd;
  return {
    isolated,
    simd,
    build: threads ? 'threaded' : 'single',
    cores: navigator.hardwareConcurrency || 1,
    userAgent: navigator.userAgent,
    reason: threads
      ? ''
      : !isolated
        ? 'the page is not cross-origin isolated (no COOP/COEP headers), so SharedArrayBuffer is off'
        : !simd
          ? 'this browser has no WebAssembly SIMD, which the threaded build uses'
          : 'this browser has no WebAssembly threads',
  };
}

/** Resolves true once `registration` has an active worker (false after `ms`). */
function activated(registration, ms) {
  if (registration.active) return Promise.resolve(true);
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve(false);
  return deadline(
    new Promise((resolve) => {
      worker.addEventListener('statechange', () => worker.state === 'activated' && resolve(true));
    }),
    ms,
    () => false,
  );
}

/**
 * On a host without the isolation headers, register the service worker that
 * adds them and reload once. Resolves to true when a reload is under way;
 * where service workers are unavailable or blocked, to false within a few
 * seconds, and the page carries on with the single-threaded build.
 */
export async function isolateWithServiceWorker() {
  if (self.crossOriginIsolated || !('serviceWorker' in navigator) || !self.isSecureContext) return false;
  // One reload only: if it did not isolate the page, do not loop.
  if (sessionStorage.getItem(RELOAD_FLAG)) return false;
  try {
    const registration = await deadline(navigator.serviceWorker.register('./coi-sw.js'), 3000, () => null);
    if (registration && (await activated(registration, 3000))) {
      sessionStorage.setItem(RELOAD_FLAG, '1');
      location.reload();
      return true;
    }
  } catch {
    // Service workers refused (blocked, private mode): carry on single-threaded.
  }
  return false;
}
