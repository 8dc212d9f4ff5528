/**
 * An offline check of a CloudFormation template (no cfn-lint, no network): the sections, the
 * parameters' defaults against their constraints, the resource types, their required and known
 * properties (cfn-spec.ts), and that every Ref, GetAtt, ${} in a Sub and DependsOn names a
 * parameter, a resource, a pseudo-parameter or (GetAtt) an attribute the resource type has.
 * Returns one message per problem, each with its path in the template.
 */
import { INTRINSIC_KEYS, type Template } from './cfn-yaml.ts';
import { NESTED_SPECS, PARAMETER_TYPES, PSEUDO_PARAMETERS, RESOURCE_KEYS, RESOURCE_SPECS, TEMPLATE_SECTIONS } from './cfn-spec.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkTemplate(template: Template): string[] {
  const problems: string[] = [];
  const parameters = isObject(template.Parameters) ? template.Parameters : {};
  const resources = isObject(template.Resources) ? template.Resources : {};

  for (const section of Object.keys(template)) if (!TEMPLATE_SECTIONS.has(section)) problems.push(`/${section}: not a template section`);
  if (template.AWSTemplateFormatVersion !== undefined && template.AWSTemplateFormatVersion !== '2010-09-09') {
    problems.push(`/AWSTemplateFormatVersion: must be "2010-09-09"`);
  }
  if (Object.keys(resources).length === 0) problems.push('/Resources: a template needs at least one resource');

  for (const [name, parameter] of Object.entries(parameters)) problems.push(...checkParameter(`/Parameters/${name}`, parameter));
  for (const [name, resource] of Object.entries(resources)) problems.push(...checkResource(`/Resources/${name}`, resource, resources));

  const names = { parameters: new Set(Object.keys(parameters)), resources };
  for (const section of ['Resources', 'Outputs', 'Conditions'] as const) {
    if (template[section] !== undefined) walkReferences(template[section], `/${section}`, names, problems);
  }
  return problems;
}

function checkParameter(path: string, parameter: unknown): string[] {
  if (!isObject(parameter)) return [`${path}: a parameter is a mapping`];
  const problems: string[] = [];
  const type = parameter.Type;
  if (typeof type !== 'string' || !PARAMETER_TYPES.has(type)) problems.push(`${path}/Type: unknown parameter type ${JSON.stringify(type)}`);
  const value = parameter.Default;
  if (value === undefined) return problems;
  const text = String(value);
  const allowed = parameter.AllowedValues;
  if (Array.isArray(allowed) && !allowed.map(String).includes(text)) problems.push(`${path}/Default: ${text} is not one of AllowedValues`);
  if (typeof parameter.AllowedPattern === 'string' && !new RegExp(parameter.AllowedPattern).test(text)) {
    problems.push(`${path}/Default: ${text} does not match AllowedPattern`);
  }
  if (type === 'Number') {
    const n = Number(text);
    if (!Number.isFinite(n)) problems.push(`${path}/Default: ${text} is not a number`);
    if (typeof parameter.MinValue === 'number' && n < parameter.MinValue) problems.push(`${path}/Default: ${text} is below MinValue`);
    if (typeof parameter.MaxValue === 'number' && n > parameter.MaxValue) problems.push(`${path}/Default: ${text} is above MaxValue`);
  }
  return problems;
}

function checkResource(path: string, resource: unknown, resources: Json): string[] {
  if (!isObject(resource)) return [`${path}: a resource is a mapping`];
  const problems: string[] = [];
  for (const key of Object.keys(resource)) if (!RESOURCE_KEYS.has(key)) problems.push(`${path}/${key}: not a resource attribute`);
  const spec = typeof resource.Type === 'string' ? RESOURCE_SPECS[resource.Type] : undefined;
  if (!spec) return [...problems, `${path}/Type: ${JSON.stringify(resource.Type)} is not an allowed resource type`];
  const properties = isObject(resource.Properties) ? resource.Properties : {};
  problems.push(...checkKeys(`${path}/Properties`, properties, spec));
  for (const dependency of [resource.DependsOn ?? []].flat()) {
    if (typeof dependency !== 'string' || !(dependency in resources)) problems.push(`${path}/DependsOn: ${JSON.stringify(dependency)} is not a resource`);
  }
  if (resource.Type === 'AWS::ECS::TaskDefinition' && Array.isArray(properties.ContainerDefinitions)) {
    properties.ContainerDefinitions.forEach((container, i) => {
      problems.push(...checkKeys(`${path}/Properties/ContainerDefinitions/${i}`, isObject(container) ? container : {}, NESTED_SPECS.containerDefinition));
    });
  }
  if (resource.Type === 'AWS::Scheduler::Schedule' && isObject(properties.Target)) {
    problems.push(...checkKeys(`${path}/Properties/Target`, properties.Target, NESTED_SPECS.scheduleTarget));
    if (isObject(properties.Target.EcsParameters)) {
      problems.push(...checkKeys(`${path}/Properties/Target/EcsParameters`, properties.Target.EcsParameters, NESTED_SPECS.ecsParameters));
    }
  }
  return problems;
}

