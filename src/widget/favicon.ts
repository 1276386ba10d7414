/**
 * The service's icon: a speech bubble. `/favicon.svg` for the demo page and the console,
 * `/favicon.ico` (the same picture as a 32×32 PNG inside an ICO) for browsers that ask for it
 * on their own — without it every page view logs a 404.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#1f5f8b"/>
<path d="M7 9.5A2.5 2.5 0 0 1 9.5 7h13A2.5 2.5 0 0 1 25 9.5v8a2.5 2.5 0 0 1-2.5 2.5H15l-5 4.5V20h-.5A2.5 2.5 0 0 1 7 17.5z" fill="#fff"/>
</svg>
`;

/** A 32×32 PNG of the same bubble, wrapped in an ICO header (one image). */
export function faviconIco(png: Buffer): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(32, 6); // width
  header.writeUInt8(32, 7); // height
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(6 + 16, 18); // offset of the image
  return Buffer.concat([header, png]);
}

/** `faviconIco`'s PNG (rendered from the SVG above), base64. */
export const FAVICON_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAv0lEQVR42mNgQALy8d3yQNwPxOeB+D+V8Xmo2fIM2ABQIh6I39PAYnQMsiMem+X/6YzjkYP9/QA44D04OqDx8n+AcD8DjRIc0QmTYQAtB2O8DvCsXfD/+PVH/8kFIL0gM8h2ACWWIzuCbAdQC4w6YNQBow4YdcDQLQkHvC7AFx3Fs7fRvjbE5QBqWU6yAz5+/f4/vH0F/doDyBhkOaH4pKkDaGE5SQ6gZZNswBulA94sH9iOyYB3zQZF53Qgu+cAfa+zAc2fc6gAAAAASUVORK5CYII=';
