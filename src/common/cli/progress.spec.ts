import { progress } from './progress.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, chunks };
}

describe('CLI progress', () => {
  it('prints a line at most every 2 s off a terminal, and always the last one', () => {
    let t = 0;
    const { stream, chunks } = fakeStream(false);
    const p = progress('Re-encrypting', stream, () => t);
    p.update(100, 1000);
    t = 500;
    p.update(200, 1000); // too soon: skipped
    t = 2600;
    p.update(300, 1000);
    t = 2700;
    p.update(1000, 1000);
    p.done();
    expect(chunks).toEqual([
      'Re-encrypting: 100/1000 (10 %) · 0.0 s\n',
      'Re-encrypting: 300/1000 (30 %) · 2.6 s\n',
      'Re-encrypting: 1000/1000 (100 %) · 2.7 s\n',
      'Re-encrypting: done in 2.7 s\n',
    ]);
  });

  it('redraws one line on a terminal', () => {
    const { stream, chunks } = fakeStream(true);
    const p = progress('Training', stream, () => 0);
    p.update(1, 3);
    p.update(2, 3);
    p.done('wrote the model');
    expect(chunks.join('')).toBe(
      '\r\x1b[2KTraining: 1/3 (33 %) · 0.0 s\r\x1b[2KTraining: 2/3 (66 %) · 0.0 s\nTraining: wrote the model in 0.0 s\n',
    );
  });
});
