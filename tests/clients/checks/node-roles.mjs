// node-redis: the roles through the second client's own API: cache-aside, sessions, rate
// limiting, pub/sub notifications and locks, plus interoperation with ioredis.
import { randomUUID } from 'node:crypto';
import { WatchError } from 'redis';
import { assert, between, sleep, waitFor } from '../lib/harness.mjs';

async function cached(node, cacheKey, db, id) {
  const hit = await node.get(cacheKey);
  if (hit !== null) return JSON.parse(hit);
  db.loads++;
  const row = db.rows[id];
  await node.setEx(cacheKey, 300, JSON.stringify(row));
  return row;
}

async function limit(node, bucket) {
  const count = await node.incr(bucket);
  if (count === 1) await node.expire(bucket, 60);
  return count > 60 ? 429 : 200;
}

const acquire = async (node, lock, token, ms) =>
  (await node.set(lock, token, { expiration: { type: 'PX', value: ms }, condition: 'NX' })) === 'OK';

// Needs a connection of its own: WATCH belongs to the connection.
async function release(node, lock, token) {
  await node.watch(lock);
  if ((await node.get(lock)) !== token) {
    await node.unwatch();
    return false;
  }
  try {
    await node.multi().del(lock).exec();
    return true;
  } catch (err) {
    if (err instanceof WatchError) return false;
    throw err;
  }
}

