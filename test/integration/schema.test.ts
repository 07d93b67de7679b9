import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  type DefinitionNode,
  type FieldDefinitionNode,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type InputValueDefinitionNode,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  print,
} from 'graphql';
import { schema } from '../../src/schema/index.ts';
import { printedSchema, SCHEMA_FILE } from '../../src/schema/print.ts';

test('schema.graphql is the printed schema the server serves (npm run schema:print)', () => {
  assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), printedSchema());
});

/** Every name the contract lists exists in the served schema, with the contract's type. */
const contract = parse(readFileSync(new URL('../data/api-contract.graphql', import.meta.url), 'utf8'));
const KIND_CHECK: Partial<Record<DefinitionNode['kind'], (type: GraphQLNamedType) => boolean>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: isObjectType,
  [Kind.INTERFACE_TYPE_DEFINITION]: isInterfaceType,
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: isInputObjectType,
  [Kind.UNION_TYPE_DEFINITION]: isUnionType,
};

for (const definition of contract.definitions) {
  if (!('name' in definition) || !definition.name || !KIND_CHECK[definition.kind]) continue;
  const name = definition.name.value;
  test(`contract: ${name}`, () => {
    const served = schema.getType(name);
    assert.ok(served && KIND_CHECK[definition.kind]!(served), `${name} is served as the contract's kind of type`);
    if (definition.kind === Kind.UNION_TYPE_DEFINITION && isUnionType(served)) {
      const members = served.getTypes().map((member) => member.name);
      for (const member of definition.types ?? []) assert.ok(members.includes(member.name.value), `${name} includes ${member.name.value}`);
    }
    if (
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) &&
      (isObjectType(served) || isInterfaceType(served))
    ) {
      const interfaces = served.getInterfaces().map((i) => i.name);
      for (const i of definition.interfaces ?? []) assert.ok(interfaces.includes(i.name.value), `${name} implements ${i.name.value}`);
      for (const field of definition.fields ?? []) checkField(name, field, served.getFields()[field.name.value]);
    }
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && isInputObjectType(served)) {
      for (const field of definition.fields ?? []) checkInput(`${name}.${field.name.value}`, field, served.getFields()[field.name.value]);
    }
  });
}

function checkField(type: string, wanted: FieldDefinitionNode, served: GraphQLField<unknown, unknown> | undefined): void {
  const where = `${type}.${wanted.name.value}`;
  assert.ok(served, `${where} exists`);
  assert.equal(String(served.type), print(wanted.type), `${where}'s type`);
  for (const arg of wanted.arguments ?? [])
    checkInput(
      `${where}(${arg.name.value})`,
      arg,
      served.args.find((a) => a.name === arg.name.value),
    );
}

function checkInput(where: string, wanted: InputValueDefinitionNode, served: Pick<GraphQLInputField, 'type' | 'defaultValue'> | undefined): void {
  assert.ok(served, `${where} exists`);
  assert.equal(String(served.type), print(wanted.type), `${where}'s type`);
  if (wanted.defaultValue) assert.equal(JSON.stringify(served.defaultValue), print(wanted.defaultValue), `${where}'s default`);
}
