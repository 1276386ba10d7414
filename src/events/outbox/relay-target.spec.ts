import { RelayTargetRegistry, type RelayTarget } from './relay-target.js';

const target = (name: string, order?: number): RelayTarget => ({
  name,
  order,
  relay: () => Promise.resolve(),
});

describe('RelayTargetRegistry', () => {
  it('lists targets by order (default 100), each once', () => {
    const registry = new RelayTargetRegistry();
    const cache = target('thread-cache');
    registry.register(cache);
    registry.register(target('live', 30));
    registry.register(target('stream', 10));
    registry.register(cache);
    registry.register(target('webhooks', 20));
    expect(registry.list().map((t) => t.name)).toEqual([
      'stream',
      'webhooks',
      'live',
      'thread-cache',
    ]);
  });
});
