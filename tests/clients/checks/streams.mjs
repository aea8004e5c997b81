// ioredis: streams as a job log with consumer groups: producers XADD, workers XREADGROUP and XACK,
// a reaper XCLAIMs or XAUTOCLAIMs what a dead worker left pending.
import { assert, between, pairs, rejects, waitFor } from '../lib/harness.mjs';

const ID = /^(\d+)-(\d+)$/;
const compareIds = (a, b) => {
  const [, am, as] = ID.exec(a);
  const [, bm, bs] = ID.exec(b);
  return BigInt(am) === BigInt(bm) ? Number(BigInt(as) - BigInt(bs)) : Number(BigInt(am) - BigInt(bm));
};


// Adds `n` jobs; returns their ids.
async function produce(redis, stream, n, from = 0) {
  const ids = [];
  for (let i = from; i < from + n; i++) ids.push(await redis.xadd(stream, '*', 'job', `j${i}`, 'attempt', '1'));
  return ids;
}

const idsOf = (reply) => (reply ? reply[0][1].map(([id]) => id) : []);

async function blocked(observer, count) {
  await waitFor(`${count} blocked clients`, async () => Number(/^blocked_clients:(\d+)/m.exec(await observer.info('clients'))?.[1] ?? 0) >= count, 3000, 5);
}

