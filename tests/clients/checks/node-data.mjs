// node-redis: every data type through the client's typed commands and reply transforms, its
// transactions and pipelines, the scan iterators, error replies and INFO.
import { MultiErrorReply } from 'redis';
import { assert, between, waitFor } from '../lib/harness.mjs';
import { WRONGTYPE } from './basics.mjs';

async function blocked(node, count) {
  await waitFor(`${count} blocked clients`, async () => Number(/^blocked_clients:(\d+)/m.exec(await node.info('clients'))?.[1] ?? 0) >= count, 3000, 5);
}

export default function register(check) {
  check('string: set with EX/PX/NX/XX/KEEPTTL/GET options; incrBy; mGet', async ({ node, key }) => {
    assert.equal(await node.set(key(), 'a', { expiration: { type: 'EX', value: 100 } }), 'OK');
    between(await node.ttl(key()), 99, 100, 'TTL after EX 100');
    assert.equal(await node.set(key(), 'b', { condition: 'NX' }), null);
    assert.equal(await node.set(key(), 'b', { condition: 'XX', expiration: 'KEEPTTL', GET: true }), 'a');
    between(await node.ttl(key()), 99, 100, 'TTL after KEEPTTL');
    assert.equal(await node.set(key(), 'c', { expiration: { type: 'PX', value: 5000 } }), 'OK');
    between(await node.pTTL(key()), 4000, 5000, 'PTTL after PX 5000');
    assert.equal(await node.set(key('absent'), 'x', { condition: 'XX' }), null);
    assert.equal(await node.incrBy(key('n'), 7), 7);
    assert.deepEqual(await node.mGet([key(), key('absent'), key('n')]), ['c', null, '7']);
  });

  check('hash: hSet an object, hGetAll, hIncrBy, hDel, hExists, hLen', async ({ node, key }) => {
    assert.equal(await node.hSet(key(), { name: 'Linus', visits: '1', lang: 'C' }), 3);
    assert.equal(await node.hIncrBy(key(), 'visits', 9), 10);
    assert.deepEqual({ ...(await node.hGetAll(key())) }, { name: 'Linus', visits: '10', lang: 'C' });
    assert.equal(await node.hDel(key(), ['lang', 'nope']), 1);
    assert.equal(await node.hExists(key(), 'lang'), 0);
    assert.equal(await node.hLen(key()), 2);
    assert.deepEqual({ ...(await node.hGetAll(key('missing'))) }, {});
  });

  check('list: lPush/rPop queue; brPop times out with null, and is woken by a push', async ({ node, key, nodeDup }) => {
    assert.equal(await node.lPush(key(), ['j1', 'j2', 'j3']), 3);
    assert.deepEqual([await node.rPop(key()), await node.rPop(key())], ['j1', 'j2']);
    const worker = await nodeDup();
    assert.deepEqual(await worker.brPop(key(), 1), { key: key(), element: 'j3' });
    const start = Date.now();
    assert.equal(await worker.brPop(key(), 0.3), null);
    between(Date.now() - start, 250, 2000, 'ms brPop waited');
    const popped = worker.brPop(key(), 5);
    await blocked(node, 1);
    await node.lPush(key(), 'late');
    assert.deepEqual(await popped, { key: key(), element: 'late' });
  });

  check('list: two blocked brPop clients are served in the order they blocked', async ({ node, key, nodeDup }) => {
    const [w1, w2] = await Promise.all([nodeDup(), nodeDup()]);
    const first = w1.brPop(key(), 5);
    await blocked(node, 1);
    const second = w2.brPop(key(), 5);
    await blocked(node, 2);
    await node.rPush(key(), ['x', 'y']);
    assert.deepEqual([await first, await second], [{ key: key(), element: 'y' }, { key: key(), element: 'x' }]);
  });

  check('set: sAdd, sIsMember, sMembers, sCard, sInter, sRem', async ({ node, key }) => {
    assert.equal(await node.sAdd(key('a'), ['x', 'y', 'z', 'x']), 3);
    await node.sAdd(key('b'), ['y', 'z', 'w']);
    assert.equal(await node.sIsMember(key('a'), 'y'), 1);
    assert.equal(await node.sIsMember(key('a'), 'w'), 0);
    assert.deepEqual((await node.sMembers(key('a'))).sort(), ['x', 'y', 'z']);
    assert.deepEqual((await node.sInter([key('a'), key('b')])).sort(), ['y', 'z']);
    assert.equal(await node.sRem(key('a'), ['x', 'q']), 1);
    assert.equal(await node.sCard(key('a')), 2);
  });

  check('zset: zAdd, zRangeWithScores (scores as numbers), zIncrBy, zRevRank, zScore', async ({ node, key }) => {
    assert.equal(await node.zAdd(key(), [{ score: 300, value: 'ann' }, { score: 150.5, value: 'bob' }, { score: 50, value: 'cy' }]), 3);
    assert.deepEqual(await node.zRangeWithScores(key(), 0, -1), [{ value: 'cy', score: 50 }, { value: 'bob', score: 150.5 }, { value: 'ann', score: 300 }]);
    assert.equal(await node.zIncrBy(key(), 200, 'cy'), 250);
    assert.equal(await node.zRevRank(key(), 'cy'), 1);
    assert.equal(await node.zScore(key(), 'bob'), 150.5);
    assert.equal(await node.zScore(key(), 'nobody'), null);
    assert.deepEqual(await node.zRange(key(), 0, 0, { REV: true }), ['ann']);
  });

  check('multi: multi().exec() returns the replies in order; a runtime error is reported', async ({ node, key }) => {
    assert.deepEqual(await node.multi().set(key(), '5').incrBy(key(), 3).get(key()).exec(), ['OK', 8, '8']);
    await node.set(key('s'), 'text');
    const err = await node.multi().incr(key('n')).lPush(key('s'), 'x').incr(key('n')).exec().catch((e) => e);
    assert.ok(err instanceof MultiErrorReply, `expected a MultiErrorReply, got ${err}`);
    assert.deepEqual(err.errorIndexes, [1]);
    assert.equal(err.replies[0], 1);
    assert.equal(err.replies[1].message, WRONGTYPE);
    assert.equal(err.replies[2], 2, 'the commands around the error still ran');
    assert.equal(await node.get(key('n')), '2');
  });

  check('pipeline: 3000 auto-pipelined commands and execAsPipeline() keep their order', async ({ node, key }) => {
    const sent = [];
    for (let i = 0; i < 1000; i++) sent.push(node.set(key(`p${i}`), String(i)), node.incr(key('n')), node.get(key(`p${i}`)));
    const replies = await Promise.all(sent);
    for (let i = 0; i < 1000; i++) assert.deepEqual(replies.slice(3 * i, 3 * i + 3), ['OK', i + 1, String(i)], `group ${i}`);
    const batch = node.multi();
    for (let i = 0; i < 2000; i++) batch.rPush(key('l'), String(i));
    const pushed = await batch.execAsPipeline();
    assert.deepEqual(pushed, Array.from({ length: 2000 }, (_, i) => i + 1));
    assert.deepEqual(await node.lRange(key('l'), -2, -1), ['1998', '1999']);
  });

  check('scan: scanIterator, hScanIterator and sScanIterator visit everything', async ({ node, key }) => {
    const batch = node.multi();
    for (let i = 0; i < 150; i++) batch.set(key(`k${i}`), 'v');
    for (let i = 0; i < 150; i++) batch.hSet(key('h'), `f${i}`, String(i)).sAdd(key('s'), `m${i}`);
    await batch.execAsPipeline();
    const keys = new Set();
    for await (const chunk of node.scanIterator({ MATCH: key('k*'), COUNT: 40 })) chunk.forEach((k) => keys.add(k));
    assert.equal(keys.size, 150);
    const fields = new Map();
    for await (const chunk of node.hScanIterator(key('h'), { COUNT: 40 })) chunk.forEach(({ field, value }) => fields.set(field, value));
    assert.equal(fields.size, 150);
    assert.equal(fields.get('f42'), '42');
    const members = new Set();
    for await (const chunk of node.sScanIterator(key('s'), { COUNT: 40 })) chunk.forEach((m) => members.add(m));
    assert.equal(members.size, 150);
  });

  check('error: WRONGTYPE and unknown command reach the caller as errors with Redis\'s text', async ({ node, key }) => {
    await node.set(key(), 'text');
    await assert.rejects(node.lPush(key(), 'x'), (err) => err.message === WRONGTYPE);
    await assert.rejects(node.sendCommand(['NOSUCHCMD', 'a']), /^ErrorReply: ERR unknown command|ERR unknown command/);
    await assert.rejects(node.incr(key()), /ERR value is not an integer or out of range/);
    assert.equal(await node.get(key()), 'text');
  });

  check('info: info() and info("memory") return the sections clients parse', async ({ node }) => {
    const all = await node.info();
    assert.match(all, /^# Server\r?$/m);
    assert.match(all, /^redis_version:\d+\.\d+\.\d+\r?$/m);
    assert.match(all, /^connected_clients:\d+\r?$/m);
    const memory = await node.info('memory');
    assert.match(memory, /^used_memory:\d+\r?$/m);
    assert.match(memory, /^maxmemory_policy:[a-z-]+\r?$/m);
    assert.doesNotMatch(memory, /^# Server/m);
  });
}
