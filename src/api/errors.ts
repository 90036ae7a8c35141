// The world's refusals as the modeled AWS errors, typed by the generated shapes.
import { AwsError } from '../protocol/errors.js';
import { serviceModel } from '../protocol/model.js';
import { WorldError } from '../world/platform/errors.js';
import type { Shapes } from './types.js';

type ErrorShapeName =
  | 'AccessDeniedException'
  | 'BadRequestException'
  | 'ConflictException'
  | 'InternalServerException'
  | 'ResourceNotFoundException'
  | 'ServiceQuotaExceededException'
  | 'ThrottlingException'
  | 'ValidationException';

/** A modeled error: its members typed by the model, its HTTP status taken from it. */
export function modeledError<N extends ErrorShapeName>(name: N, members: Shapes[N]): AwsError {
  const { message, ...rest } = members as { message: string } & Record<string, unknown>;
  return new AwsError(name, serviceModel().errorStatus(name)!, message, rest);
}

/** The modeled error for a refusal of the world; undefined for anything else (a bug: answered as a 500). */
export function awsErrorFor(error: unknown): AwsError | undefined {
  if (!(error instanceof WorldError)) return undefined;
  const { message, resource } = error;
  switch (error.kind) {
    case 'AccessDenied':
      return modeledError('AccessDeniedException', { message });
    case 'NotFound':
      return modeledError('ResourceNotFoundException', { message });
    case 'Conflict':
      return modeledError('ConflictException', { message, resourceId: resource?.id ?? '', resourceType: resource?.type ?? '' });
    case 'QuotaExceeded':
      return modeledError('ServiceQuotaExceededException', { message, resourceId: resource?.id ?? '' });
    case 'Invalid':
      return modeledError('ValidationException', { message, reason: 'OTHER' });
  }
}
