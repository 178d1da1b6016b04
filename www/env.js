// What this browser and this page can do, and the one reload that makes a
// page isolated on hosts that cannot send the isolation headers.

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

/** The environment panel's facts and the build to load. */
export function detect() {
  const isolated = self.crossOriginIsolated === true;
  const threads = isolated && sharedMemoryWorks();
  return {
    isolated,
    build: threads ? 'threaded' : 'single',
    cores: navigator.hardwareConcurrency || 1,
    userAgent: navigator.userAgent,
    reason: threads
      ? ''
      : !isolated
        ? 'the page is not cross-origin isolated (no COOP/COEP headers), so SharedArrayBuffer is off'
        : 'this browser has no WebAssembly threads',
  };
}

/**
 * On a host without the isolation headers, register the service worker that
 * adds them and reload once. Resolves to true when a reload is under way.
 */
export async function isolateWithServiceWorker() {
  if (self.crossOriginIsolated || !('serviceWorker' in navigator) || !self.isSecureContext) return false;
  if (sessionStorage.getItem(RELOAD_FLAG)) {
    // We already reloaded once and are still not isolated: give up quietly.
    return false;
  }
  try {
    const registration = await navigator.serviceWorker.register('./coi-sw.js');
    await navigator.serviceWorker.ready;
    if (registration.active && !navigator.serviceWorker.controller) {
      sessionStorage.setItem(RELOAD_FLAG, '1');
      location.reload();
      return true;
    }
    if (navigator.serviceWorker.controller) {
      // Controlled but not isolated: the worker cannot help (e.g. an old one).
      sessionStorage.setItem(RELOAD_FLAG, '1');
      location.reload();
      return true;
    }
  } catch {
    // Service workers blocked or failing: the single-threaded build it is.
  }
  return false;
}
