import { readFileSync } from 'node:fs';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

/** docker-compose.yml (issue 15): fails early without a key; one image for both roles. */
describe('docker-compose.yml', () => {
  it('requires SECRET_KEY (`${SECRET_KEY:?…}`: compose stops with the message)', () => {
    expect(compose).toMatch(/^\s+SECRET_KEY: \$\{SECRET_KEY:\?[^}]+\}$/m);
    expect(compose).not.toMatch(/SECRET_KEY:-/);
  });

  it('runs api and worker from one shared image', () => {
    const anchor = compose.slice(
      compose.indexOf('x-service: &service'),
      compose.indexOf('services:'),
    );
    expect(anchor).toMatch(/^\s+image: \S+$/m);
    expect(anchor).toMatch(/^\s+build: \.$/m);
    for (const role of ['api', 'worker']) {
      const block = compose.slice(compose.indexOf(`\n  ${role}:`)).split('\n\n')[0];
      expect(block).toContain('<<: *service');
      expect(block).not.toMatch(/^\s+(image|build):/m);
    }
  });
});
