// Strata's client-library suite: every check through ioredis and node-redis, in RESP2 and RESP3.
//   node run.mjs --port 6379 [--host 127.0.0.1] [--protocol 2|3|both] [--only REGEX]
//                [--timeout MS] [--deadline MS]
// Prints `ok - NAME` / `not ok - NAME: REASON` per check and `N passed, M failed`; exits 0 only
// when every check passed. Keys live under a random per-run prefix and are deleted at the end.
import { Runner, parseArgs, randomHex, withTimeout } from './lib/harness.mjs';
import { Shared, checkContext, deleteKeys, scanKeys, openIoredis, closeIoredis } from './lib/clients.mjs';
import basics from './checks/basics.mjs';
import batching from './checks/batching.mjs';
import roles from './checks/roles.mjs';
import pubsub from './checks/pubsub.mjs';
import types from './checks/types.mjs';
import lists from './checks/lists.mjs';
import streams from './checks/streams.mjs';
import nodeRoles from './checks/node-roles.mjs';
import nodeData from './checks/node-data.mjs';
import nodeStreams from './checks/node-streams.mjs';

const options = parseArgs(process.argv.slice(2), {
  host: '127.0.0.1', port: '6379', protocol: 'both', only: '', timeout: '5000', deadline: '90000',
});
const protocols = options.protocol === 'both' ? [2, 3] : [Number(options.protocol)];
if (protocols.some((p) => p !== 2 && p !== 3)) throw new Error(`--protocol must be 2, 3 or both`);

// Each family registers its checks through `check(name, fn, { timeoutMs })`.
const families = [
  ['ioredis', basics], ['ioredis', batching], ['ioredis', roles], ['ioredis', pubsub], ['ioredis', types],
  ['ioredis', lists], ['ioredis', streams],
  ['node-redis', nodeRoles], ['node-redis', nodeData], ['node-redis', nodeStreams],
];
const checks = [];
for (const [client, register] of families) {
  register((name, fn, opts = {}) => checks.push({ client, name, fn, opts }));
}

const runner = new Runner({ only: options.only, timeoutMs: Number(options.timeout), deadlineMs: Number(options.deadline) });
const target = { host: options.host, port: Number(options.port) };
const prefix = `strata-clients:${randomHex(4)}:`;
const started = Date.now();
console.log(`# ${checks.length} checks per protocol, protocols ${protocols.join(' and ')}, key prefix ${prefix}`);

let serial = 0;
for (const protocol of protocols) {
  const shared = new Shared({ ...target, protocol });
  let openError = null;
  try {
    await withTimeout(shared.open(), 5000, 'connecting');
  } catch (err) {
    shared.close();
    openError = new Error(`could not connect in RESP${protocol}: ${err.message}`);
  }
  for (const { client, name, fn, opts } of checks) {
    await runner.run(`${client}/RESP${protocol} ${name}`, fn, {
      timeoutMs: opts.timeoutMs,
      makeCtx: ({ defer }) => {
        if (openError) throw openError;
        if (!shared.redis) throw new Error('the shared connections could not be reopened');
        return checkContext(shared, prefix, ++serial, defer);
      },
      onTimeout: async () => {
        try {
          await withTimeout(shared.reset(), 5000, 'reconnecting');
        } catch (err) {
          shared.close();
          console.log(`# reconnecting after a timeout failed: ${err.message}`);
        }
      },
    });
  }
  shared.close();
}

await runner.run('cleanup: every key under the run\'s prefix is deleted (SCAN MATCH, DEL)', async () => {
  const redis = await openIoredis({ ...target, protocol: 2 });
  try {
    console.log(`# cleanup removed ${await deleteKeys(redis, prefix)} keys`);
    const left = await scanKeys(redis, `${prefix}*`);
    if (left.length) throw new Error(`${left.length} keys left, e.g. ${left[0]}`);
  } finally {
    closeIoredis(redis);
  }
}, { timeoutMs: 20000, always: true });
console.log(`# elapsed ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(runner.summary() ? 0 : 1);
