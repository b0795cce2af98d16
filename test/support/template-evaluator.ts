// Evaluates a synthesized template the way CloudFormation would for given parameter values:
// conditions, Fn::If and AWS::NoValue. Enough of the language for the hub parameters' switches.

/** A synthesized CloudFormation template, as `Template.toJSON()` returns it. */
export type TemplateJson = Record<string, any>;

const NO_VALUE = Symbol('AWS::NoValue');

/** The value of each parameter: the given one, else the template's default. */
function parameterValue(template: TemplateJson, values: Record<string, string>, name: string): string {
  if (name in values) return values[name];
  const parameter = template.Parameters?.[name];
  if (!parameter) throw new Error(`Ref to '${name}', which is no parameter of the template`);
  if (parameter.Default === undefined) throw new Error(`parameter '${name}' has no default and no value was given`);
  return String(parameter.Default);
}

function conditionValue(template: TemplateJson, values: Record<string, string>, expression: any): any {
  if (typeof expression === 'string') return expression;
  if (expression?.Ref !== undefined) return parameterValue(template, values, expression.Ref);
  throw new Error(`cannot evaluate ${JSON.stringify(expression)} in a condition`);
}

/** Evaluates a condition expression (or `{ Condition: name }`) to a boolean. */
export function evaluateCondition(template: TemplateJson, values: Record<string, string>, expression: any): boolean {
  if (typeof expression === 'string') return evaluateCondition(template, values, template.Conditions?.[expression] ?? missing(expression));
  const [fn] = Object.keys(expression);
  const args = expression[fn];
  switch (fn) {
    case 'Condition':
      return evaluateCondition(template, values, template.Conditions?.[args] ?? missing(args));
    case 'Fn::Equals':
      return conditionValue(template, values, args[0]) === conditionValue(template, values, args[1]);
    case 'Fn::Not':
      return !evaluateCondition(template, values, args[0]);
    case 'Fn::And':
      return args.every((a: any) => evaluateCondition(template, values, a));
    case 'Fn::Or':
      return args.some((a: any) => evaluateCondition(template, values, a));
    default:
      throw new Error(`unsupported condition function ${fn}`);
  }
}

function missing(name: string): never {
  throw new Error(`no condition named '${name}'`);
}

function effective(template: TemplateJson, values: Record<string, string>, value: any): any {
  if (Array.isArray(value)) {
    return value.map((v) => effective(template, values, v)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  if (value.Ref === 'AWS::NoValue') return NO_VALUE;
  if (typeof value.Ref === 'string' && template.Parameters?.[value.Ref]) return parameterValue(template, values, value.Ref);
  if ('Fn::If' in value) {
    const [condition, whenTrue, whenFalse] = value['Fn::If'];
    return effective(template, values, evaluateCondition(template, values, condition) ? whenTrue : whenFalse);
  }
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(value)) {
    const e = effective(template, values, v);
    if (e !== NO_VALUE) out[k] = e;
  }
  return out;
}

/**
 * The resources CloudFormation would create for these parameter values: resources whose
 * condition is false are gone, `Fn::If` is decided, `AWS::NoValue` removes what it stands in,
 * and a `Ref` to a parameter becomes its value.
 */
export function effectiveResources(template: TemplateJson, values: Record<string, string>): Record<string, any> {
  const resources: Record<string, any> = {};
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    if (resource.Condition && !evaluateCondition(template, values, resource.Condition)) continue;
    const { Condition: _condition, ...rest } = resource;
    resources[id] = effective(template, values, rest);
  }
  return resources;
}
