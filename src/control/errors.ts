/** Bad input to the control plane: answered as `{ "message": ... }` with this status. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413,
    message: string,
  ) {
    super(message);
  }
}
