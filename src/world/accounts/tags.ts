// Tags of Inspector's own resources (filters, CIS scan configurations, code security
// integrations and scan configurations), by the resource's ARN, whose account owns them.
import { z } from 'zod';
import { declareState } from '../platform/state.js';

declare module '../platform/state.js' {
  interface GlobalState {
    tags: Map<string, Record<string, string>>;
  }
}

declareState('global', 'tags', {
  empty: () => new Map(),
  schema: z.map(z.string().min(1).max(2048), z.record(z.string().min(1).max(128), z.string().max(256))),
  forgetAccount: (tags, accountId) => {
    for (const arn of tags.keys()) if (arn.split(':')[4] === accountId) tags.delete(arn);
  },
});
