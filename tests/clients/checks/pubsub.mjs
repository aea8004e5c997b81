// ioredis: pub/sub as applications use it for notifications: duplicate() subscribers, fan-out
// with exact receiver counts, ordering, patterns, unsubscribing, and PUBSUB introspection.
import { assert, sleep, waitFor } from '../lib/harness.mjs';

// Records every `message` (or `pmessage`) a subscriber receives, as [channel, message] (or
// [pattern, channel, message]).
function inbox(sub, event = 'message') {
  const got = [];
  sub.on(event, (...args) => got.push(args));
  return got;
}

async function subscriber(dup, ...channels) {
  const sub = await dup();
  const got = inbox(sub);
  assert.equal(await sub.subscribe(...channels), channels.length);
  return { sub, got };
}

export default function register(check) {
  check('pubsub: a duplicate() subscriber receives the JSON notification; PUBLISH counts 1', async ({ redis, key, dup }) => {
    const { got } = await subscriber(dup, key('notifications'));
    const event = { type: 'order.paid', orderId: 'A-17', amount: 12.5, at: Date.now() };
    assert.equal(await redis.publish(key('notifications'), JSON.stringify(event)), 1);
    await waitFor('the notification', () => got.length === 1);
    assert.equal(got[0][0], key('notifications'));
    assert.deepEqual(JSON.parse(got[0][1]), event);
  });

  check('pubsub: fan-out to 3 subscribers: PUBLISH counts 3, each gets all 100 messages in order', async ({ redis, key, dup }) => {
    const subs = await Promise.all([1, 2, 3].map(() => subscriber(dup, key('fanout'))));
    const counts = [];
    for (let i = 0; i < 100; i++) counts.push(await redis.publish(key('fanout'), `m${i}`));
    assert.ok(counts.every((n) => n === 3), `PUBLISH counts: ${[...new Set(counts)]}`);
    const expected = Array.from({ length: 100 }, (_, i) => [key('fanout'), `m${i}`]);
    for (const { got } of subs) {
      await waitFor('100 messages at every subscriber', () => got.length >= 100);
      assert.deepEqual(got, expected);
    }
  });

  check('pubsub: 1000 pipelined messages over two channels arrive complete and in publish order', async ({ redis, key, dup }) => {
    const { got } = await subscriber(dup, key('a'), key('b'));
    const p = redis.pipeline();
    const expected = [];
    for (let i = 0; i < 1000; i++) {
      const channel = key(i % 3 ? 'a' : 'b');
      p.publish(channel, `payload-${i}-${'z'.repeat(i % 50)}`);
      expected.push([channel, `payload-${i}-${'z'.repeat(i % 50)}`]);
    }
    const replies = await p.exec();
    assert.ok(replies.every(([err, n]) => !err && n === 1), 'every PUBLISH reaches one subscriber');
    await waitFor('1000 messages', () => got.length >= 1000);
    assert.deepEqual(got, expected);
  });

  check('pubsub: PSUBSCRIBE receives pmessage with pattern and channel; PUBLISH counts both kinds', async ({ redis, key, dup }) => {
    const sub = await dup();
    const pm = inbox(sub, 'pmessage');
    const m = inbox(sub);
    assert.equal(await sub.psubscribe(key('news.*')), 1);
    assert.equal(await sub.subscribe(key('news.sport')), 2);
    assert.equal(await redis.publish(key('news.sport'), 'goal'), 2);
    assert.equal(await redis.publish(key('news.tech'), 'chip'), 1);
    assert.equal(await redis.publish(key('weather'), 'rain'), 0);
    await waitFor('three deliveries', () => pm.length + m.length >= 3);
    assert.deepEqual(pm, [[key('news.*'), key('news.sport'), 'goal'], [key('news.*'), key('news.tech'), 'chip']]);
    assert.deepEqual(m, [[key('news.sport'), 'goal']]);
  });

  check('pubsub: UNSUBSCRIBE stops delivery; the connection then leaves subscriber mode', async ({ redis, key, dup }) => {
    const { sub, got } = await subscriber(dup, key('x'), key('y'));
    assert.equal(await redis.publish(key('x'), 'before'), 1);
    await waitFor('the first message', () => got.length === 1);
    assert.equal(await sub.unsubscribe(key('x')), 1);
    assert.equal(await redis.publish(key('x'), 'after'), 0);
    assert.equal(await redis.publish(key('y'), 'still'), 1);
    await waitFor('the message on y', () => got.length === 2);
    assert.equal(await sub.unsubscribe(), 0);
    assert.equal(await redis.publish(key('y'), 'gone'), 0);
    await sleep(50);  // nothing may arrive after unsubscribing; give a stray message time to show
    assert.deepEqual(got, [[key('x'), 'before'], [key('y'), 'still']]);
    await sub.set(key('k'), 'v');
    assert.equal(await sub.get(key('k')), 'v');
  });

  check('pubsub: PUNSUBSCRIBE stops pattern delivery', async ({ redis, key, dup }) => {
    const sub = await dup();
    const pm = inbox(sub, 'pmessage');
    await sub.psubscribe(key('p.*'), key('q.*'));
    assert.equal(await sub.punsubscribe(key('p.*')), 1);
    assert.equal(await redis.publish(key('p.1'), 'no'), 0);
    assert.equal(await redis.publish(key('q.1'), 'yes'), 1);
    await waitFor('the q message', () => pm.length === 1);
    assert.deepEqual(pm, [[key('q.*'), key('q.1'), 'yes']]);
  });

  check('pubsub: PUBSUB CHANNELS, NUMSUB and NUMPAT see the subscribers', async ({ redis, key, dup }) => {
    await subscriber(dup, key('c1'), key('c2'));
    await subscriber(dup, key('c1'));
    const psub = await dup();
    await psub.psubscribe(key('pat.*'));
    assert.deepEqual((await redis.pubsub('CHANNELS', key('c*'))).sort(), [key('c1'), key('c2')]);
    assert.deepEqual(await redis.pubsub('NUMSUB', key('c1'), key('c2'), key('c3')), [key('c1'), 2, key('c2'), 1, key('c3'), 0]);
    const numpat = await redis.pubsub('NUMPAT');
    assert.ok(Number.isInteger(numpat) && numpat >= 1, `NUMPAT ${numpat}`);
  });
}
