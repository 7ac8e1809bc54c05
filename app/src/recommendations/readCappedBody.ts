/**
 * A response body as text, or undefined as soon as it passes `maxBytes`: the stream is then cancelled, so an
 * oversized (or endless) body costs at most `maxBytes` of memory and is not downloaded to its end.
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