export default function register(check) {
  check('stream: XADD * ids are <ms>-<seq> and strictly increasing; explicit ids; XLEN', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 50);
    for (const id of ids) assert.match(id, ID);
    for (let i = 1; i < ids.length; i++) assert.ok(compareIds(ids[i - 1], ids[i]) < 0, `${ids[i - 1]} !< ${ids[i]}`);
    between(Number(ID.exec(ids[0])[1]), Date.now() - 60000, Date.now() + 60000, 'ms part of the id');
    assert.equal(await redis.xlen(key()), 50);
    assert.equal(await redis.xadd(key('e'), '5-1', 'f', 'v'), '5-1');
    assert.equal(await redis.xadd(key('e'), '5-*', 'f', 'v'), '5-2');
    await rejects(redis.xadd(key('e'), '5-2', 'f', 'v'), /^ERR The ID specified in XADD is equal or smaller than the target stream top item$/);
    await rejects(redis.xadd(key('e'), '0-0', 'f', 'v'), /^ERR The ID specified in XADD must be greater than 0-0$/);
  });

  check('stream: XRANGE/XREVRANGE return fields in order, with COUNT and exclusive bounds', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 10);
    const all = await redis.xrange(key(), '-', '+');
    assert.deepEqual(all.map(([id]) => id), ids);
    assert.deepEqual(all[3][1], ['job', 'j3', 'attempt', '1']);
    assert.deepEqual((await redis.xrange(key(), ids[2], ids[5], 'COUNT', 2)).map(([id]) => id), [ids[2], ids[3]]);
    assert.deepEqual((await redis.xrange(key(), `(${ids[7]}`, '+')).map(([id]) => id), [ids[8], ids[9]]);
    assert.deepEqual((await redis.xrevrange(key(), '+', '-', 'COUNT', 3)).map(([id]) => id), [ids[9], ids[8], ids[7]]);
    assert.deepEqual(await redis.xrange(key('missing'), '-', '+'), []);
  });

  check('stream: XGROUP CREATE MKSTREAM makes the stream; again is BUSYGROUP; NOGROUP on reads', async ({ redis, key }) => {
    await rejects(redis.xgroup('CREATE', key(), 'g', '$'), /^ERR The XGROUP subcommand requires the key to exist/);
    assert.equal(await redis.xgroup('CREATE', key(), 'g', '$', 'MKSTREAM'), 'OK');
    assert.equal(await redis.type(key()), 'stream');
    assert.equal(await redis.xlen(key()), 0);
    const busy = await rejects(redis.xgroup('CREATE', key(), 'g', '$'), /^BUSYGROUP/);
    assert.equal(busy.message, 'BUSYGROUP Consumer Group name already exists');
    await rejects(redis.xreadgroup('GROUP', 'nope', 'c', 'STREAMS', key(), '>'), /^NOGROUP No such key '.*' or consumer group 'nope'/);
  });

  check("stream: XREADGROUP '>' across two consumers delivers each entry exactly once", async ({ redis, key, dup }) => {
    const ids = await produce(redis, key(), 12);
    await redis.xgroup('CREATE', key(), 'workers', '0');
    const other = await dup();
    const a = idsOf(await redis.xreadgroup('GROUP', 'workers', 'a', 'COUNT', 5, 'STREAMS', key(), '>'));
    const b = idsOf(await other.xreadgroup('GROUP', 'workers', 'b', 'COUNT', 5, 'STREAMS', key(), '>'));
    const a2 = idsOf(await redis.xreadgroup('GROUP', 'workers', 'a', 'COUNT', 5, 'STREAMS', key(), '>'));
    assert.deepEqual([a, b, a2], [ids.slice(0, 5), ids.slice(5, 10), ids.slice(10)]);
    assert.equal(await redis.xreadgroup('GROUP', 'workers', 'a', 'STREAMS', key(), '>'), null);
    const history = await redis.xreadgroup('GROUP', 'workers', 'b', 'STREAMS', key(), '0');
    assert.deepEqual(history[0][1].map(([id]) => id), ids.slice(5, 10));
    assert.deepEqual(history[0][1][0][1], ['job', 'j5', 'attempt', '1']);
  });

  check('stream: XACK acknowledges once; XPENDING summary counts per consumer', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 6);
    await redis.xgroup('CREATE', key(), 'g', '0');
    await redis.xreadgroup('GROUP', 'g', 'alice', 'COUNT', 4, 'STREAMS', key(), '>');
    await redis.xreadgroup('GROUP', 'g', 'bob', 'COUNT', 2, 'STREAMS', key(), '>');
    assert.equal(await redis.xack(key(), 'g', ids[0], ids[1], ids[4]), 3);
    assert.equal(await redis.xack(key(), 'g', ids[0]), 0);
    assert.deepEqual(await redis.xpending(key(), 'g'), [3, ids[2], ids[5], [['alice', '2'], ['bob', '1']]]);
    await redis.xack(key(), 'g', ids[2], ids[3], ids[5]);
    assert.deepEqual(await redis.xpending(key(), 'g'), [0, null, null, null]);
  });

  check('stream: XPENDING extended form lists id, owner, idle ms and delivery count; IDLE filter', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 4);
    await redis.xgroup('CREATE', key(), 'g', '0');
    await redis.xreadgroup('GROUP', 'g', 'alice', 'COUNT', 3, 'STREAMS', key(), '>');
    await redis.xreadgroup('GROUP', 'g', 'bob', 'STREAMS', key(), '>');
    const rows = await redis.xpending(key(), 'g', '-', '+', 10);
    assert.deepEqual(rows.map(([id, owner, , n]) => [id, owner, n]), [[ids[0], 'alice', 1], [ids[1], 'alice', 1], [ids[2], 'alice', 1], [ids[3], 'bob', 1]]);
    for (const [, , idle] of rows) between(idle, 0, 5000, 'idle ms');
    const bobs = await redis.xpending(key(), 'g', '-', '+', 10, 'bob');
    assert.deepEqual(bobs.map(([id]) => id), [ids[3]]);
    assert.deepEqual(await redis.xpending(key(), 'g', 'IDLE', 60000, '-', '+', 10), []);
    assert.deepEqual((await redis.xpending(key(), 'g', ids[1], '+', 2)).map(([id]) => id), [ids[1], ids[2]]);
  });

  check('stream: XCLAIM moves an idle entry to another consumer and bumps its delivery count', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 3);
    await redis.xgroup('CREATE', key(), 'g', '0');
    await redis.xreadgroup('GROUP', 'g', 'dead', 'STREAMS', key(), '>');
    assert.deepEqual(await redis.xclaim(key(), 'g', 'reaper', 60000, ids[0]), []);
    const claimed = await redis.xclaim(key(), 'g', 'reaper', 0, ids[0], ids[1]);
    assert.deepEqual(claimed, [[ids[0], ['job', 'j0', 'attempt', '1']], [ids[1], ['job', 'j1', 'attempt', '1']]]);
    assert.deepEqual(await redis.xclaim(key(), 'g', 'reaper', 0, ids[2], 'JUSTID'), [ids[2]]);
    const rows = await redis.xpending(key(), 'g', '-', '+', 10);
    assert.deepEqual(rows.map(([id, owner, , n]) => [id, owner, n]), [[ids[0], 'reaper', 2], [ids[1], 'reaper', 2], [ids[2], 'reaper', 1]]);
  });

  check('stream: XAUTOCLAIM claims idle entries from other consumers, page by page', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 5);
    await redis.xgroup('CREATE', key(), 'g', '0');
    await redis.xreadgroup('GROUP', 'g', 'dead', 'STREAMS', key(), '>');
    const [next, entries, deleted] = await redis.xautoclaim(key(), 'g', 'reaper', 0, '0-0', 'COUNT', 3);
    assert.equal(next, ids[3]);
    assert.deepEqual(entries.map(([id]) => id), ids.slice(0, 3));
    assert.deepEqual(entries[0][1], ['job', 'j0', 'attempt', '1']);
    assert.deepEqual(deleted, []);
    const [last, rest] = await redis.xautoclaim(key(), 'g', 'reaper', 0, next, 'COUNT', 3);
    assert.equal(last, '0-0');
    assert.deepEqual(rest.map(([id]) => id), ids.slice(3));
    const [, none] = await redis.xautoclaim(key(), 'g', 'other', 60000, '0-0');
    assert.deepEqual(none, []);
    assert.deepEqual(await redis.xpending(key(), 'g'), [5, ids[0], ids[4], [['reaper', '5']]]);
  });

  check('stream: entries deleted while pending: XCLAIM and XAUTOCLAIM drop them from the PEL', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 3);
    await redis.xgroup('CREATE', key(), 'g', '0');
    await redis.xreadgroup('GROUP', 'g', 'dead', 'STREAMS', key(), '>');
    assert.equal(await redis.xdel(key(), ids[0], ids[2]), 2);
    assert.deepEqual(await redis.xclaim(key(), 'g', 'reaper', 0, ids[2]), []);
    const [next, entries, deleted] = await redis.xautoclaim(key(), 'g', 'reaper', 0, '0-0');
    assert.equal(next, '0-0');
    assert.deepEqual(entries.map(([id]) => id), [ids[1]]);
    assert.deepEqual(deleted, [ids[0]], 'XCLAIM already dropped the other deleted entry');
    assert.deepEqual(await redis.xpending(key(), 'g'), [1, ids[1], ids[1], [['reaper', '1']]]);
  });

  check('stream: XREADGROUP NOACK delivers without a pending entry; XGROUP SETID rewinds the group', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 3);
    await redis.xgroup('CREATE', key(), 'g', '0');
    assert.equal(idsOf(await redis.xreadgroup('GROUP', 'g', 'c', 'NOACK', 'STREAMS', key(), '>')).length, 3);
    assert.equal((await redis.xpending(key(), 'g'))[0], 0);
    assert.equal(await redis.xgroup('SETID', key(), 'g', ids[0]), 'OK');
    assert.deepEqual(idsOf(await redis.xreadgroup('GROUP', 'g', 'c', 'STREAMS', key(), '>')), ids.slice(1));
    assert.equal(await redis.xgroup('DELCONSUMER', key(), 'g', 'c'), 2);
    assert.deepEqual(await redis.xpending(key(), 'g'), [0, null, null, null]);
  });

  check('stream: XREAD BLOCK on $ is woken by XADD from another connection', async ({ redis, key, dup }) => {
    await produce(redis, key(), 2);
    const reader = await dup();
    const read = reader.xread('BLOCK', 5000, 'STREAMS', key(), '$');
    await blocked(redis, 1);
    const id = await redis.xadd(key(), '*', 'event', 'signup');
    assert.deepEqual(await read, [[key(), [[id, ['event', 'signup']]]]]);
  });

  check('stream: XREAD BLOCK with nothing new returns null after its timeout', async ({ redis, key, dup }) => {
    const [last] = await produce(redis, key(), 1);
    const reader = await dup();
    const start = Date.now();
    assert.equal(await reader.xread('BLOCK', 300, 'STREAMS', key(), last), null);
    between(Date.now() - start, 250, 2000, 'ms XREAD waited');
  });

  check('stream: XREADGROUP BLOCK is woken by XADD and the entry becomes pending', async ({ redis, key, dup }) => {
    await redis.xgroup('CREATE', key(), 'g', '$', 'MKSTREAM');
    const worker = await dup();
    const read = worker.xreadgroup('GROUP', 'g', 'w1', 'BLOCK', 5000, 'COUNT', 10, 'STREAMS', key(), '>');
    await blocked(redis, 1);
    const id = await redis.xadd(key(), '*', 'job', 'resize', 'img', '42');
    assert.deepEqual(await read, [[key(), [[id, ['job', 'resize', 'img', '42']]]]]);
    assert.deepEqual(await redis.xpending(key(), 'g'), [1, id, id, [['w1', '1']]]);
  });

  check('stream: XTRIM MAXLEN/MINID keep the newest entries; XADD MAXLEN caps the length', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 20);
    assert.equal(await redis.xtrim(key(), 'MAXLEN', 15), 5);
    assert.equal((await redis.xrange(key(), '-', '+', 'COUNT', 1))[0][0], ids[5]);
    assert.equal(await redis.xtrim(key(), 'MINID', ids[10]), 5);
    assert.equal(await redis.xlen(key()), 10);
    await redis.xadd(key(), 'MAXLEN', 3, '*', 'job', 'new');
    assert.equal(await redis.xlen(key()), 3);
    assert.deepEqual((await redis.xrange(key(), '-', '+')).map(([, f]) => f[1]), ['j18', 'j19', 'new']);
  });

  check('stream: XINFO GROUPS/CONSUMERS report last-delivered-id, pending, lag; XDEL', async ({ redis, key }) => {
    const ids = await produce(redis, key(), 6);
    await redis.xgroup('CREATE', key(), 'g1', '0');
    await redis.xgroup('CREATE', key(), 'g2', ids[3]);
    await redis.xreadgroup('GROUP', 'g1', 'c1', 'COUNT', 2, 'STREAMS', key(), '>');
    await redis.xreadgroup('GROUP', 'g1', 'c2', 'COUNT', 1, 'STREAMS', key(), '>');
    await redis.xack(key(), 'g1', ids[0]);
    const groups = (await redis.xinfo('GROUPS', key())).map(pairs);
    assert.deepEqual(groups, [
      { name: 'g1', consumers: 2, pending: 2, 'last-delivered-id': ids[2], 'entries-read': 3, lag: 3 },
      { name: 'g2', consumers: 0, pending: 0, 'last-delivered-id': ids[3], 'entries-read': null, lag: null },
    ]);
    const consumers = (await redis.xinfo('CONSUMERS', key(), 'g1')).map(pairs);
    assert.deepEqual(consumers.map((c) => [c.name, c.pending]), [['c1', 1], ['c2', 1]]);
    assert.equal(await redis.xdel(key(), ids[4], '1-1'), 1);
    assert.equal(await redis.xlen(key()), 5);
    const stream = pairs(await redis.xinfo('STREAM', key()));
    assert.equal(stream.length, 5);
    assert.equal(stream.groups, 2);
    assert.equal(stream['last-generated-id'], ids[5]);
  });
}
