/**
 * The type checker's view of the facts: one CEL environment in which every activation root has
 * the object type the model declares (src/model/fact-declarations.ts). Expressions are checked
 * here at load and evaluated in the untyped environment of cel.ts: the facts stay plain maps at
 * run time (no conversion into typed objects, and a missing field is still "No such key", which
 * the engine explains as an unknown fact).
 */
import { Environment } from '@marcbachmann/cel-js';
import { FACT_OBJECTS, FACT_ROOTS, factObject, fieldsOf } from '../model/fact-declarations.ts';

let factEnvironment: Environment | undefined;

/** The environment with every fact type and root declared; frozen, so each rule scope clones it. */
function factTypes(): Environment {
  // Stryker disable next-line ConditionalExpression: the cache only saves time, a rebuilt environment declares the same.
  if (factEnvironment) return factEnvironment;
  const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
  const registered = new Set<string>();
  const register = (name: string) => {
    const object = factObject(name);
    if (!object || registered.has(name)) return;
    registered.add(name);
    const fields: Record<string, string> = {};
    for (const field of fieldsOf(object)) {
      // cel-js looks up a field's object type when the type holding it is registered (not a list's
      // or a map's element type, which every object gets anyway in the loop below).
      register(field.type);
      fields[field.name] = field.type;
    }
    env.registerType(name, { fields });
  };
  for (const object of FACT_OBJECTS) register(object.name);
  // A nullable fact is compared with null (`t.bucket != null`), which CEL allows only for declared overloads.
  const nullable = new Set(FACT_OBJECTS.flatMap((o) => o.fields.filter((x) => x.nullable).map((x) => x.type)));
  for (const type of nullable) env.registerOperator(`${type} == null`, checkedOnly);
  factEnvironment = env;
  return env;
}

/**
 * The implementation of an operator declared for the checker: never called, since expressions run
 * in cel.ts's untyped environment.
 */
// Stryker disable next-line all: never called (see above).
const checkedOnly = (a: unknown, b: unknown): boolean => a === b;

/**
 * A checking environment for one scope of a rule: the fact roots a rule of its resource type is
 * given, `params` with the CEL type of each parameter, and `variables` with the type each
 * variable's expression was checked to have.
 */
export function typedRuleEnvironment(resource: string, paramTypes: Record<string, string>, variableTypes: Record<string, string>): Environment {
  const env = factTypes().clone();
  for (const root of FACT_ROOTS) if (root.resources.includes(resource)) env.registerVariable(root.name, root.type);
  env.registerVariable({ name: 'params', schema: { ...paramTypes } });
  env.registerVariable({ name: 'variables', schema: { ...variableTypes } });
  return env;
}

/** The resource types whose rules can read `root`, or undefined when it is not a fact root (or not given). */
export function resourcesReading(root: string | undefined): string[] | undefined {
  return FACT_ROOTS.find((r) => r.name === root)?.resources;
}

/** Field names of a declared fact type, for "did you mean" suggestions. */
export function factFieldNames(typeName: string): string[] | undefined {
  const object = factObject(typeName);
  return object ? fieldsOf(object).map((f) => f.name) : undefined;
}
