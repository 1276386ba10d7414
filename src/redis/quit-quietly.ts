import type { Redis } from 'ioredis';

/** Closes a connection politely (QUIT), or drops it when Redis does not answer. */
export async function quitQuietly(client: Redis | null): Promise<void> {
  if (!client) return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