function checkKeys(path: string, value: Json, spec: { required: string[]; properties: string[] }): string[] {
  const problems: string[] = [];
  for (const key of spec.required) if (value[key] === undefined) problems.push(`${path}: required property ${key} is missing`);
  for (const key of Object.keys(value)) if (!spec.properties.includes(key)) problems.push(`${path}/${key}: unknown property`);
  return problems;
}

interface Names {
  parameters: Set<string>;
  resources: Json;
}

function walkReferences(value: unknown, path: string, names: Names, problems: string[], locals: ReadonlySet<string> = new Set()): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkReferences(item, `${path}/${i}`, names, problems, locals));
    return;
  }
  if (!isObject(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && (INTRINSIC_KEYS.has(keys[0]!) || keys[0]!.startsWith('Fn::'))) {
    checkIntrinsic(keys[0]!, value[keys[0]!], `${path}/${keys[0]}`, names, problems, locals);
    return;
  }
  for (const [key, child] of Object.entries(value)) walkReferences(child, `${path}/${key}`, names, problems, locals);
}

function checkIntrinsic(fn: string, arg: unknown, path: string, names: Names, problems: string[], locals: ReadonlySet<string>): void {
  switch (fn) {
    case 'Ref':
      if (typeof arg !== 'string') problems.push(`${path}: Ref takes a name`);
      else checkRef(arg, path, names, problems, locals);
      return;
    case 'Fn::GetAtt': {
      const [resource, attribute] = Array.isArray(arg) ? arg : [];
      if (typeof resource !== 'string' || typeof attribute !== 'string') problems.push(`${path}: GetAtt takes [resource, attribute]`);
      else checkGetAtt(resource, attribute, path, names, problems);
      return;
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
      if (typeof text !== 'string' || !isObject(variables)) {
        problems.push(`${path}: Sub takes a string or [string, {variables}]`);
        return;
      }
      walkReferences(variables, `${path}/1`, names, problems, locals);
      const subLocals = new Set([...locals, ...Object.keys(variables)]);
      for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
        const name = match[1]!;
        if (name.startsWith('!')) continue; // ${!Literal} is written as ${Literal}
        const dot = name.indexOf('.');
        if (dot > 0 && !subLocals.has(name)) checkGetAtt(name.slice(0, dot), name.slice(dot + 1), path, names, problems);
        else checkRef(name, path, names, problems, subLocals);
      }
      return;
    }
    default:
      if (!INTRINSIC_KEYS.has(fn)) {
        problems.push(`${path}: ${fn} is not an intrinsic function`);
        return;
      }
      walkReferences(arg, path, names, problems, locals);
  }
}

function checkRef(name: string, path: string, names: Names, problems: string[], locals: ReadonlySet<string>): void {
  if (locals.has(name) || names.parameters.has(name) || name in names.resources || PSEUDO_PARAMETERS.has(name)) return;
  problems.push(`${path}: ${name} is not a parameter, resource or pseudo-parameter`);
}

function checkGetAtt(resource: string, attribute: string, path: string, names: Names, problems: string[]): void {
  const target = names.resources[resource];
  if (!isObject(target)) {
    problems.push(`${path}: GetAtt ${resource}.${attribute}: ${resource} is not a resource`);
    return;
  }
  const spec = typeof target.Type === 'string' ? RESOURCE_SPECS[target.Type] : undefined;
  if (spec && !spec.attributes.includes(attribute)) problems.push(`${path}: GetAtt ${resource}.${attribute}: ${target.Type} has no attribute ${attribute}`);
}
