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

// A `cem analyze` plugin: a default written as a module constant (`window = DEFAULT_WINDOW`) reaches
// an attribute as the constant's name and with no type, so the README, the IDE data and any tool
// reading the manifest show `DEFAULT_WINDOW` and no type where a user needs `300` and `number`. A
// default that names a `const` of its module holding a literal is replaced by the literal; an
// attribute still without a type takes its field's type, else the constant's.

export function resolvedDefaults() {
  const constants = new Map(); // module path -> Map(name -> { text, type })
  return {
    name: 'resolved-defaults',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isVariableStatement(node) || !ts.isSourceFile(node.parent)) return;
      if (!(node.declarationList.flags & ts.NodeFlags.Const)) return;
      for (const declaration of node.declarationList.declarations) {
        const init = declaration.initializer;
        if (!ts.isIdentifier(declaration.name) || !init) continue;
        let type;
        if (ts.isNumericLiteral(init)) type = 'number';
        else if (
          ts.isPrefixUnaryExpression(init) &&
          init.operator === ts.SyntaxKind.MinusToken &&
          ts.isNumericLiteral(init.operand)
        )
          type = 'number';
        else if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) type = 'string';
        else if (init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword) type = 'boolean';
        else continue;
        if (!constants.has(moduleDoc.path)) constants.set(moduleDoc.path, new Map());
        constants.get(moduleDoc.path).set(declaration.name.text, { text: init.getText(), type });
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          const fields = (declaration.members ?? []).filter((m) => m.kind === 'field');
          for (const item of [...(declaration.attributes ?? []), ...fields]) {
            // An inherited attribute or field was written in its superclass's module.
            const where = constants.get(item.inheritedFrom?.module ?? mod.path);
            const constant = item.default !== undefined && where?.get(item.default.trim());
            if (constant) item.default = constant.text;
            if (item.type?.text || item.default === undefined) continue;
            const field = item.fieldName && fields.find((f) => f.name === item.fieldName);
            const text = field?.type?.text ?? constant?.type;
            if (text) item.type = { text };
          }
        }
      }
    },
  };
}
