// ioredis: strings, hashes, sets and sorted sets, the way profile, counter, follower and
// leaderboard code uses them.
import { assert, rejects } from '../lib/harness.mjs';

export default function register(check) {
  check('string: MSET/MGET, INCRBY/DECRBY/INCRBYFLOAT, APPEND, STRLEN, GETRANGE, SETRANGE', async ({ redis, key }) => {
    assert.equal(await redis.mset(key('a'), '1', key('b'), 'two'), 'OK');
    assert.deepEqual(await redis.mget(key('a'), key('missing'), key('b')), ['1', null, 'two']);
    assert.equal(await redis.incrby(key('a'), 41), 42);
    assert.equal(await redis.decrby(key('a'), 2), 40);
    assert.equal(await redis.decr(key('a')), 39);
    assert.equal(await redis.incrbyfloat(key('f'), '2.5'), '2.5');
    assert.equal(await redis.incrbyfloat(key('f'), '0.1'), '2.6');
    assert.equal(await redis.append(key('b'), '-three'), 9);
    assert.equal(await redis.strlen(key('b')), 9);
    assert.equal(await redis.getrange(key('b'), 0, 2), 'two');
    assert.equal(await redis.getrange(key('b'), -5, -1), 'three');
    assert.equal(await redis.setrange(key('b'), 4, 'THREE'), 9);
    assert.equal(await redis.get(key('b')), 'two-THREE');
    assert.equal(await redis.msetnx(key('a'), 'x', key('new'), 'y'), 0);
    assert.equal(await redis.exists(key('new')), 0);
  });

  check('string: binary-safe values (CRLF, NUL, all 256 byte values, 1 MB) round-trip', async ({ redis, key }) => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const tricky = Buffer.concat([Buffer.from('a\r\nb\0c$3\r\n*1\r\n'), bytes]);
    await redis.set(key('bin'), tricky);
    assert.ok((await redis.getBuffer(key('bin'))).equals(tricky));
    const big = Buffer.alloc(1 << 20, 'q');
    big.write('start', 0);
    big.write('end', big.length - 3);
    await redis.set(key('big'), big);
    assert.equal(await redis.strlen(key('big')), 1 << 20);
    assert.ok((await redis.getBuffer(key('big'))).equals(big));
    await redis.set(Buffer.concat([Buffer.from(key('k')), bytes]), 'binary key');
    assert.equal(await redis.get(Buffer.concat([Buffer.from(key('k')), bytes])), 'binary key');
  });

  check('hash: HSET counts new fields; HGET, HMGET, HGETALL, HKEYS/HVALS read them', async ({ redis, key }) => {
    assert.equal(await redis.hset(key(), { name: 'Ada', email: 'ada@example.com', visits: '0' }), 3);
    assert.equal(await redis.hset(key(), 'name', 'Ada L.', 'plan', 'pro'), 1);
    assert.equal(await redis.hget(key(), 'name'), 'Ada L.');
    assert.deepEqual(await redis.hmget(key(), 'email', 'nope', 'plan'), ['ada@example.com', null, 'pro']);
    assert.deepEqual({ ...(await redis.hgetall(key())) }, { name: 'Ada L.', email: 'ada@example.com', visits: '0', plan: 'pro' });
    assert.deepEqual((await redis.hkeys(key())).sort(), ['email', 'name', 'plan', 'visits']);
    assert.deepEqual((await redis.hvals(key())).sort(), ['0', 'Ada L.', 'ada@example.com', 'pro']);
    assert.deepEqual({ ...(await redis.hgetall(key('missing'))) }, {});
    assert.equal(await redis.hget(key('missing'), 'f'), null);
  });

  check('hash: HINCRBY/HINCRBYFLOAT on existing and missing fields; HSETNX; errors', async ({ redis, key }) => {
    await redis.hset(key(), 'visits', '10', 'name', 'x');
    assert.equal(await redis.hincrby(key(), 'visits', 5), 15);
    assert.equal(await redis.hincrby(key(), 'fresh', -3), -3);
    assert.equal(await redis.hincrbyfloat(key(), 'balance', '10.25'), '10.25');
    assert.equal(await redis.hincrbyfloat(key(), 'balance', '-0.25'), '10');
    assert.equal(await redis.hsetnx(key(), 'visits', '0'), 0);
    assert.equal(await redis.hsetnx(key(), 'created', 'now'), 1);
    await rejects(redis.hincrby(key(), 'name', 1), /^ERR hash value is not an integer$/);
    assert.equal(await redis.hget(key(), 'visits'), '15');
  });

  check('hash: HDEL, HEXISTS, HLEN, HSTRLEN; deleting the last field deletes the key', async ({ redis, key }) => {
    await redis.hset(key(), 'a', '1', 'b', '22', 'c', '333');
    assert.equal(await redis.hdel(key(), 'a', 'nope'), 1);
    assert.equal(await redis.hexists(key(), 'a'), 0);
    assert.equal(await redis.hexists(key(), 'b'), 1);
    assert.equal(await redis.hlen(key()), 2);
    assert.equal(await redis.hstrlen(key(), 'c'), 3);
    assert.equal(await redis.hdel(key(), 'b', 'c'), 2);
    assert.equal(await redis.exists(key()), 0);
    assert.equal(await redis.hlen(key()), 0);
  });

  check('set: SADD counts only new members; SISMEMBER, SMISMEMBER, SCARD, SMEMBERS', async ({ redis, key }) => {
    assert.equal(await redis.sadd(key(), 'alice', 'bob', 'carol'), 3);
    assert.equal(await redis.sadd(key(), 'bob', 'dave', 'dave'), 1);
    assert.equal(await redis.sismember(key(), 'bob'), 1);
    assert.equal(await redis.sismember(key(), 'zed'), 0);
    assert.deepEqual(await redis.smismember(key(), 'alice', 'zed', 'dave'), [1, 0, 1]);
    assert.equal(await redis.scard(key()), 4);
    assert.deepEqual((await redis.smembers(key())).sort(), ['alice', 'bob', 'carol', 'dave']);
    assert.deepEqual(await redis.smembers(key('missing')), []);
  });

  check('set: SREM; SINTER/SUNION/SDIFF and SINTERSTORE find mutual follows', async ({ redis, key }) => {
    await redis.sadd(key('follows:ann'), 'bob', 'cy', 'dee', 'eve');
    await redis.sadd(key('follows:bob'), 'ann', 'cy', 'eve', 'fay');
    assert.equal(await redis.srem(key('follows:ann'), 'eve', 'nobody'), 1);
    assert.deepEqual((await redis.sinter(key('follows:ann'), key('follows:bob'))).sort(), ['cy']);
    assert.deepEqual((await redis.sunion(key('follows:ann'), key('follows:bob'))).sort(), ['ann', 'bob', 'cy', 'dee', 'eve', 'fay']);
    assert.deepEqual((await redis.sdiff(key('follows:ann'), key('follows:bob'))).sort(), ['bob', 'dee']);
    assert.equal(await redis.sinterstore(key('mutual'), key('follows:ann'), key('follows:bob')), 1);
    assert.deepEqual(await redis.smembers(key('mutual')), ['cy']);
    const popped = await redis.spop(key('follows:bob'));
    assert.ok(['ann', 'cy', 'eve', 'fay'].includes(popped));
    assert.equal(await redis.scard(key('follows:bob')), 3);
  });

  check('zset: ZADD + ZREVRANGE WITHSCORES ranks a leaderboard, highest first', async ({ redis, key }) => {
    assert.equal(await redis.zadd(key(), 100, 'ann', 250, 'bob', 175, 'cy', 50, 'dee'), 4);
    assert.deepEqual(await redis.zrevrange(key(), 0, 2, 'WITHSCORES'), ['bob', '250', 'cy', '175', 'ann', '100']);
    assert.deepEqual(await redis.zrange(key(), 0, -1), ['dee', 'ann', 'cy', 'bob']);
    assert.equal(await redis.zcard(key()), 4);
    assert.equal(await redis.zcount(key(), 100, 200), 2);
  });

  check('zset: ZINCRBY returns the new score and reorders; ZADD NX/XX/GT/CH', async ({ redis, key }) => {
    await redis.zadd(key(), 10, 'a', 20, 'b');
    assert.equal(await redis.zincrby(key(), 15, 'a'), '25');
    assert.deepEqual(await redis.zrevrange(key(), 0, -1), ['a', 'b']);
    assert.equal(await redis.zadd(key(), 'NX', 99, 'a', 5, 'c'), 1);
    assert.equal(await redis.zscore(key(), 'a'), '25');
    assert.equal(await redis.zadd(key(), 'XX', 'CH', 30, 'b', 7, 'nobody'), 1);
    assert.equal(await redis.zadd(key(), 'GT', 'CH', 1, 'b', 40, 'c'), 1);
    assert.deepEqual(await redis.zrange(key(), 0, -1, 'WITHSCORES'), ['a', '25', 'b', '30', 'c', '40']);
  });

  check('zset: ZRANK, ZREVRANK, ZSCORE, ZMSCORE; nil for absent members', async ({ redis, key }) => {
    await redis.zadd(key(), 1, 'one', 2, 'two', 3, 'three');
    assert.equal(await redis.zrank(key(), 'one'), 0);
    assert.equal(await redis.zrevrank(key(), 'one'), 2);
    assert.equal(await redis.zrank(key(), 'none'), null);
    assert.equal(await redis.zscore(key(), 'three'), '3');
    assert.equal(await redis.zscore(key(), 'none'), null);
    assert.deepEqual(await redis.zmscore(key(), 'two', 'none'), ['2', null]);
  });

  check('zset: ZRANGEBYSCORE with LIMIT pages a timeline; exclusive and infinite bounds', async ({ redis, key }) => {
    const args = [];
    for (let i = 1; i <= 20; i++) args.push(1_700_000_000 + i * 60, `post:${i}`);
    await redis.zadd(key(), ...args);
    const page = (offset) => redis.zrangebyscore(key(), 1_700_000_000, '+inf', 'LIMIT', offset, 5);
    assert.deepEqual(await page(0), ['post:1', 'post:2', 'post:3', 'post:4', 'post:5']);
    assert.deepEqual(await page(15), ['post:16', 'post:17', 'post:18', 'post:19', 'post:20']);
    assert.deepEqual(await redis.zrevrangebyscore(key(), '+inf', `(${1_700_000_000 + 18 * 60}`), ['post:20', 'post:19']);
    assert.equal(await redis.zremrangebyscore(key(), '-inf', 1_700_000_000 + 10 * 60), 10);
    assert.equal(await redis.zcard(key()), 10);
  });

  check('zset: equal scores order by member; float and negative scores; ZREM; ZPOPMIN', async ({ redis, key }) => {
    await redis.zadd(key(), 1, 'c', 1, 'a', 1, 'b', -2.5, 'neg', 0.125, 'frac');
    assert.deepEqual(await redis.zrange(key(), 0, -1, 'WITHSCORES'), ['neg', '-2.5', 'frac', '0.125', 'a', '1', 'b', '1', 'c', '1']);
    assert.equal(await redis.zrem(key(), 'b', 'nobody'), 1);
    assert.deepEqual(await redis.zpopmin(key()), ['neg', '-2.5']);
    assert.deepEqual(await redis.zrangebylex(key('lex'), '-', '+'), []);
    assert.equal(await redis.zcard(key()), 3);
  });
}
