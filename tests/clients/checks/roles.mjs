// ioredis: the roles as applications write them: cache-aside, sessions, rate limiting, locks.
import { randomUUID } from 'node:crypto';
import { assert, between, sleep, waitFor } from '../lib/harness.mjs';

// A stand-in for the database behind the cache; counts its loads.
function fakeDb(rows) {
  return { rows: new Map(Object.entries(rows)), loads: 0, async load(id) { this.loads++; return this.rows.get(String(id)) ?? null; } };
}

// Cache-aside read: GET, and on a miss load from the database and SETEX for 300 s.
async function cached(redis, cacheKey, db, id) {
  const hit = await redis.get(cacheKey);
  if (hit !== null) return JSON.parse(hit);
  const row = await db.load(id);
  await redis.setex(cacheKey, 300, JSON.stringify(row));
  return row;
}

// Fixed-window rate limit: INCR the window's counter, EXPIRE it on the first hit, 429 after 60.
async function limit(redis, bucket) {
  const count = await redis.incr(bucket);
  if (count === 1) await redis.expire(bucket, 60);
  return { count, status: count > 60 ? 429 : 200 };
}

// A lock without Lua: SET NX PX to take it; release under WATCH so only the owner's token deletes
// (WATCH belongs to the connection: release on one that nothing else uses meanwhile).
const acquire = async (redis, lock, token, ms) => (await redis.set(lock, token, 'PX', ms, 'NX')) === 'OK';
async function release(redis, lock, token) {
  await redis.watch(lock);
  if ((await redis.get(lock)) !== token) {
    await redis.unwatch();
    return false;
  }
  return (await redis.multi().del(lock).exec()) !== null;
}

