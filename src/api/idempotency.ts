// Client tokens: a request repeated with the same clientToken (an SDK retry, say) gets the
// first answer again and changes nothing; the same token with other parameters is refused.
import { modeledError } from './errors.js';

const MAX_REMEMBERED = 10_000;

export class ClientTokens {
  private readonly answers = new Map<string, { fingerprint: string; output: unknown }>();

  async once<T>(scope: string, clientToken: string | undefined, input: object, run: () => T | Promise<T>): Promise<T> {
    if (clientToken === undefined) return run();
    const key = `${scope}/${clientToken}`;
    const { clientToken: _token, ...parameters } = input as { clientToken?: string };
    const fingerprint = JSON.stringify(parameters);
    const previous = this.answers.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw modeledError('ValidationException', {
          message: `The clientToken ${clientToken} was already used with other parameters.`,
          reason: 'FIELD_VALIDATION_FAILED',
          fields: [{ name: 'clientToken', message: 'Member must not be reused with different parameters' }],
        });
      }
      return previous.output as T;
    }
    const output = await run();
    this.answers.set(key, { fingerprint, output: structuredClone(output) });
    if (this.answers.size > MAX_REMEMBERED) this.answers.delete(this.answers.keys().next().value!);
    return output;
  }
}