export default function register(check) {
  check('interop: values written by node-redis read the same through ioredis and back', async ({ redis, node, key }) => {
    await node.set(key('a'), 'from node-redis ✓');
    assert.equal(await redis.get(key('a')), 'from node-redis ✓');
    await redis.hset(key('h'), 'f', 'from ioredis');
    assert.deepEqual({ ...(await node.hGetAll(key('h'))) }, { f: 'from ioredis' });
  });

  check('cache: miss, SETEX 300, hit without the database; TTL 299..300; DEL invalidates', async ({ node, key }) => {
    const db = { rows: { 1: { id: 1, name: 'Grace', langs: ['COBOL'] } }, loads: 0 };
    assert.deepEqual(await cached(node, key('user:1'), db, 1), db.rows[1]);
    between(await node.ttl(key('user:1')), 299, 300, 'TTL of the cached entry');
    for (let i = 0; i < 3; i++) assert.deepEqual(await cached(node, key('user:1'), db, 1), db.rows[1]);
    assert.equal(db.loads, 1);
    assert.equal(await node.del(key('user:1')), 1);
    await cached(node, key('user:1'), db, 1);
    assert.equal(db.loads, 2);
  });

  check('session: setEx 3600 JSON, read back, refresh with expire, invalidate with del', async ({ node, key }) => {
    const sid = key(`sess:${randomUUID()}`);
    const session = { userId: 77, roles: ['admin'], exp: Date.now() + 3600_000 };
    assert.equal(await node.setEx(sid, 3600, JSON.stringify(session)), 'OK');
    assert.deepEqual(JSON.parse(await node.get(sid)), session);
    between(await node.ttl(sid), 3599, 3600, 'session TTL');
    await node.pExpire(sid, 2000);
    assert.equal(await node.expire(sid, 3600), 1);
    between(await node.ttl(sid), 3599, 3600, 'TTL after the refresh');
    assert.equal(await node.del(sid), 1);
    assert.equal(await node.get(sid), null);
    assert.equal(await node.expire(sid, 3600), 0);
  });

  check('ratelimit: incr + expire on the first hit; 60 pass, then 429; the TTL stays set', async ({ node, key }) => {
    const bucket = key('rl:client');
    const statuses = [];
    for (let i = 0; i < 63; i++) statuses.push(await limit(node, bucket));
    assert.deepEqual(statuses, [...Array(60).fill(200), 429, 429, 429]);
    between(await node.ttl(bucket), 59, 60, 'bucket TTL');
    assert.equal(await node.get(bucket), '63');
  });

  check('pubsub: duplicate() subscribers fan out; PUBLISH counts them; order is kept', async ({ node, key, nodeDup }) => {
    const subs = await Promise.all([nodeDup(), nodeDup(), nodeDup()]);
    const inboxes = subs.map(() => []);
    await Promise.all(subs.map((s, i) => s.subscribe(key('events'), (message, channel) => inboxes[i].push([channel, message]))));
    const counts = [];
    for (let i = 0; i < 50; i++) counts.push(await node.publish(key('events'), JSON.stringify({ seq: i })));
    assert.ok(counts.every((n) => n === 3), `PUBLISH counts: ${[...new Set(counts)]}`);
    const expected = Array.from({ length: 50 }, (_, i) => [key('events'), JSON.stringify({ seq: i })]);
    for (const got of inboxes) {
      await waitFor('50 messages per subscriber', () => got.length >= 50);
      assert.deepEqual(got, expected);
    }
    assert.deepEqual({ ...(await node.pubSubNumSub(key('events'))) }, { [key('events')]: 3 });
  });

  check('pubsub: pSubscribe receives matching channels; unsubscribe stops delivery', async ({ node, key, nodeDup }) => {
    const sub = await nodeDup();
    const got = [];
    await sub.pSubscribe(key('orders.*'), (message, channel) => got.push([channel, message]));
    await sub.subscribe(key('direct'), (message, channel) => got.push([channel, message]));
    assert.equal(await node.publish(key('orders.eu'), 'o1'), 1);
    assert.equal(await node.publish(key('direct'), 'd1'), 1);
    assert.equal(await node.publish(key('other'), 'x'), 0);
    await waitFor('two deliveries', () => got.length >= 2);
    await sub.unsubscribe(key('direct'));
    assert.equal(await node.publish(key('direct'), 'd2'), 0);
    await sub.pUnsubscribe(key('orders.*'));
    assert.equal(await node.publish(key('orders.eu'), 'o2'), 0);
    await sleep(50);  // nothing may arrive after unsubscribing; give a stray message time to show
    assert.deepEqual(got, [[key('orders.eu'), 'o1'], [key('direct'), 'd1']]);
    assert.equal(await sub.ping(), 'PONG');
  });

  check('pubsub: a subscribed connection: RESP3 runs GET between messages; RESP2 allows only PING', async ({ node, key, nodeDup, protocol }) => {
    const sub = await nodeDup();
    const got = [];
    await sub.subscribe(key('ch'), (message) => got.push(message));
    await node.set(key('k'), 'v');
    if (protocol === 3) {
      assert.equal(await sub.get(key('k')), 'v');
    } else {
      await assert.rejects(sub.sendCommand(['GET', key('k')]),
        /ERR Can't execute 'get': only \(P\|S\)SUBSCRIBE \/ \(P\|S\)UNSUBSCRIBE \/ PING \/ QUIT \/ RESET are allowed in this context/);
    }
    assert.equal(await node.publish(key('ch'), 'm1'), 1);
    await waitFor('the message', () => got.length === 1);
    assert.deepEqual(got, ['m1']);
  });

  check('lock: set NX PX excludes others; only the owner releases (WATCH/MULTI); expiry frees it', async ({ key, nodeDup }) => {
    const [a, b] = await Promise.all([nodeDup(), nodeDup()]);
    assert.ok(await acquire(a, key('lock'), 'ta', 250));
    between(await a.pTTL(key('lock')), 1, 250, 'lock PTTL');
    assert.equal(await acquire(b, key('lock'), 'tb', 250), false);
    assert.equal(await release(b, key('lock'), 'tb'), false);
    assert.equal(await a.get(key('lock')), 'ta');
    await waitFor('the lock to expire', () => acquire(b, key('lock'), 'tb', 10000), 2000);
    assert.equal(await release(a, key('lock'), 'ta'), false, 'the old owner released the new owner\'s lock');
    assert.equal(await release(b, key('lock'), 'tb'), true);
    assert.equal(await b.exists(key('lock')), 0);
  });

  check('lock: 6 workers on 6 connections are mutually exclusive (no lost updates)', async ({ node, key, nodeDup }) => {
    const workers = await Promise.all(Array.from({ length: 6 }, () => nodeDup()));
    let holders = 0;
    let overlaps = 0;
    await Promise.all(workers.map(async (c, w) => {
      for (let round = 0; round < 5; round++) {
        const token = `w${w}r${round}`;
        while (!(await acquire(c, key('lock'), token, 5000))) await sleep(1);
        if (++holders > 1) overlaps++;
        const n = Number((await c.get(key('counter'))) ?? 0);
        await sleep(1);
        await c.set(key('counter'), String(n + 1));
        holders--;
        assert.ok(await release(c, key('lock'), token), `worker ${w} could not release its lock`);
      }
    }));
    assert.equal(overlaps, 0, 'two workers held the lock at once');
    assert.equal(await node.get(key('counter')), '30');
  });

  check('multi: WATCH conflict makes exec() throw WatchError; a clean retry commits', async ({ key, nodeDup }) => {
    const [a, b] = await Promise.all([nodeDup(), nodeDup()]);
    await a.set(key('balance'), '100');
    await a.watch(key('balance'));
    const balance = Number(await a.get(key('balance')));
    await b.incrBy(key('balance'), 50);
    await assert.rejects(a.multi().set(key('balance'), String(balance - 30)).exec(), WatchError);
    await a.watch(key('balance'));
    const fresh = Number(await a.get(key('balance')));
    assert.deepEqual(await a.multi().set(key('balance'), String(fresh - 30)).get(key('balance')).exec(), ['OK', '120']);
  });
}
