// ioredis: lists as job queues and recent-items feeds, including blocking pops served by
// pushes from other connections.
import { assert, between, waitFor } from '../lib/harness.mjs';

// Resolves once `observer` sees `count` clients blocked (INFO clients), so a push is sent only
// after the waiters really wait.
async function blocked(observer, count) {
  await waitFor(`${count} blocked clients`, async () => {
    const m = /^blocked_clients:(\d+)/m.exec(await observer.info('clients'));
    return m && Number(m[1]) >= count;
  }, 3000, 5);
}

export default function register(check) {
  check('list: LPUSH + RPOP is a FIFO queue; RPOP on empty is null and the key is gone', async ({ redis, key }) => {
    assert.equal(await redis.lpush(key(), 'job1', 'job2'), 2);
    assert.equal(await redis.lpush(key(), 'job3'), 3);
    assert.equal(await redis.rpop(key()), 'job1');
    assert.equal(await redis.rpop(key()), 'job2');
    assert.equal(await redis.rpop(key()), 'job3');
    assert.equal(await redis.rpop(key()), null);
    assert.equal(await redis.exists(key()), 0);
  });

  check('list: LRANGE, LLEN, LINDEX, LSET, LREM, LINSERT, RPOP with a count', async ({ redis, key }) => {
    await redis.rpush(key(), 'a', 'b', 'c', 'b', 'd');
    assert.equal(await redis.llen(key()), 5);
    assert.equal(await redis.lindex(key(), -1), 'd');
    assert.equal(await redis.lset(key(), 0, 'A'), 'OK');
    assert.equal(await redis.lrem(key(), 0, 'b'), 2);
    assert.equal(await redis.linsert(key(), 'BEFORE', 'c', 'B'), 4);
    assert.deepEqual(await redis.lrange(key(), 0, -1), ['A', 'B', 'c', 'd']);
    assert.deepEqual(await redis.rpop(key(), 3), ['d', 'c', 'B']);
    assert.deepEqual(await redis.lrange(key(), 0, -1), ['A']);
  });

  check('list: LPUSH + LTRIM 0 9 keeps the 10 most recent items, newest first', async ({ redis, key }) => {
    for (let i = 1; i <= 25; i++) {
      const [[, len], [, trimmed]] = await redis.multi().lpush(key(), `item:${i}`).ltrim(key(), 0, 9).exec();
      assert.equal(len, Math.min(i, 10) + (i > 10 ? 1 : 0));
      assert.equal(trimmed, 'OK');
    }
    assert.deepEqual(await redis.lrange(key(), 0, -1), Array.from({ length: 10 }, (_, i) => `item:${25 - i}`));
  });

  check('list: LMOVE moves a job to a processing list atomically (reliable queue)', async ({ redis, key }) => {
    await redis.lpush(key('todo'), 'j1', 'j2');
    assert.equal(await redis.lmove(key('todo'), key('doing'), 'RIGHT', 'LEFT'), 'j1');
    assert.deepEqual(await redis.lrange(key('doing'), 0, -1), ['j1']);
    assert.equal(await redis.lrem(key('doing'), 1, 'j1'), 1);
    assert.equal(await redis.rpoplpush(key('todo'), key('doing')), 'j2');
    assert.equal(await redis.exists(key('todo')), 0);
  });

  check('list: BRPOP on an empty list returns null after its 0.3 s timeout', async ({ key, dup }) => {
    const worker = await dup();
    const start = Date.now();
    assert.equal(await worker.brpop(key(), 0.3), null);
    between(Date.now() - start, 250, 2000, 'ms BRPOP waited');
  });

  check('list: a blocked BRPOP is woken by LPUSH from another connection', async ({ redis, key, dup }) => {
    const worker = await dup();
    const popped = worker.brpop(key(), 5);
    await blocked(redis, 1);
    const start = Date.now();
    assert.equal(await redis.lpush(key(), 'urgent'), 1);
    assert.deepEqual(await popped, [key(), 'urgent']);
    between(Date.now() - start, 0, 1000, 'ms from LPUSH to the BRPOP reply');
    assert.equal(await redis.exists(key()), 0);
  });

  check('list: BLPOP with timeout 0 waits until a push; BLMOVE hands the job to a processing list', async ({ redis, key, dup }) => {
    const worker = await dup();
    const popped = worker.blpop(key('q'), 0);
    await blocked(redis, 1);
    await redis.rpush(key('q'), 'a', 'b');
    assert.deepEqual(await popped, [key('q'), 'a']);
    const moved = worker.blmove(key('empty'), key('doing'), 'LEFT', 'RIGHT', 0);
    await blocked(redis, 1);
    await redis.rpush(key('empty'), 'job');
    assert.equal(await moved, 'job');
    assert.deepEqual(await redis.lrange(key('doing'), 0, -1), ['job']);
    assert.deepEqual(await redis.lrange(key('q'), 0, -1), ['b']);
  });

  check('list: blocked BRPOP clients are served first-come first-served', async ({ redis, key, dup }) => {
    const [w1, w2, w3] = await Promise.all([dup(), dup(), dup()]);
    const replies = [];
    const p1 = w1.brpop(key(), 5).then((r) => replies.push(['w1', r[1]]));
    await blocked(redis, 1);
    const p2 = w2.brpop(key(), 5).then((r) => replies.push(['w2', r[1]]));
    await blocked(redis, 2);
    const p3 = w3.brpop(key(), 5).then((r) => replies.push(['w3', r[1]]));
    await blocked(redis, 3);
    await redis.rpush(key(), 'a', 'b', 'c');  // BRPOP pops from the right: c, then b, then a
    await Promise.all([p1, p2, p3]);
    replies.sort();
    assert.deepEqual(replies, [['w1', 'c'], ['w2', 'b'], ['w3', 'a']]);
  });

  check('list: BRPOP over several keys pops from the first non-empty key, in key order', async ({ redis, key, dup }) => {
    const worker = await dup();
    await redis.rpush(key('low'), 'l1');
    await redis.rpush(key('high'), 'h1');
    assert.deepEqual(await worker.brpop(key('high'), key('low'), 1), [key('high'), 'h1']);
    assert.deepEqual(await worker.brpop(key('high'), key('low'), 1), [key('low'), 'l1']);
    const popped = worker.brpop(key('high'), key('low'), 5);
    await blocked(redis, 1);
    await redis.lpush(key('low'), 'late');
    assert.deepEqual(await popped, [key('low'), 'late']);
  });

  check('list: a MULTI that pushes wakes a blocked BRPOP with the final state', async ({ redis, key, dup }) => {
    const worker = await dup();
    const popped = worker.brpop(key(), 5);
    await blocked(redis, 1);
    await redis.multi().rpush(key(), 'x', 'y').rpop(key()).exec();
    assert.deepEqual(await popped, [key(), 'x']);
    assert.equal(await redis.llen(key()), 0);
  });
}
