// Durability across a restart: what applications store must come back exactly, TTLs included.
//   node restart.mjs --port P --phase write --state FILE    then stop or kill -9 the server,
//   node restart.mjs --port P --phase verify --state FILE   start it again on the same dir.
// write stores a session (TTL 3600), a key with a 2 s TTL, a key without TTL, a list queue, a
// hash, a zset, a set and a stream with two consumer groups, checks each landed as intended, and
// records in FILE what verify must find. verify checks it all, then resumes the groups (so it runs
// once per write) and deletes the keys. Output and exit code as run.mjs.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Runner, assert, pairs, parseArgs, randomHex, waitFor, withTimeout } from './lib/harness.mjs';
import { openIoredis, closeIoredis, deleteKeys } from './lib/clients.mjs';
import { assertGroups, expectedPending, streamAfterSave, streamBeforeSave } from './lib/restart-stream.mjs';

const options = parseArgs(process.argv.slice(2), { host: '127.0.0.1', port: '6379', phase: '', state: '' });
if (!['write', 'verify'].includes(options.phase) || !options.state) {
  console.error('usage: node restart.mjs --port P --phase write|verify --state FILE');
  process.exit(2);
}
const runner = new Runner({ timeoutMs: 8000, deadlineMs: 45000 });
let redis = null;
try {
  redis = await withTimeout(openIoredis({ host: options.host, port: Number(options.port), protocol: 3 }), 5000, 'connecting');
} catch (err) {
  console.log(`# cannot connect: ${err.message}`);
}
const check = (name, fn) => runner.run(`${options.phase}: ${name}`, async () => {
  if (!redis) throw new Error('no connection to the server');
  await fn();
});

// How long a key set with a relative TTL of `ttl` ms may have left, read with PTTL sent at
// `sent` and answered at `got`: the server fixed its deadline between the write's own `sent`
// and `got`. A deadline re-based when the server restarted (a relative TTL replayed from a log)
// shows as a PTTL above the window's top by the time the server was down, so only 250 ms above
// it pass (a server's cached clock); below it, 1.5 s.
function pttlWindow(write, ttl, sent, got) {
  return { lo: write.sent + ttl - got, hi: write.got + ttl - sent };
}
async function timedPttl(key) {
  const sent = Date.now();
  const pttl = await redis.pttl(key);
  return { pttl, sent, got: Date.now() };
}
function assertPttl(what, reading, window) {
  const { pttl } = reading;
  assert.notEqual(pttl, -2, `${what}: the key is gone`);
  assert.notEqual(pttl, -1, `${what}: the TTL was lost (PTTL -1)`);
  console.log(`# ${what}: PTTL ${pttl}, the window is ${window.lo}..${window.hi}`);
  assert.ok(pttl <= window.hi + 250, `${what}: PTTL ${pttl} is above the most it can be (${window.hi}): the TTL was reset`);
  assert.ok(pttl >= window.lo - 1500, `${what}: PTTL ${pttl} is more than 1.5 s below the expected ${window.lo}`);
}
async function timed(fn) {
  const sent = Date.now();
  await fn();
  return { sent, got: Date.now() };
}

const HASH = { name: 'Ada', email: 'ada@example.com', visits: '7', plan: 'pro' };
const ZSET = ['b', '20', 'c', '30.5', 'a', '35'];
const SET = ['admin', 'beta', 'editor'];
const QUEUE = Array.from({ length: 97 }, (_, i) => `job:${100 - i}`);

