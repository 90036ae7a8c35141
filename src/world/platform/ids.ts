// Ids the world makes up: derived by hashing what they name, never random, so that the
// same seed and calls give the same ids.
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 32 hex digits as a UUID (8-4-4-4-12). */
export function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A new UUID from what it names and a counter of the ids made so far (kept in the state, so ids survive a restart). */
export function nextId(counter: { sequence: number }, ...parts: string[]): string {
  return uuidFrom(sha256([...parts, String(counter.sequence++)].join('|')));
}
