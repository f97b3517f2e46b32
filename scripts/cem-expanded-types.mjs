// A `cem analyze` plugin: the manifest names a type alias (`QoS`, `PayloadType`) but not what it
// stands for, so tools reading it cannot offer `0 | 1 | 2` or `'auto' | 'text' | ...`. Type aliases
// that are unions of literals are recorded, and every attribute and field typed with one gets
// `expandedType: { text }` next to its `type` (the name cem-plugin-expanded-types and the
// wc-toolkit IDE generators use). `type` itself is kept, so the README reference is unchanged.

export function expandedTypes() {
  const aliases = new Map(); // name -> '0 | 1 | 2', or null when two modules disagree
  return {
    name: 'expanded-types',
    collectPhase({ ts, node }) {
      if (!ts.isTypeAliasDeclaration(node)) return;
      const members = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
      if (!members.every((t) => ts.isLiteralTypeNode(t))) return;
      const name = node.name.text;
      const text = members.map((t) => t.getText()).join(' | ');
      aliases.set(name, aliases.has(name) && aliases.get(name) !== text ? null : text);
    },
    packageLinkPhase({ customElementsManifest }) {
      // Replaces the union members that are exactly an alias name: `QoS | undefined` -> `0 | 1 | 2 | undefined`.
      const expand = (text) => {
        const parts = text.split('|').map((part) => part.trim());
        return parts.some((part) => aliases.get(part))
          ? parts.map((part) => aliases.get(part) ?? part).join(' | ')
          : undefined;
      };
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          const typed = [
            ...(declaration.attributes ?? []),
            ...(declaration.members ?? []).filter((m) => m.kind === 'field'),
          ];
          for (const item of typed) {
            const text = item.type?.text && expand(item.type.text);
            if (text) item.expandedType = { text };
          }
        }
      }
    },
  };
}
