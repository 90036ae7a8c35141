// /_inspector2/faults: list, add, remove and clear fault rules; read what was injected.
import { Hono } from 'hono';
import { FaultRuleError, parseFaultRules, type FaultInjector } from '../faults.js';
import { ControlError } from './errors.js';
import { jsonBody } from './json.js';

export function faultRoutes(faults: FaultInjector): Hono {
  const routes = new Hono();
  routes.get('/_inspector2/faults', (c) => c.json({ rules: faults.list() }));
  routes.get('/_inspector2/faults/injected', (c) => c.json(faults.report()));
  routes.post('/_inspector2/faults', async (c) => {
    const body = await jsonBody(c);
    // One rule, or several as { "rules": [...] }: checked whole (each rule, ids, the cap) before any applies.
    const many = Array.isArray(body.rules);
    try {
      const rules = faults.addAll(parseFaultRules(many ? body.rules : [body], many ? 'rules' : 'rule'));
      return c.json(many ? { rules } : rules[0], 201);
    } catch (error) {
      if (error instanceof FaultRuleError) throw new ControlError(400, error.message.replace(/\brule\.0\./g, ''));
      throw error;
    }
  });
  routes.delete('/_inspector2/faults', (c) => {
    faults.clear();
    return c.json({ rules: [] });
  });
  routes.delete('/_inspector2/faults/:id', (c) => {
    if (!faults.remove(c.req.param('id'))) throw new ControlError(404, `There is no fault rule '${c.req.param('id')}'.`);
    return c.json({ removed: c.req.param('id') });
  });
  return routes;
}
