// Why the world refuses a change, in its own terms. The API layer maps each kind to the
// modeled AWS error; the world knows nothing of HTTP or error shapes.
export type WorldErrorKind = 'AccessDenied' | 'NotFound' | 'Conflict' | 'Invalid' | 'QuotaExceeded';

export class WorldError extends Error {
  constructor(
    readonly kind: WorldErrorKind,
    message: string,
    /** The resource concerned, for conflicts and quotas. */
    readonly resource?: { id: string; type: string },
  ) {
    super(message);
    this.name = 'WorldError';
  }
}
