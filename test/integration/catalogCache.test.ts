import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createRedis, type Redis } from '../../app/src/db/createRedis.ts';
import { createLogger } from '../../app/src/logger.ts';
import { CatalogCache } from '../../app/src/recommendations/catalogCache.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { RecordingMetrics } from '../support/recordingMetrics.ts';
import { requireEnv } from '../support/testDatabase.ts';

const item = (id: string) => ({ id, title: `title ${id}`, artist: 'A', tags: ['jazz'], popularity: 50 });

function cacheOn(redis: Redis) {
  const clock = new FakeClock();
  const metrics = new RecordingMetrics();
  const logLines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  const cache = new CatalogCache(redis, { ttlSeconds: 60, staleTtlSeconds: 3600, now: clock.now, logger, metrics });
  return { cache, clock, metrics, logLines };
}

describe('catalog cache in Redis', () => {
  const keyPrefix = `test:${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let downRedis: Redis;
  before(async () => {
    redis = createRedis(requireEnv('REDIS_URL'), keyPrefix);
    await redis.connect();
    // Port 9 (discard) is closed on the loopback interface.
    downRedis = createRedis('redis://127.0.0.1:9', 'test:');
    downRedis.connect().catch(() => {});
  });
  after(async () => {
    await redis.quit();
    downRedis.disconnect();
  });

  test('entries are fresh within the TTL, stale after it, and kept in Redis for the stale TTL', async () => {
    const { cache, clock, metrics } = cacheOn(redis);
    await cache.setItems([item('a'), item('b')]);
    await cache.setTop(new Map([['jazz', ['a', 'b']]]));
    assert.deepEqual(await cache.getItems(['a', 'zzz']), [{ state: 'fresh', value: item('a') }, { state: 'miss' }]);
    clock.advance(61_000);
    assert.deepEqual(await cache.getTop(['jazz']), [{ state: 'stale', value: ['a', 'b'] }]);
    const ttl = await redis.ttl('catalog:item:a');
    assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl}`);
    assert.deepEqual(metrics.events, ['cache item hit 1', 'cache item miss 1', 'cache top stale 1']);
  });

  test('an entry that does not read back as what was written is a miss, counted as one', async () => {
    const { cache, metrics } = cacheOn(redis);
    await cache.setItems([item('good')]);
    await redis.set('catalog:item:notjson', '{"value": ');
    await redis.set('catalog:item:noid', JSON.stringify({ value: { title: 't' }, fetchedAt: 1 }));
    await redis.set('catalog:top:notime', JSON.stringify({ value: ['a'] }));
    await redis.set('catalog:top:numbers', JSON.stringify({ value: [1, 2], fetchedAt: 1 }));
    assert.deepEqual(await cache.getItems(['good', 'notjson', 'noid']), [{ state: 'fresh', value: item('good') }, { state: 'miss' }, { state: 'miss' }]);
    assert.deepEqual(await cache.getTop(['notime', 'numbers']), [{ state: 'miss' }, { state: 'miss' }]);
    assert.deepEqual(metrics.events, ['cache item hit 1', 'cache item miss 2', 'cache top miss 2']);
  });

  test('a lookup of many keys is one MGET round-trip', async () => {
    const { cache } = cacheOn(redis);
    const ids = Array.from({ length: 200 }, (_, n) => `many${n}`);
    await cache.setItems(ids.map(item));
    const commands: string[] = [];
    const monitor = await redis.duplicate().monitor();
    // Other test files share this Redis: only commands on this file's keys count.
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => arg.startsWith(keyPrefix))) commands.push(String(args[0]).toLowerCase());
    });
    const found = await cache.getItems(ids);
    await new Promise((resolve) => setTimeout(resolve, 50));
    monitor.disconnect();
    assert.equal(found.filter((cached) => cached.state === 'fresh').length, 200);
    assert.deepEqual(commands, ['mget']);
  });

  test('while Redis is down every lookup is a miss counted as an error, writes are dropped, and it is logged once', async () => {
    const { cache, metrics, logLines } = cacheOn(downRedis);
    for (let request = 0; request < 3; request++) {
      assert.deepEqual(await cache.getItems(['a', 'b']), [{ state: 'miss' }, { state: 'miss' }]);
      await cache.setItems([item('a')]);
    }
    assert.deepEqual(metrics.events, ['cache item error 2', 'cache item error 2', 'cache item error 2']);
    assert.equal(logLines.length, 1);
    assert.match(logLines[0] ?? '', /recommendation cache unavailable/);
  });
});
