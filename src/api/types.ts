// The API's types, all from the types that openapi-typescript generates from the model:
// an operation's input is the model's `<Operation>Request` shape, its output `<Operation>Response`.
import type { components, operations } from '../../openapi/inspector2.js';
import type { CallContext } from '../protocol/service.js';

export type Shapes = components['schemas'];
type OperationName = Extract<keyof operations, string>;
type ShapeNamed<N extends string> = N extends keyof Shapes ? Shapes[N] : never;
type Input<Op extends OperationName> = ShapeNamed<`${Op}Request`>;
type Output<Op extends OperationName> = ShapeNamed<`${Op}Response`>;

type Handler<Op extends OperationName> = (input: Input<Op>, context: CallContext) => Output<Op> | Promise<Output<Op>>;
export type Handlers = { [Op in OperationName]?: Handler<Op> };
