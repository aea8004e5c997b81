// ioredis: MULTI/EXEC and WATCH, pipelines of thousands of commands, and SCAN/HSCAN/SSCAN/ZSCAN.
import { assert, rejects } from '../lib/harness.mjs';
import { scanKeys } from '../lib/clients.mjs';

export default function register(check) {
  check('multi: multi().exec() runs the queued commands in order and returns every reply', async ({ redis, key }) => {
    const replies = await redis.multi().set(key(), 10).incrby(key(), 5).get(key()).rpush(key('l'), 'a', 'b').exec();
    assert.deepEqual(replies, [[null, 'OK'], [null, 15], [null, '15'], [null, 2]]);
  });

  check('multi: a runtime error inside EXEC fails only that command; nothing is rolled back', async ({ redis, key }) => {
    await redis.set(key(), 'text');
    const replies = await redis.multi().set(key('a'), 1).lpush(key(), 'x').incr(key('a')).exec();
    assert.deepEqual(replies[0], [null, 'OK']);
    assert.match(replies[1][0].message, /^WRONGTYPE /);
    assert.deepEqual(replies[2], [null, 2]);
    assert.equal(await redis.get(key('a')), '2');
  });

  check('multi: a command rejected while queued aborts the whole transaction (EXECABORT)', async ({ redis, key }) => {
    const tx = redis.multi().set(key(), 'v').call('SET', key('b')).incr(key('c'));
    await rejects(tx.exec(), /^EXECABORT Transaction discarded because of previous errors/);
    assert.equal(await redis.exists(key(), key('b'), key('c')), 0);
    assert.equal(await redis.ping(), 'PONG');
  });

  check('multi: DISCARD drops the queued commands', async ({ ioredis, key }) => {
    const c = await ioredis();
    assert.equal(await c.call('MULTI'), 'OK');
    assert.equal(await c.set(key(), 'v'), 'QUEUED');
    assert.equal(await c.call('DISCARD'), 'OK');
    assert.equal(await c.exists(key()), 0);
    await rejects(c.call('EXEC'), /^ERR EXEC without MULTI$/);
  });

  check('multi: nested MULTI and WATCH inside MULTI are refused; the transaction still runs', async ({ ioredis, key }) => {
    const c = await ioredis();
    await c.call('MULTI');
    await rejects(c.call('MULTI'), /^ERR MULTI calls can not be nested$/);
    await rejects(c.call('WATCH', key()), /^ERR WATCH inside MULTI is not allowed$/);
    assert.equal(await c.call('SET', key(), 'v'), 'QUEUED');
    assert.deepEqual(await c.call('EXEC'), ['OK']);
  });

  check('multi: WATCH makes EXEC return null when another client changed the key', async ({ key, ioredis, dup }) => {
    const a = await ioredis();
    const b = await dup();
    await a.set(key(), 'start');
    assert.equal(await a.watch(key()), 'OK');
    assert.equal(await a.get(key()), 'start');
    await b.set(key(), 'changed');
    assert.equal(await a.multi().set(key(), 'mine').exec(), null);
    assert.equal(await a.get(key()), 'changed');
    // The failed EXEC unwatched everything: the next transaction goes through.
    await b.set(key(), 'again');
    assert.deepEqual(await a.multi().set(key(), 'mine').exec(), [[null, 'OK']]);
    assert.equal(await a.get(key()), 'mine');
  });

  check('multi: WATCH on an untouched key lets EXEC run; UNWATCH forgets a watch', async ({ key, ioredis, dup }) => {
    const a = await ioredis();
    const b = await dup();
    await a.watch(key(), key('other'));
    await b.set(key('unrelated'), 'x');
    assert.deepEqual(await a.multi().incr(key()).exec(), [[null, 1]]);
    await a.watch(key());
    assert.equal(await a.unwatch(), 'OK');
    await b.set(key(), 'changed');
    assert.deepEqual(await a.multi().get(key()).exec(), [[null, 'changed']]);
  });

  check('multi: WATCH sees the key deleted by another client', async ({ key, ioredis, dup }) => {
    const a = await ioredis();
    const b = await dup();
    await a.set(key(), 'v');
    await a.watch(key());
    await b.del(key());
    assert.equal(await a.multi().set(key(), 'x').exec(), null);
    assert.equal(await a.exists(key()), 0);
  });

  check('pipeline: 3000 mixed commands in one pipeline return 3000 replies in order', async ({ redis, key }) => {
    const p = redis.pipeline();
    for (let i = 0; i < 1000; i++) p.set(key(`p${i}`), `v${i}`).get(key(`p${i}`)).rpush(key('list'), i);
    const replies = await p.exec();
    assert.equal(replies.length, 3000);
    for (let i = 0; i < 1000; i++) {
      assert.deepEqual(replies.slice(3 * i, 3 * i + 3), [[null, 'OK'], [null, `v${i}`], [null, i + 1]], `command group ${i}`);
    }
    assert.deepEqual(await redis.lrange(key('list'), 0, 4), ['0', '1', '2', '3', '4']);
  });

  check('pipeline: 5000 INCRs in one pipeline yield 1..5000 in order', async ({ redis, key }) => {
    const p = redis.pipeline();
    for (let i = 0; i < 5000; i++) p.incr(key());
    const replies = await p.exec();
    replies.forEach(([err, n], i) => assert.ok(!err && n === i + 1, `reply ${i}: ${err ?? n}`));
  });

  check('pipeline: 10,000 commands in flight on one connection all complete, in order', async ({ redis, key }) => {
    const sent = [];
    for (let i = 0; i < 10000; i++) sent.push(i % 2 ? redis.get(key()) : redis.append(key(), 'x'));
    const replies = await Promise.all(sent);
    for (let i = 0; i < 10000; i += 2) assert.equal(replies[i], i / 2 + 1, `APPEND ${i}`);
    for (let i = 1; i < 10000; i += 2) assert.equal(replies[i]?.length, (i + 1) / 2, `GET ${i}`);
  });

  check('scan: SCAN MATCH/COUNT visits all 300 keys and the cursor comes back to 0', async ({ redis, key }) => {
    const p = redis.pipeline();
    for (let i = 0; i < 300; i++) p.set(key(`scan:${i}`), i);
    p.hset(key('scan:hash'), 'f', 'v');
    await p.exec();
    const seen = await scanKeys(redis, key('scan:*'));
    const unique = new Set(seen);
    assert.equal(unique.size, 301);
    for (let i = 0; i < 300; i++) assert.ok(unique.has(key(`scan:${i}`)), `missing scan:${i}`);
    const hashes = await scanKeys(redis, key('scan:*'), ['TYPE', 'hash']);
    assert.deepEqual([...new Set(hashes)], [key('scan:hash')]);
  });

  check('scan: HSCAN, SSCAN and ZSCAN return every field and member', async ({ redis, key }) => {
    const fields = {};
    const members = [];
    for (let i = 0; i < 400; i++) {
      fields[`field:${i}`] = `value:${i}`;
      members.push(`member:${i}`);
    }
    await redis.hset(key('h'), fields);
    await redis.sadd(key('s'), ...members);
    await redis.zadd(key('z'), ...members.flatMap((m, i) => [i, m]));
    const collect = async (command, k, ...extra) => {
      const out = [];
      let cursor = '0';
      do {
        const [next, chunk] = await redis[command](k, cursor, 'COUNT', 50, ...extra);
        cursor = next;
        out.push(...chunk);
      } while (cursor !== '0');
      return out;
    };
    const hs = await collect('hscan', key('h'));
    const got = {};
    for (let i = 0; i < hs.length; i += 2) got[hs[i]] = hs[i + 1];
    assert.deepEqual(got, fields);
    assert.deepEqual([...new Set(await collect('sscan', key('s')))].sort(), [...members].sort());
    const zs = await collect('zscan', key('z'));
    const scores = {};
    for (let i = 0; i < zs.length; i += 2) scores[zs[i]] = zs[i + 1];
    assert.equal(Object.keys(scores).length, 400);
    assert.equal(scores['member:123'], '123');
    const matched = await collect('sscan', key('s'), 'MATCH', 'member:39?');
    assert.deepEqual([...new Set(matched)].sort(), Array.from({ length: 10 }, (_, i) => `member:39${i}`));
  });
}
