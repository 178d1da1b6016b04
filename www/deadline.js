// One way to stop waiting on a promise that may never settle: the page's
// service worker registration, WebGPU's adapter and device requests, a
// driver worker's start. Each gives up in its own words, so the choice of
// what a late answer means (a fallback value, or an error) is the caller's.

/**
 * `promise`, or, if it has not settled within `ms`, what `late()` returns
 * (or throws) then. The timer is cleared as soon as either side wins.
 */
export function deadline(promise, ms, late) {
  let timer;
  const expiry = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}