if (options.phase === 'write') {
  const prefix = `strata-restart:${randomHex(4)}:`;
  const keys = {
    session: `${prefix}sess:${randomUUID()}`, short: `${prefix}short`, plain: `${prefix}plain`,
    queue: `${prefix}queue`, hash: `${prefix}hash`, zset: `${prefix}zset`, set: `${prefix}set`, stream: `${prefix}stream`,
    deleted: `${prefix}deleted`, overwritten: `${prefix}overwritten`, persisted: `${prefix}persisted`,
    drained: `${prefix}drained`, log: `${prefix}log`,
  };
  const state = { prefix, keys, done: [] };
  const step = (name, fn) => check(name, async () => {
    await fn();
    state.done.push(name);
  });

  await step('server process id recorded (INFO server)', async () => {
    state.pid = /^process_id:(\d+)/m.exec(await redis.info('server'))[1];
  });
  await step('session SETEX sess:<uuid> 3600 with a JSON value', async () => {
    state.session = JSON.stringify({ userId: 42, roles: ['user', 'beta'], cart: [{ sku: 'A-1', qty: 2 }], note: 'Zoë ✓' });
    state.sessionAt = await timed(() => redis.setex(keys.session, 3600, state.session));
    const reading = await timedPttl(keys.session);
    assertPttl('session', reading, pttlWindow(state.sessionAt, 3600_000, reading.sent, reading.got));
  });
  await step('queue of 100 jobs (LPUSH), hash (HSET), zset (ZADD), set (SADD), keys to change later', async () => {
    for (let i = 1; i <= 100; i++) await redis.lpush(keys.queue, `job:${i}`);
    await redis.hset(keys.hash, { name: 'Ada', email: 'ada@example.com', visits: '0', plan: 'pro', drop: 'me' });
    await redis.zadd(keys.zset, 10, 'a', 20, 'b', 30.5, 'c');
    await redis.sadd(keys.set, 'editor', 'admin', 'beta', 'admin', 'gone');
    await redis.mset(keys.deleted, 'old', keys.overwritten, 'old');
    await redis.set(keys.persisted, 'v', 'EX', 100);
    await redis.rpush(keys.drained, 'x', 'y');
    state.log = [];
    for (let i = 0; i < 3; i++) state.log.push(await redis.xadd(keys.log, '*', 'line', String(i)));
  });
  await step('stream of 10 entries, groups g and g2, first deliveries', async () => {
    state.ids = await streamBeforeSave(redis, keys.stream);
  });
  await step('SAVE: what is written so far goes to the on-disk tables, the rest only to the log', async () => {
    assert.equal(await redis.call('SAVE'), 'OK');
  });
  await step('3 jobs consumed (RPOP), HINCRBY, ZINCRBY, SREM after the SAVE', async () => {
    assert.deepEqual([await redis.rpop(keys.queue), await redis.rpop(keys.queue), await redis.rpop(keys.queue)], ['job:1', 'job:2', 'job:3']);
    assert.equal(await redis.hincrby(keys.hash, 'visits', 7), 7);
    assert.equal(await redis.zincrby(keys.zset, 25, 'a'), '35');
    assert.equal(await redis.srem(keys.set, 'gone'), 1);
    assert.deepEqual(await redis.lrange(keys.queue, 0, -1), QUEUE);
  });
  await step('DEL, overwrite, PERSIST, HDEL, XDEL and a drained list after the SAVE', async () => {
    assert.equal(await redis.del(keys.deleted), 1);
    assert.equal(await redis.set(keys.overwritten, 'new'), 'OK');
    assert.equal(await redis.persist(keys.persisted), 1);
    assert.equal(await redis.hdel(keys.hash, 'drop'), 1);
    assert.equal(await redis.xdel(keys.log, state.log[1]), 1);
    assert.deepEqual(await redis.rpop(keys.drained, 2), ['y', 'x']);
    assert.deepEqual({ ...(await redis.hgetall(keys.hash)) }, HASH);
    assert.deepEqual(await redis.zrange(keys.zset, 0, -1, 'WITHSCORES'), ZSET);
  });
  await step('stream: acks, more deliveries and an XCLAIM after the SAVE', async () => {
    state.stream = { ids: state.ids, deliveredAt: await streamAfterSave(redis, keys.stream, state.ids) };
  });
  await step('a key with a 2 s TTL (SET PX 2000) and a key without TTL', async () => {
    state.shortAt = await timed(() => redis.set(keys.short, 'short-lived', 'PX', 2000));
    await redis.set(keys.plain, 'forever');
    assert.equal(await redis.ttl(keys.plain), -1);
  });
  await runner.run('write: state recorded for the verify phase', async () => {
    writeFileSync(options.state, JSON.stringify(state, null, 1));
    console.log(`# state in ${options.state}; write steps done: ${state.done.length} of 9`);
  });
} else {
  let state = {};
  try {
    state = JSON.parse(readFileSync(options.state, 'utf8'));
  } catch (err) {
    console.log(`# no state from the write phase: ${err.message}`);
  }
  const { keys = {}, stream } = state;
  const need = (...what) => what.forEach((w) => assert.ok(state[w] !== undefined, `the write phase recorded no ${w}`));

  await check('server answers, and it is a new process (the restart happened)', async () => {
    assert.equal(await redis.ping(), 'PONG');
    need('pid');
    assert.notEqual(/^process_id:(\d+)/m.exec(await redis.info('server'))[1], state.pid, 'same process id as at write');
  });
  await check('session survived with its JSON value', async () => {
    need('session');
    assert.equal(await redis.get(keys.session), state.session);
  });
  await check('the 2 s key keeps its deadline: there with its PTTL until then, gone after it', async () => {
    need('shortAt');
    const deadline = state.shortAt.sent + 2000;
    if (Date.now() < deadline - 300) {
      const reading = await timedPttl(keys.short);
      assertPttl('2 s key', reading, pttlWindow(state.shortAt, 2000, reading.sent, reading.got));
      assert.equal(await redis.get(keys.short), 'short-lived');
    }
    const goneAt = await waitFor('the 2 s key to expire', async () => ((await redis.exists(keys.short)) === 0 ? Date.now() : 0), 4000, 20);
    assert.ok(goneAt >= deadline - 150, `gone ${deadline - goneAt} ms before its deadline`);
    assert.ok(goneAt <= state.shortAt.got + 2000 + 1000, `still there ${goneAt - state.shortAt.got - 2000} ms after its deadline`);
    assert.equal(await redis.get(keys.short), null);
  });
  await check('session TTL kept counting down (3600 s minus the time since the write; not reset, not lost)', async () => {
    need('sessionAt');
    const reading = await timedPttl(keys.session);
    assertPttl('session', reading, pttlWindow(state.sessionAt, 3600_000, reading.sent, reading.got));
  });
  await check('a key without TTL still has its value and no TTL', async () => {
    assert.equal(await redis.get(keys.plain), 'forever');
    assert.equal(await redis.ttl(keys.plain), -1);
  });
  await check('queue holds the 97 remaining jobs in order', async () => {
    assert.deepEqual(await redis.lrange(keys.queue, 0, -1), QUEUE);
  });
  await check('hash, zset (scores and order) and set intact', async () => {
    assert.deepEqual({ ...(await redis.hgetall(keys.hash)) }, HASH);
    assert.deepEqual(await redis.zrange(keys.zset, 0, -1, 'WITHSCORES'), ZSET);
    assert.deepEqual((await redis.smembers(keys.set)).sort(), SET);
  });
  await check('DEL, overwrite, PERSIST, HDEL, XDEL and the drained list made after the SAVE hold', async () => {
    need('log');
    assert.equal(await redis.exists(keys.deleted), 0, 'a deleted key came back');
    assert.equal(await redis.get(keys.overwritten), 'new');
    assert.equal(await redis.ttl(keys.persisted), -1);
    assert.equal(await redis.hexists(keys.hash, 'drop'), 0, 'a deleted hash field came back');
    assert.equal(await redis.sismember(keys.set, 'gone'), 0, 'a removed set member came back');
    assert.deepEqual((await redis.xrange(keys.log, '-', '+')).map(([id]) => id), [state.log[0], state.log[2]]);
    assert.equal(await redis.exists(keys.drained), 0, 'a drained list came back');
  });
  await check('stream entries intact (ids and fields); XINFO STREAM agrees', async () => {
    need('stream');
    const entries = await redis.xrange(keys.stream, '-', '+');
    assert.deepEqual(entries.map(([id]) => id), stream.ids);
    entries.forEach(([, fields], i) => assert.deepEqual(fields, ['n', String(i), 'payload', `order-${i}`]));
    const info = pairs(await redis.xinfo('STREAM', keys.stream));
    assert.deepEqual([info.length, info.groups, info['last-generated-id']], [10, 2, stream.ids[9]]);
  });
  await check('consumer groups keep last-delivered-id, entries-read, lag, pending and consumer counts', async () => {
    need('stream');
    assertGroups(await redis.xinfo('GROUPS', keys.stream), stream.ids, 'XINFO GROUPS');
  });
  await check('pending entries keep their owner, delivery count and delivery time (XPENDING)', async () => {
    need('stream');
    for (const [group, rows] of Object.entries(expectedPending(stream.ids))) {
      const got = await redis.xpending(keys.stream, group, '-', '+', 100);
      assert.deepEqual(got.map(([id, owner, , n]) => [id, owner, n]), rows, `group ${group}`);
      const minIdle = Date.now() - stream.deliveredAt - 1500;
      for (const [id, , idle] of got) assert.ok(idle >= minIdle, `${group} ${id}: idle ${idle} ms, but delivered ${Date.now() - stream.deliveredAt} ms ago`);
    }
  });
  await check('per-consumer pending lists (XPENDING summary, XINFO CONSUMERS, XPENDING ... consumer)', async () => {
    need('stream');
    for (const [group, rows] of Object.entries(expectedPending(stream.ids))) {
      const owners = [...new Set(rows.map(([, owner]) => owner))].sort();
      const summary = await redis.xpending(keys.stream, group);
      assert.deepEqual(summary, [rows.length, rows[0][0], rows.at(-1)[0], owners.map((o) => [o, String(rows.filter((r) => r[1] === o).length)])]);
      const consumers = (await redis.xinfo('CONSUMERS', keys.stream, group)).map(pairs);
      for (const c of consumers) {
        const mine = rows.filter(([, owner]) => owner === c.name).map(([id]) => id);
        assert.equal(c.pending, mine.length, `${group}/${c.name} pending`);
        assert.deepEqual((await redis.xpending(keys.stream, group, '-', '+', 100, c.name)).map(([id]) => id), mine);
      }
    }
  });
  await check('the groups resume after the restart: XREADGROUP > delivers only what is new to each', async () => {
    need('stream');
    const next = async (group, consumer) => (await redis.xreadgroup('GROUP', group, consumer, 'STREAMS', keys.stream, '>'))?.[0][1].map(([id]) => id) ?? [];
    assert.deepEqual(await next('g', 'c2'), stream.ids.slice(7));
    assert.deepEqual(await next('g2', 'c3'), stream.ids.slice(5));
  });
  if (redis && state.prefix) {
    try {
      console.log(`# removed ${await deleteKeys(redis, state.prefix)} keys`);
    } catch (err) {
      console.log(`# cleanup failed: ${err.message}`);
    }
  }
}
closeIoredis(redis);
process.exit(runner.summary() ? 0 : 1);
