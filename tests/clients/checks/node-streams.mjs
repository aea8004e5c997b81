// node-redis: streams and consumer groups through the client's typed commands and its parsed
// replies (objects rather than flat arrays).
import { assert, waitFor } from '../lib/harness.mjs';

async function produce(node, stream, n) {
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(await node.xAdd(stream, '*', { job: `j${i}`, n: String(i) }));
  return ids;
}

const idsOf = (reply) => (reply ? reply[0].messages.map((m) => m.id) : []);

async function blocked(node, count) {
  await waitFor(`${count} blocked clients`, async () => Number(/^blocked_clients:(\d+)/m.exec(await node.info('clients'))?.[1] ?? 0) >= count, 3000, 5);
}

export default function register(check) {
  check('stream: xAdd, xRange and xRevRange return the messages as objects, in order', async ({ node, key }) => {
    const ids = await produce(node, key(), 5);
    assert.deepEqual(await node.xRange(key(), '-', '+', { COUNT: 2 }), [
      { id: ids[0], message: { job: 'j0', n: '0' } }, { id: ids[1], message: { job: 'j1', n: '1' } }]);
    assert.deepEqual((await node.xRevRange(key(), '+', '-')).map((m) => m.id), [...ids].reverse());
    assert.equal(await node.xLen(key()), 5);
  });

  check('stream: xGroupCreate MKSTREAM; a second create is BUSYGROUP', async ({ node, key }) => {
    assert.equal(await node.xGroupCreate(key(), 'g', '$', { MKSTREAM: true }), 'OK');
    await assert.rejects(node.xGroupCreate(key(), 'g', '$'), /BUSYGROUP Consumer Group name already exists/);
    assert.equal(await node.xLen(key()), 0);
  });

  check('stream: xReadGroup splits the entries between consumers; xAck; xPending summary', async ({ node, key }) => {
    const ids = await produce(node, key(), 6);
    await node.xGroupCreate(key(), 'g', '0');
    const a = idsOf(await node.xReadGroup('g', 'a', { key: key(), id: '>' }, { COUNT: 4 }));
    const b = idsOf(await node.xReadGroup('g', 'b', { key: key(), id: '>' }, { COUNT: 4 }));
    assert.deepEqual([a, b], [ids.slice(0, 4), ids.slice(4)]);
    assert.equal(await node.xReadGroup('g', 'a', { key: key(), id: '>' }), null);
    assert.equal(await node.xAck(key(), 'g', [ids[0], ids[1], ids[4]]), 3);
    assert.deepEqual(await node.xPending(key(), 'g'), {
      pending: 3, firstId: ids[2], lastId: ids[5],
      consumers: [{ name: 'a', deliveriesCounter: 2 }, { name: 'b', deliveriesCounter: 1 }],
    });
  });

  check('stream: xPendingRange lists owner and delivery count; xClaim and xAutoClaim take over', async ({ node, key }) => {
    const ids = await produce(node, key(), 4);
    await node.xGroupCreate(key(), 'g', '0');
    await node.xReadGroup('g', 'dead', { key: key(), id: '>' });
    const rows = await node.xPendingRange(key(), 'g', '-', '+', 10);
    assert.deepEqual(rows.map((r) => [r.id, r.consumer, r.deliveriesCounter]), ids.map((id) => [id, 'dead', 1]));
    const claimed = await node.xClaim(key(), 'g', 'reaper', 0, ids[0]);
    assert.deepEqual(claimed, [{ id: ids[0], message: { job: 'j0', n: '0' } }]);
    const auto = await node.xAutoClaim(key(), 'g', 'reaper', 0, '0-0', { COUNT: 10 });
    assert.equal(auto.nextId, '0-0');
    assert.deepEqual(auto.messages.map((m) => m.id), ids);
    assert.deepEqual(auto.deletedMessages, []);
    const after = await node.xPendingRange(key(), 'g', '-', '+', 10, { consumer: 'reaper' });
    assert.deepEqual(after.map((r) => [r.id, r.deliveriesCounter]), [[ids[0], 3], [ids[1], 2], [ids[2], 2], [ids[3], 2]]);
  });

  check('stream: xRead BLOCK and xReadGroup BLOCK are woken by an xAdd from another client', async ({ node, key, nodeDup }) => {
    await node.xGroupCreate(key(), 'g', '$', { MKSTREAM: true });
    const [reader, worker] = await Promise.all([nodeDup(), nodeDup()]);
    const read = reader.xRead({ key: key(), id: '$' }, { BLOCK: 5000 });
    const grouped = worker.xReadGroup('g', 'w', { key: key(), id: '>' }, { BLOCK: 5000 });
    await blocked(node, 2);
    const id = await node.xAdd(key(), '*', { event: 'paid' });
    const expected = [{ name: key(), messages: [{ id, message: { event: 'paid' } }] }];
    assert.deepEqual(await read, expected);
    assert.deepEqual(await grouped, expected);
    assert.equal((await node.xPending(key(), 'g')).pending, 1);
  });

  check('stream: xTrim MAXLEN; xInfoGroups reports consumers, pending and last-delivered-id', async ({ node, key }) => {
    const ids = await produce(node, key(), 8);
    assert.equal(await node.xTrim(key(), 'MAXLEN', 5), 3);
    await node.xGroupCreate(key(), 'g', '0');
    await node.xReadGroup('g', 'c', { key: key(), id: '>' }, { COUNT: 2 });
    const [group] = await node.xInfoGroups(key());
    assert.deepEqual({ ...group }, { name: 'g', consumers: 1, pending: 2, 'last-delivered-id': ids[4], 'entries-read': 5, lag: 3 });
  });
}
