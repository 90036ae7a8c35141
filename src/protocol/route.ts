// Routing: HTTP method + URI path → operation and its path labels. restJson1 routes by
// nothing else (there is no target header), so the table comes straight from the model.
import type { OperationSpec, ServiceModel } from './model.js';

export interface RouteMatch {
  operation: OperationSpec;
  /** Label values, percent-decoded once (a label such as `{resourceArn}` arrives fully encoded). */
  labels: Record<string, string>;
}

interface Route {
  operation: OperationSpec;
  /** Literal segments as strings, labels as `{ label }`. */
  segments: (string | { label: string })[];
}

export class Router {
  private readonly routes: Route[];

  constructor(model: ServiceModel) {
    this.routes = [...model.operations.values()].map((operation) => ({
      operation,
      segments: splitPath(operation.uri).map((s) => (s.startsWith('{') && s.endsWith('}') ? { label: s.slice(1, -1) } : s)),
    }));
  }

  /** The operation for a method and raw (still percent-encoded) path; undefined when none matches. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const segments = splitPath(rawPath);
    for (const route of this.routes) {
      if (route.operation.method !== method || route.segments.length !== segments.length) continue;
      const labels: Record<string, string> = Object.create(null) as Record<string, string>;
      const matches = route.segments.every((expected, i) => {
        const actual = segments[i]!;
        if (typeof expected === 'string') return expected === actual;
        const decoded = decodeOnce(actual);
        if (decoded === undefined || decoded === '') return false;
        labels[expected.label] = decoded;
        return true;
      });
      if (matches) return { operation: route.operation, labels };
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function decodeOnce(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