export default function register(check) {
  check('cache: a miss loads from the database and SETEX 300 stores the JSON; then it hits', async ({ redis, key }) => {
    const row = { id: 7, name: 'Ada', tags: ['admin'], profile: { score: 1.5, active: true, manager: null } };
    const db = fakeDb({ 7: row });
    assert.equal(await redis.get(key('user:7')), null);
    assert.deepEqual(await cached(redis, key('user:7'), db, 7), row);
    assert.equal(db.loads, 1);
    between(await redis.ttl(key('user:7')), 299, 300, 'TTL of the cached entry');
    assert.deepEqual(JSON.parse(await redis.get(key('user:7'))), row);
    db.rows.set('7', { id: 7, name: 'changed in the database' });
    for (let i = 0; i < 5; i++) assert.deepEqual(await cached(redis, key('user:7'), db, 7), row);
    assert.equal(db.loads, 1, 'hits must not reach the database');
  });

  check('cache: DEL invalidates the entry; the next read reloads the new row', async ({ redis, key }) => {
    const db = fakeDb({ 3: { id: 3, v: 1 } });
    await cached(redis, key('user:3'), db, 3);
    db.rows.set('3', { id: 3, v: 2 });
    assert.equal(await redis.del(key('user:3')), 1);
    assert.deepEqual(await cached(redis, key('user:3'), db, 3), { id: 3, v: 2 });
    assert.equal(db.loads, 2);
  });

  check('cache: unicode and a 200 KB JSON value round-trip unchanged', async ({ redis, key }) => {
    const row = { name: 'Zoë 名前 🚀 "q" \\ \r\n\t', blob: 'x'.repeat(200_000), list: Array.from({ length: 300 }, (_, i) => i) };
    const db = fakeDb({ 4: row });
    await cached(redis, key('user:4'), db, 4);
    assert.equal(await redis.strlen(key('user:4')), Buffer.byteLength(JSON.stringify(row)));
    assert.deepEqual(await cached(redis, key('user:4'), db, 4), row);
    assert.equal(db.loads, 1);
  });

  check('cache: an entry is gone once its TTL runs out and the next read misses', async ({ redis, key }) => {
    const db = fakeDb({ 5: { id: 5 } });
    await redis.set(key('user:5'), JSON.stringify({ id: 5, stale: true }), 'PX', 200);
    assert.deepEqual(await cached(redis, key('user:5'), db, 5), { id: 5, stale: true });
    await waitFor('the entry to expire', async () => (await redis.get(key('user:5'))) === null, 2000);
    assert.deepEqual(await cached(redis, key('user:5'), db, 5), { id: 5 });
    assert.equal(db.loads, 1);
  });

  check('session: SETEX sess:<uuid> 3600 stores the JSON session; TTL 3599..3600', async ({ redis, key }) => {
    const sid = randomUUID();
    const session = { userId: 42, roles: ['user'], csrf: randomUUID(), createdAt: Date.now() };
    assert.equal(await redis.setex(key(`sess:${sid}`), 3600, JSON.stringify(session)), 'OK');
    assert.deepEqual(JSON.parse(await redis.get(key(`sess:${sid}`))), session);
    between(await redis.ttl(key(`sess:${sid}`)), 3599, 3600, 'session TTL');
  });

  check('session: 50 concurrent reads from 5 connections all see the same session', async ({ redis, key, dup }) => {
    const sid = randomUUID();
    const value = JSON.stringify({ userId: 9, cart: [1, 2, 3] });
    await redis.setex(key(`sess:${sid}`), 3600, value);
    const conns = [redis, ...(await Promise.all([dup(), dup(), dup(), dup()]))];
    const reads = await Promise.all(Array.from({ length: 50 }, (_, i) => conns[i % 5].get(key(`sess:${sid}`))));
    assert.ok(reads.every((r) => r === value), 'a read disagreed');
  });

  check('session: EXPIRE 3600 refreshes an aging session; EXPIRE on an unknown one is 0', async ({ redis, key }) => {
    const sid = randomUUID();
    await redis.setex(key(`sess:${sid}`), 3600, '{"userId":1}');
    await redis.pexpire(key(`sess:${sid}`), 1500);  // as if the session had aged
    between(await redis.pttl(key(`sess:${sid}`)), 1, 1500, 'PTTL of the aged session');
    assert.equal(await redis.expire(key(`sess:${sid}`), 3600), 1);
    between(await redis.ttl(key(`sess:${sid}`)), 3599, 3600, 'TTL after the refresh');
    assert.equal(await redis.get(key(`sess:${sid}`)), '{"userId":1}');
    assert.equal(await redis.expire(key(`sess:${randomUUID()}`), 3600), 0);
  });

  check('session: GETEX EX 3600 reads and slides the expiry; GETDEL consumes a one-time token', async ({ redis, key }) => {
    const sid = key(`sess:${randomUUID()}`);
    await redis.set(sid, '{"userId":3}', 'PX', 5000);
    assert.equal(await redis.getex(sid, 'EX', 3600), '{"userId":3}');
    between(await redis.ttl(sid), 3599, 3600, 'TTL after GETEX EX 3600');
    assert.equal(await redis.getex(sid), '{"userId":3}');
    between(await redis.ttl(sid), 3599, 3600, 'TTL after a plain GETEX');
    await redis.setex(key('reset-token'), 900, 'user:3');
    assert.equal(await redis.getdel(key('reset-token')), 'user:3');
    assert.equal(await redis.getdel(key('reset-token')), null);
  });

  check('session: DEL logs out (1, then GET null, DEL 0, EXPIRE 0); an unknown id reads null', async ({ redis, key }) => {
    const sid = randomUUID();
    await redis.setex(key(`sess:${sid}`), 3600, '{"userId":2}');
    assert.equal(await redis.del(key(`sess:${sid}`)), 1);
    assert.equal(await redis.get(key(`sess:${sid}`)), null);
    assert.equal(await redis.del(key(`sess:${sid}`)), 0);
    assert.equal(await redis.expire(key(`sess:${sid}`), 3600), 0);
    assert.equal(await redis.get(key(`sess:${randomUUID()}`)), null);
  });

  check('ratelimit: the first hit counts 1 and sets a 60 s TTL; 60 pass, then 429', async ({ redis, key }) => {
    const bucket = key('rl:10.0.0.1:minute');
    const first = await limit(redis, bucket);
    assert.deepEqual(first, { count: 1, status: 200 });
    between(await redis.ttl(bucket), 59, 60, 'bucket TTL after the first hit');
    const statuses = [first.status];
    for (let i = 2; i <= 65; i++) statuses.push((await limit(redis, bucket)).status);
    assert.deepEqual(statuses, [...Array(60).fill(200), ...Array(5).fill(429)]);
    assert.equal(await redis.get(bucket), '65');
  });

  check('ratelimit: later INCRs keep the window\'s TTL running (neither reset nor cleared)', async ({ redis, key }) => {
    const bucket = key('rl:10.0.0.2:minute');
    await limit(redis, bucket);
    await redis.pexpire(bucket, 20000);  // the window is 40 s old
    for (let i = 0; i < 10; i++) await limit(redis, bucket);
    between(await redis.pttl(bucket), 15000, 20000, 'bucket PTTL after more hits');
  });

  check('ratelimit: EXPIRE ... NX sets the window once; later hits leave it alone', async ({ redis, key }) => {
    const bucket = key('rl:nx');
    const hit = async () => (await redis.multi().incr(bucket).call('EXPIRE', bucket, 60, 'NX').exec()).map(([, v]) => v);
    assert.deepEqual(await hit(), [1, 1]);
    await redis.pexpire(bucket, 30000);
    assert.deepEqual(await hit(), [2, 0]);
    between(await redis.pttl(bucket), 25000, 30000, 'bucket PTTL after a second hit');
  });

  check('ratelimit: buckets are separate per client and per window', async ({ redis, key }) => {
    for (let i = 0; i < 61; i++) await limit(redis, key('rl:a:w1'));
    assert.equal((await limit(redis, key('rl:a:w1'))).status, 429);
    assert.deepEqual(await limit(redis, key('rl:b:w1')), { count: 1, status: 200 });
    assert.deepEqual(await limit(redis, key('rl:a:w2')), { count: 1, status: 200 });
  });

  check('ratelimit: 100 concurrent hits from 5 connections count exactly 1..100', async ({ redis, key, dup }) => {
    const bucket = key('rl:burst');
    const conns = [redis, ...(await Promise.all([dup(), dup(), dup(), dup()]))];
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => limit(conns[i % 5], bucket)));
    assert.deepEqual(results.map((r) => r.count).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(results.filter((r) => r.status === 429).length, 40);
    between(await redis.ttl(bucket), 59, 60, 'bucket TTL');
  });

  check('lock: SET NX PX takes the lock with its TTL; another client is refused', async ({ redis, key, dup }) => {
    const other = await dup();
    assert.ok(await acquire(redis, key('lock'), 'owner-a', 10000));
    between(await redis.pttl(key('lock')), 9000, 10000, 'lock PTTL');
    assert.equal(await acquire(other, key('lock'), 'owner-b', 10000), false);
    assert.equal(await redis.get(key('lock')), 'owner-a');
  });

  check('lock: only the owner\'s token releases it (WATCH, GET, MULTI DEL)', async ({ redis, key, dup }) => {
    const a = await dup();
    const b = await dup();
    await acquire(a, key('lock'), 'token-a', 10000);
    assert.equal(await release(b, key('lock'), 'token-b'), false);
    assert.equal(await redis.get(key('lock')), 'token-a');
    assert.equal(await release(a, key('lock'), 'token-a'), true);
    assert.equal(await redis.exists(key('lock')), 0);
    assert.ok(await acquire(b, key('lock'), 'token-b', 10000), 'the lock is free again');
  });

  check('lock: a release racing a new owner is refused by WATCH; the new owner keeps it', async ({ key, dup }) => {
    const a = await dup();
    const b = await dup();
    await acquire(a, key('lock'), 'token-a', 10000);
    await a.watch(key('lock'));
    assert.equal(await a.get(key('lock')), 'token-a');
    await b.set(key('lock'), 'token-b', 'PX', 10000);  // a's lock expired; b took it meanwhile
    assert.equal(await a.multi().del(key('lock')).exec(), null);
    assert.equal(await b.get(key('lock')), 'token-b');
  });

  check('lock: an owner whose lock expired while WATCHed cannot delete it (EXEC aborts)', async ({ key, dup }) => {
    const [a, b] = await Promise.all([dup(), dup()]);
    await acquire(a, key('lock'), 'token-a', 150);
    await a.watch(key('lock'));
    assert.equal(await a.get(key('lock')), 'token-a');
    await waitFor('the lock to expire', async () => (await b.exists(key('lock'))) === 0, 2000);
    assert.equal(await a.multi().del(key('lock')).set(key('side-effect'), 'x').exec(), null);
    assert.equal(await b.exists(key('side-effect')), 0);
  });

  check('lock: an abandoned lock expires after its PX; until then it is refused', async ({ redis, key, dup }) => {
    const other = await dup();
    await acquire(redis, key('lock'), 'crashed-owner', 300);
    assert.equal(await acquire(other, key('lock'), 'next', 300), false);
    await waitFor('the abandoned lock to expire', () => acquire(other, key('lock'), 'next', 5000), 2000);
    assert.equal(await redis.get(key('lock')), 'next');
  });

  check('lock: 8 workers on 8 connections are mutually exclusive (no lost updates)', async ({ redis, key, dup }) => {
    const conns = await Promise.all(Array.from({ length: 8 }, () => dup()));
    let holders = 0;
    let overlaps = 0;
    await redis.set(key('counter'), 0);
    await Promise.all(conns.map(async (c, w) => {
      for (let round = 0; round < 5; round++) {
        const token = `w${w}r${round}`;
        while (!(await acquire(c, key('lock'), token, 5000))) await sleep(1);
        if (++holders > 1) overlaps++;
        const n = Number(await c.get(key('counter')));
        await sleep(1);
        await c.set(key('counter'), n + 1);
        holders--;
        assert.ok(await release(c, key('lock'), token), `worker ${w} could not release its lock`);
      }
    }));
    assert.equal(overlaps, 0, 'two workers held the lock at once');
    assert.equal(await redis.get(key('counter')), '40');
  });
}
