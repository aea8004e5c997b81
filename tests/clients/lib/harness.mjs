// The check runner and the assertion helpers every check file uses.
//
// A check is a name and an async function. The runner runs checks one after another, each under
// its own timeout, and prints `ok - NAME` or `not ok - NAME: REASON`. Lines starting with `#` are
// diagnostics. A check's connections and other resources are released through ctx.defer(), also
// when it fails or times out. After the run-wide deadline every check left is reported `not ok`,
// so a hung server cannot hold the run past it.
import assert from 'node:assert/strict';

export { assert };

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Command-line options: `--name value` pairs, every value a string.
export function parseArgs(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${name}`);
    const key = name.slice(2);
    if (!(key in defaults)) throw new Error(`unknown option ${name}`);
    options[key] = argv[i + 1];
  }
  return options;
}

export function randomHex(bytes = 4) {
  return Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join('');
}

// `promise`, or a rejection after `ms` (for steps outside a check's own timeout).
export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Polls `probe` until it returns a truthy value, or fails after `ms` with `what`.
export async function waitFor(what, probe, ms = 3000, every = 10) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

// A flat [k1, v1, k2, v2, ...] reply (XINFO in RESP2 shape) as an object.
export const pairs = (flat) => Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]));

export function between(value, lo, hi, what) {
  assert.ok(typeof value === 'number' && value >= lo && value <= hi,
    `${what}: expected ${lo}..${hi}, got ${JSON.stringify(value)}`);
}

// Awaits a promise that must reject with an error whose message matches `pattern`.
export async function rejects(promise, pattern, what = 'the command') {
  let reply;
  try {
    reply = await promise;
  } catch (err) {
    assert.match(String(err?.message ?? err), pattern, `${what}: wrong error`);
    return err;
  }
  assert.fail(`${what}: expected an error matching ${pattern}, got the reply ${JSON.stringify(reply)}`);
}

function describe(err) {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ').replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, 600);
}

export class Runner {
  constructor({ only = '', timeoutMs = 5000, deadlineMs = 90000, out = console.log } = {}) {
    this.only = only ? new RegExp(only) : null;
    this.timeoutMs = timeoutMs;
    this.deadline = Date.now() + deadlineMs;
    this.out = out;
    this.passed = 0;
    this.failed = 0;
  }

  wanted(name) {
    return !this.only || this.only.test(name);
  }

  report(name, err) {
    if (err === undefined) {
      this.passed++;
      this.out(`ok - ${name}`);
    } else {
      this.failed++;
      this.out(`not ok - ${name}: ${describe(err)}`);
    }
  }

  // Runs one check. makeCtx(defer) builds what the check receives; `onTimeout` runs after a
  // timeout (the caller replaces connections a reply may still be pending on).
  // `always` runs the check whatever --only says (the final cleanup).
  async run(name, fn, { timeoutMs = this.timeoutMs, makeCtx = (ctx) => ctx, onTimeout, always = false } = {}) {
    if (!always && !this.wanted(name)) return;
    if (Date.now() > this.deadline) return this.report(name, new Error('run deadline passed before this check'));
    const deferred = [];
    const defer = (cleanup) => deferred.push(cleanup);
    let timer;
    let timedOut = false;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    let error;
    try {
      const ctx = await makeCtx({ defer });
      await Promise.race([fn(ctx), limit]);
    } catch (err) {
      error = err ?? new Error('failed without a reason');
    } finally {
      clearTimeout(timer);
    }
    for (const cleanup of deferred.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(cleanup), 1000, 'cleanup');
      } catch {
        // A cleanup failure must not hide the check's own result.
      }
    }
    if (timedOut && onTimeout) await onTimeout();
    this.report(name, error);
  }

  summary() {
    this.out(`${this.passed} passed, ${this.failed} failed`);
    return this.failed === 0;
  }
}
