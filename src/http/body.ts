// Request bodies read with a limit, counted while they stream in: a declared Content-Length
// over the limit is refused before anything is read, and a chunked body (no length) is cut
// as soon as its bytes pass the limit, so that an endless or huge upload never sits in
// memory. Generic HTTP: every route that reads a body (the AWS endpoints, the control
// plane) reads it here and answers its own protocol's error.

/** The body passed the limit (declared or counted). */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than the limit of ${limit} bytes.`);
  }
}

/**
 * The whole body of a request, at most `limit` bytes (an empty array when there is none).
 * Over the limit it stops reading and throws BodyTooLargeError; the rest of the upload is
 * left unread (the server drains or closes the connection once the answer is sent), so the
 * client still gets the error answer.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > limit) throw new BodyTooLargeError(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new BodyTooLargeError(limit);
      chunks.push(value);
    }
  } finally {
    // Not cancel(): on a Node server that would reset the connection before the answer is written.
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The body as UTF-8 text (a byte order mark dropped, as Request.text() does), at most `limit` bytes. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBody(request, limit));
}
