import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/** The names of the fields selected directly under the current field, through fragments too. */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  return selectedAt(info, []);
}

/**
 * The names of the fields selected at the end of `path` below the current field (`['edges',
 * 'node']`, say), under any alias, through fragments too.
 */
export function selectedAt(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (depth === path.length) names.add(selection.name.value);
        else if (selection.name.value === path[depth]) visit(selection.selectionSet, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, depth);
      else visit(info.fragments[selection.name.value]?.selectionSet, depth);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0);
  return names;
}
