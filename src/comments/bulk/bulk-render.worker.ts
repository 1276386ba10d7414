// The render worker of bulk imports (see bulk-render.ts): the same renderer and crypto
// service as intake, on a thread of its own. Nothing it handles leaves the process.
import { parentPort, workerData } from 'node:worker_threads';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import type { AppConfig } from '../../config/app.config.js';
import { BulkRenderer, type RenderInput } from './bulk-render.js';

const { secrets } = workerData as { secrets: AppConfig['secrets'] };
const revive = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const renderer = new BulkRenderer(
  new CryptoService({
    secrets: {
      ...secrets,
      current: revive(secrets.current),
      previous: secrets.previous.map(revive),
    },
  } as AppConfig),
);

parentPort?.on('message', ({ seq, inputs }: { seq: number; inputs: RenderInput[] }) => {
  try {
    parentPort?.postMessage({ seq, out: inputs.map((i) => renderer.render(i)) });
  } catch (error) {
    parentPort?.postMessage({ seq, error: (error as Error).message });
  }
});
