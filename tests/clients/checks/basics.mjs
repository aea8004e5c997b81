// ioredis: the connection handshake, SET's options and TTLs, error replies and INFO.
import { assert, between, rejects, waitFor } from '../lib/harness.mjs';

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

export default function register(check) {
  check('connection: HELLO reports the protocol in use; PING and ECHO answer', async ({ redis, protocol }) => {
    const hello = await redis.call('HELLO', String(protocol));
    const fields = Array.isArray(hello) ? hello : Object.entries(hello).flat();
    const at = fields.indexOf('proto');
    assert.ok(at >= 0, `HELLO reply has no proto field: ${JSON.stringify(hello)}`);
    assert.equal(Number(fields[at + 1]), protocol);
    assert.equal(await redis.ping(), 'PONG');
    assert.equal(await redis.ping('hi there'), 'hi there');
    assert.equal(await redis.echo('line1\r\nline2 ✓'), 'line1\r\nline2 ✓');
  });

  // ioredis maps RESP3 replies back to RESP2 shapes unless replyMapping is 'resp3'; with it, the
  // reply types the server chose (map, double, null, pairs) show through.
  check('connection: reply types: RESP3 maps, doubles and pairs; RESP2 flat arrays and strings', async ({ ioredis, key, protocol }) => {
    const c = await ioredis(protocol === 3 ? { replyMapping: 'resp3' } : {});
    await c.hset(key('h'), 'a', '1', 'b', '2');
    await c.zadd(key('z'), 1.5, 'm', 2, 'n');
    await c.xadd(key('x'), '1-1', 'f', 'v');
    const replies = await Promise.all([
      c.call('HGETALL', key('h')), c.call('ZSCORE', key('z'), 'm'), c.call('ZRANGE', key('z'), 0, -1, 'WITHSCORES'),
      c.call('ZMSCORE', key('z'), 'n', 'none'), c.call('XREAD', 'STREAMS', key('x'), '0'), c.call('GET', key('none')),
      c.call('HELLO', String(protocol)).then((h) => (protocol === 3 ? h.proto : h[h.indexOf('proto') + 1])),
    ]);
    const expected = protocol === 3
      ? [{ a: '1', b: '2' }, 1.5, [['m', 1.5], ['n', 2]], [2, null], { [key('x')]: [['1-1', ['f', 'v']]] }, null, 3]
      : [['a', '1', 'b', '2'], '1.5', ['m', '1.5', 'n', '2'], ['2', null], [[key('x'), [['1-1', ['f', 'v']]]]], null, 2];
    assert.deepEqual(replies, expected);
  });

  check('connection: connectionName is sent as CLIENT SETNAME; CLIENT GETNAME and LIST show it', async ({ ioredis }) => {
    const named = await ioredis({ connectionName: 'orders-worker-7' });
    assert.equal(await named.client('GETNAME'), 'orders-worker-7');
    assert.match(await named.client('LIST'), /\bname=orders-worker-7\b/);
    assert.equal(await named.call('SELECT', '0'), 'OK');
  });

  check('ttl: SET EX gives a TTL in seconds, SET PX a PTTL in milliseconds', async ({ redis, key }) => {
    assert.equal(await redis.set(key('ex'), 'v', 'EX', 100), 'OK');
    between(await redis.ttl(key('ex')), 99, 100, 'TTL after SET EX 100');
    assert.equal(await redis.set(key('px'), 'v', 'PX', 5000), 'OK');
    between(await redis.pttl(key('px')), 4000, 5000, 'PTTL after SET PX 5000');
    between(await redis.ttl(key('px')), 4, 5, 'TTL after SET PX 5000');
  });

  check('ttl: SET NX sets only an absent key, SET XX only a present one', async ({ redis, key }) => {
    assert.equal(await redis.set(key(), 'first', 'NX'), 'OK');
    assert.equal(await redis.set(key(), 'second', 'NX'), null);
    assert.equal(await redis.get(key()), 'first');
    assert.equal(await redis.set(key('absent'), 'x', 'XX'), null);
    assert.equal(await redis.exists(key('absent')), 0);
    assert.equal(await redis.set(key(), 'third', 'XX', 'EX', 50), 'OK');
    assert.equal(await redis.get(key()), 'third');
    between(await redis.ttl(key()), 49, 50, 'TTL after SET XX EX 50');
  });

  check('ttl: SET ... GET returns the old value (nil when absent); on a list it is WRONGTYPE', async ({ redis, key }) => {
    assert.equal(await redis.set(key(), 'one', 'GET'), null);
    assert.equal(await redis.set(key(), 'two', 'GET'), 'one');
    assert.equal(await redis.set(key(), 'three', 'NX', 'GET'), 'two');
    assert.equal(await redis.get(key()), 'two');
    await redis.rpush(key('list'), 'a');
    await rejects(redis.set(key('list'), 'x', 'GET'), /^WRONGTYPE /);
    assert.deepEqual(await redis.lrange(key('list'), 0, -1), ['a']);
  });

  check('ttl: SET KEEPTTL keeps the expiry, a plain SET clears it', async ({ redis, key }) => {
    await redis.set(key(), 'a', 'EX', 100);
    assert.equal(await redis.set(key(), 'b', 'KEEPTTL'), 'OK');
    between(await redis.ttl(key()), 99, 100, 'TTL after SET KEEPTTL');
    assert.equal(await redis.get(key()), 'b');
    await redis.set(key(), 'c');
    assert.equal(await redis.ttl(key()), -1);
  });

  check('ttl: EXPIRE/PEXPIRE answer 1 on a key and 0 on a missing one; TTL -2/-1; PERSIST', async ({ redis, key }) => {
    await redis.set(key(), 'v');
    assert.equal(await redis.ttl(key()), -1);
    assert.equal(await redis.ttl(key('missing')), -2);
    assert.equal(await redis.pttl(key('missing')), -2);
    assert.equal(await redis.expire(key(), 100), 1);
    assert.equal(await redis.expire(key('missing'), 100), 0);
    assert.equal(await redis.pexpire(key(), 90000), 1);
    between(await redis.pttl(key()), 89000, 90000, 'PTTL after PEXPIRE 90000');
    assert.equal(await redis.persist(key()), 1);
    assert.equal(await redis.persist(key()), 0);
    assert.equal(await redis.ttl(key()), -1);
  });

  check('ttl: EXPIRE NX/XX/GT/LT; SET EXAT and EXPIRETIME agree on the deadline', async ({ redis, key }) => {
    await redis.set(key(), 'v');
    assert.equal(await redis.call('EXPIRE', key(), 100, 'XX'), 0);
    assert.equal(await redis.call('EXPIRE', key(), 100, 'NX'), 1);
    assert.equal(await redis.call('EXPIRE', key(), 50, 'NX'), 0);
    assert.equal(await redis.call('EXPIRE', key(), 50, 'GT'), 0);
    assert.equal(await redis.call('EXPIRE', key(), 200, 'GT'), 1);
    assert.equal(await redis.call('EXPIRE', key(), 20, 'LT'), 1);
    between(await redis.ttl(key()), 19, 20, 'TTL after EXPIRE LT');
    await rejects(redis.call('EXPIRE', key(), 10, 'NX', 'XX'), /^ERR NX and XX, GT or LT options at the same time are not compatible$/);
    const at = Math.floor(Date.now() / 1000) + 500;
    assert.equal(await redis.set(key('at'), 'v', 'EXAT', at), 'OK');
    assert.equal(await redis.call('EXPIRETIME', key('at')), at);
    assert.equal(await redis.call('EXPIRETIME', key('none')), -2);
  });

  check('ttl: keys of every type vanish once their PTTL runs out', async ({ redis, key }) => {
    await redis.set(key('s'), 'v', 'PX', 150);
    await redis.hset(key('h'), 'f', 'v');
    await redis.rpush(key('l'), 'a');
    await redis.sadd(key('set'), 'm');
    await redis.zadd(key('z'), 1, 'm');
    await redis.xadd(key('x'), '*', 'f', 'v');
    for (const k of ['h', 'l', 'set', 'z', 'x']) assert.equal(await redis.pexpire(key(k), 150), 1);
    const all = ['s', 'h', 'l', 'set', 'z', 'x'].map((k) => key(k));
    assert.equal(await redis.exists(...all), 6);
    await waitFor('all six keys to expire', async () => (await redis.exists(...all)) === 0, 2000);
    assert.equal(await redis.get(key('s')), null);
    assert.equal(await redis.ttl(key('h')), -2);
    assert.equal(await redis.llen(key('l')), 0);
    assert.equal(await redis.type(key('z')), 'none');
  });

  check('ttl: EXPIRE with a zero or negative time deletes the key at once', async ({ redis, key }) => {
    await redis.set(key('a'), 'v');
    await redis.set(key('b'), 'v');
    assert.equal(await redis.expire(key('a'), 0), 1);
    assert.equal(await redis.pexpire(key('b'), -10), 1);
    assert.equal(await redis.exists(key('a'), key('b')), 0);
  });

  check('ttl: SETEX 0 and SET EX -5 are invalid expire times', async ({ redis, key }) => {
    await rejects(redis.setex(key(), 0, 'v'), /^ERR invalid expire time in '?setex'? command$/i);
    await rejects(redis.set(key(), 'v', 'EX', -5), /^ERR invalid expire time in '?set'? command$/i);
    assert.equal(await redis.exists(key()), 0);
  });

  check('error: a command on the wrong type is WRONGTYPE with Redis\'s text; the value is intact', async ({ redis, key }) => {
    await redis.set(key(), 'text');
    for (const attempt of [redis.lpush(key(), 'x'), redis.hget(key(), 'f'), redis.sadd(key(), 'm'),
      redis.zadd(key(), 1, 'm'), redis.xadd(key(), '*', 'f', 'v')]) {
      const err = await rejects(attempt, /^WRONGTYPE/);
      assert.equal(err.message, WRONGTYPE);
    }
    await redis.rpush(key('list'), 'a');
    assert.equal((await rejects(redis.get(key('list')), /^WRONGTYPE/)).message, WRONGTYPE);
    assert.equal(await redis.get(key()), 'text');
  });

  check('error: an unknown command is "ERR unknown command" naming it and its arguments', async ({ redis }) => {
    await rejects(redis.call('NOSUCHCMD', 'a', 'b'),
      /^ERR unknown command [`']NOSUCHCMD[`'], with args beginning with: [`']a[`'] [`']b[`'] ?$/i);
    await rejects(redis.call('NOSUCHCMD'), /^ERR unknown command [`']NOSUCHCMD[`'], with args beginning with: ?$/i);
  });

  check('error: wrong arity, a non-integer INCR and a non-float INCRBYFLOAT are reported', async ({ redis, key }) => {
    await rejects(redis.call('GET'), /^ERR wrong number of arguments for '?get'? command$/i);
    await rejects(redis.call('SET', key()), /^ERR wrong number of arguments for '?set'? command$/i);
    await redis.set(key(), 'abc');
    await rejects(redis.incr(key()), /^ERR value is not an integer or out of range$/);
    await rejects(redis.incrbyfloat(key(), 'x'), /^ERR value is not a valid float$/);
    await rejects(redis.set(key(), 'v', 'EX', 'soon'), /^ERR value is not an integer or out of range$/);
    await rejects(redis.set(key(), 'v', 'NX', 'XX'), /^ERR syntax error$/);
  });

  check('error: the connection stays usable after errors, also inside a pipeline', async ({ redis, key }) => {
    await redis.set(key(), 'text');
    const replies = await redis.pipeline().incr(key()).get(key()).call('NOSUCHCMD').set(key('n'), 5).incr(key('n')).exec();
    assert.match(replies[0][0].message, /^ERR value is not an integer/);
    assert.deepEqual(replies[1], [null, 'text']);
    assert.match(replies[2][0].message, /^ERR unknown command/);
    assert.deepEqual(replies.slice(3), [[null, 'OK'], [null, 6]]);
    assert.equal(await redis.ping(), 'PONG');
  });

  check('info: INFO has the Server, Clients, Memory, Stats and Keyspace sections with their fields', async ({ redis, key }) => {
    await redis.set(key(), 'v');
    const info = await redis.info();
    for (const section of ['Server', 'Clients', 'Memory', 'Stats', 'Keyspace']) {
      assert.match(info, new RegExp(`^# ${section}\\r?$`, 'm'), `no # ${section} section`);
    }
    assert.match(info, /^redis_version:\d+\.\d+\.\d+\r?$/m);
    assert.match(info, /^tcp_port:\d+\r?$/m);
    assert.match(info, /^uptime_in_seconds:\d+\r?$/m);
    assert.match(info, /^connected_clients:[1-9]\d*\r?$/m);
    assert.match(info, /^used_memory:\d+\r?$/m);
    assert.match(info, /^total_commands_processed:\d+\r?$/m);
    assert.match(info, /^db0:keys=[1-9]\d*,expires=\d+/m);
    assert.ok(info.includes('\r\n'), 'INFO lines end in CRLF');
  });

  check('info: INFO memory is only that section, with maxmemory and maxmemory_policy', async ({ redis }) => {
    const info = await redis.info('memory');
    assert.match(info, /^# Memory\r?$/m);
    assert.doesNotMatch(info, /^# Server/m);
    assert.match(info, /^used_memory:\d+\r?$/m);
    assert.match(info, /^maxmemory:\d+\r?$/m);
    assert.match(info, /^maxmemory_policy:[a-z-]+\r?$/m);
  });

  check('info: TYPE names every type; DBSIZE counts the keys of the selected database', async ({ ioredis, key, defer }) => {
    const db9 = await ioredis({ db: 9 });  // no other check writes to database 9
    const names = ['s', 'l', 'set', 'z', 'h', 'x'].map((k) => key(k));
    defer(() => db9.del(...names));
    const before = await db9.dbsize();
    await db9.set(names[0], 'v');
    await db9.rpush(names[1], 'a');
    await db9.sadd(names[2], 'm');
    await db9.zadd(names[3], 1, 'm');
    await db9.hset(names[4], 'f', 'v');
    await db9.xadd(names[5], '*', 'f', 'v');
    const types = await Promise.all([...names, key('none')].map((k) => db9.type(k)));
    assert.deepEqual(types, ['string', 'list', 'set', 'zset', 'hash', 'stream', 'none']);
    assert.equal(await db9.dbsize(), before + 6);
    assert.equal(await db9.del(...names), 6);
    assert.equal(await db9.dbsize(), before);
  });
}
