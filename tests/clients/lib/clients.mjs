// Connections through both client libraries, in a chosen protocol (2 or 3), and the context a
// check receives: the shared connections, extra connections closed after the check, and key
// names under the run's random prefix.
import { Redis } from 'ioredis';
import { createClient } from 'redis';

// No reconnects and no retries: a dropped connection or a server that went away must surface as
// a failed check, not be papered over by the client.
export async function openIoredis({ host, port, protocol, ...extra }) {
  const client = new Redis({
    host, port, protocol, lazyConnect: true, retryStrategy: () => null,
    maxRetriesPerRequest: 0, enableOfflineQueue: false, ...extra,
  });
  client.on('error', () => {});  // surfaced through the commands' promises instead
  await client.connect();
  return client;
}

export async function openNodeRedis({ host, port, protocol }) {
  const client = createClient({ socket: { host, port, reconnectStrategy: false, connectTimeout: 3000 }, RESP: protocol });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export function closeIoredis(client) {
  if (client && client.status !== 'end') client.disconnect();
}

export function closeNodeRedis(client) {
  if (client?.isOpen) client.destroy();
}

// The connections one protocol's checks share. reset() replaces them, e.g. after a check timed
// out while a reply was still pending on one of them.
export class Shared {
  constructor(target) {
    this.target = target;
    this.redis = null;
    this.node = null;
  }

  async open() {
    this.redis = await openIoredis(this.target);
    this.node = await openNodeRedis(this.target);
  }

  close() {
    closeIoredis(this.redis);
    closeNodeRedis(this.node);
    this.redis = this.node = null;
  }

  async reset() {
    this.close();
    await this.open();
  }
}

// What a check function receives. `key('x')` is unique to the check; `ioredis(options)` opens
// an extra connection and `dup()`/`nodeDup()` duplicate the shared ones (as applications do for
// subscribers and blocking reads); all of them are closed once the check ends.
export function checkContext(shared, prefix, serial, defer) {
  const { target } = shared;
  const base = `${prefix}${serial}:`;
  return {
    protocol: target.protocol,
    redis: shared.redis,
    node: shared.node,
    defer,
    key: (name = 'k') => base + name,
    async ioredis(extra = {}) {
      const client = await openIoredis({ ...target, ...extra });
      defer(() => closeIoredis(client));
      return client;
    },
    async dup() {
      const client = shared.redis.duplicate({ lazyConnect: true });
      client.on('error', () => {});
      defer(() => closeIoredis(client));
      await client.connect();
      return client;
    },
    async nodeDup() {
      const client = shared.node.duplicate();
      client.on('error', () => {});
      defer(() => closeNodeRedis(client));
      await client.connect();
      return client;
    },
  };
}

// Every key matching `pattern`, through a full SCAN iteration; Buffers with `{ buffers: true }`
// (keys need not be UTF-8).
export async function scanKeys(redis, pattern, extra = [], { buffers = false } = {}) {
  const found = [];
  let cursor = '0';
  do {
    const args = [cursor, 'MATCH', pattern, 'COUNT', 200, ...extra];
    const [next, keys] = buffers ? await redis.scanBuffer(...args) : await redis.scan(...args);
    cursor = next.toString();
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

// Deletes every key under `prefix`; returns how many there were.
export async function deleteKeys(redis, prefix) {
  const keys = await scanKeys(redis, `${prefix}*`, [], { buffers: true });
  let removed = 0;
  for (let i = 0; i < keys.length; i += 500) removed += await redis.del(...keys.slice(i, i + 500));
  return removed;
}
