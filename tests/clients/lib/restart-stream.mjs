// The stream part of restart.mjs: a job stream with two consumer groups in a known state, and
// that state as verify expects it back.
//   g:  c1 reads entries 0-3 and acks 0 and 1; c2 reads 4-6 and acks 4; c1 XCLAIMs 5 from c2.
//   g2: created at entry 2; c3 reads 3 and 4 and acks 3.
// Part of it is written before a SAVE and part after, so that after a kill -9 the state comes
// from the server's on-disk tables and its log together.
import { assert, pairs } from './harness.mjs';

// Before the SAVE: the entries, both groups, and c1's first read with one ack.
export async function streamBeforeSave(redis, stream) {
  const ids = [];
  for (let i = 0; i < 10; i++) ids.push(await redis.xadd(stream, '*', 'n', String(i), 'payload', `order-${i}`));
  assert.equal(await redis.xgroup('CREATE', stream, 'g', '0'), 'OK');
  assert.equal(await redis.xgroup('CREATE', stream, 'g2', ids[2]), 'OK');
  assert.deepEqual(await read(redis, stream, 'g', 'c1', 4), ids.slice(0, 4));
  assert.equal(await redis.xack(stream, 'g', ids[0]), 1);
  return ids;
}

// After the SAVE, so this part lives only in the server's log when it is killed.
export async function streamAfterSave(redis, stream, ids) {
  assert.equal(await redis.xack(stream, 'g', ids[1]), 1);
  assert.deepEqual(await read(redis, stream, 'g', 'c2', 3), ids.slice(4, 7));
  assert.deepEqual(await read(redis, stream, 'g2', 'c3', 2), ids.slice(3, 5));
  assert.equal(await redis.xack(stream, 'g', ids[4]), 1);
  assert.equal(await redis.xack(stream, 'g2', ids[3]), 1);
  assert.deepEqual(await redis.xclaim(stream, 'g', 'c1', 0, ids[5], 'JUSTID'), [ids[5]]);
  // JUSTID leaves the delivery count alone; a plain XCLAIM bumps it, as a reaper's would.
  assert.deepEqual((await redis.xclaim(stream, 'g', 'c1', 0, ids[5])).map(([id]) => id), [ids[5]]);
  const deliveredAt = Date.now();
  for (const [group, rows] of Object.entries(expectedPending(ids))) {
    const got = await redis.xpending(stream, group, '-', '+', 100);
    assert.deepEqual(got.map(([id, owner, , n]) => [id, owner, n]), rows, `pending entries of ${group} after the write`);
  }
  assertGroups(await redis.xinfo('GROUPS', stream), ids, 'groups after the write');
  return deliveredAt;
}

async function read(redis, stream, group, consumer, count) {
  const reply = await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>');
  return reply[0][1].map(([id]) => id);
}

// Per group, the pending entries in id order: [id, owner, delivery count].
export function expectedPending(ids) {
  return {
    g: [[ids[2], 'c1', 1], [ids[3], 'c1', 1], [ids[5], 'c1', 2], [ids[6], 'c2', 1]],
    g2: [[ids[4], 'c3', 1]],
  };
}

// Checks XINFO GROUPS. entries-read and lag may be null ("unknown"; redis-server 7.0 itself
// loses them across an AOF reload), but a number must be the right one.
export function assertGroups(reply, ids, what) {
  const groups = reply.map(pairs);
  const core = groups.map(({ 'entries-read': read, lag, ...rest }) => rest);
  assert.deepEqual(core, [
    { name: 'g', consumers: 2, pending: 4, 'last-delivered-id': ids[6] },
    { name: 'g2', consumers: 1, pending: 1, 'last-delivered-id': ids[4] },
  ], what);
  const allowed = [[[7, 3], [null, null]], [[5, 5], [null, null]]];
  groups.forEach((g, i) => {
    const pair = [g['entries-read'], g.lag];
    assert.ok(allowed[i].some((a) => a[0] === pair[0] && a[1] === pair[1]),
      `${what}: group ${g.name} entries-read/lag ${JSON.stringify(pair)}, expected ${JSON.stringify(allowed[i][0])} or nulls`);
  });
}
