// Guards a bundle against what k6 0.47 cannot run: imports other than k6's own modules,
// network imports, k6/experimental/fs (0.48+), and syntax newer than ES2017 that goja
// of that release may reject. Parsed with the TypeScript compiler (already a dependency).
import ts from 'typescript';

export interface Problem { line: number; what: string }

const ALLOWED_IMPORT = /^k6(\/[a-z0-9/-]+)?$/;

function describe(node: ts.Node): string | undefined {
  const k = ts.SyntaxKind;
  switch (node.kind) {
    case k.QuestionDotToken: return 'optional chaining (?.)';
    case k.QuestionQuestionToken: return 'nullish coalescing (??)';
    case k.QuestionQuestionEqualsToken: case k.BarBarEqualsToken: case k.AmpersandAmpersandEqualsToken: return 'logical assignment';
    case k.PropertyDeclaration: return 'class field';
    case k.PrivateIdentifier: return 'private class member (#x)';
    case k.ClassStaticBlockDeclaration: return 'class static block';
    case k.BigIntLiteral: return 'BigInt literal';
    case k.SpreadAssignment: return 'object spread ({...x})';
    case k.ImportKeyword: return ts.isCallExpression(node.parent) ? 'dynamic import()' : undefined;
    case k.AwaitKeyword: return ts.isForOfStatement(node.parent) ? 'for await' : undefined;
    case k.MetaProperty: return (node as ts.MetaProperty).keywordToken === k.ImportKeyword ? 'import.meta' : undefined;
    default: return undefined;
  }
}

export function checkBundle(code: string): Problem[] {
  const sf = ts.createSourceFile('bundle.mjs', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const problems: Problem[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  // Syntax errors surface as parse diagnostics on the source file.
  for (const d of (sf as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? []) {
    problems.push({ line: sf.getLineAndCharacterOfPosition(d.start).line + 1, what: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` });
  }
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      if (/^[a-z]+:\/\//i.test(spec)) problems.push({ line: at(node), what: `network import "${spec}"` });
      else if (spec.startsWith('k6/experimental/fs')) problems.push({ line: at(node), what: `"${spec}" needs k6 >= 0.48` });
      else if (!ALLOWED_IMPORT.test(spec)) problems.push({ line: at(node), what: `import of "${spec}" (only k6 and k6/* modules are provided)` });
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.Identifier && (node.expression as ts.Identifier).text === 'require') {
      // The CommonJS bundle loads k6's own modules with require(); nothing else may be loaded.
      const arg = node.arguments[0];
      const spec = arg && ts.isStringLiteral(arg) ? arg.text : undefined;
      if (spec === undefined) problems.push({ line: at(node), what: 'require() of a computed module name' });
      else if (/^[a-z]+:\/\//i.test(spec)) problems.push({ line: at(node), what: `network require "${spec}"` });
      else if (spec.startsWith('k6/experimental/fs')) problems.push({ line: at(node), what: `"${spec}" needs k6 >= 0.48` });
      else if (!ALLOWED_IMPORT.test(spec)) problems.push({ line: at(node), what: `require of "${spec}" (only k6 and k6/* modules are provided)` });
    }
    if (ts.isRegularExpressionLiteral(node)) {
      const flags = node.text.slice(node.text.lastIndexOf('/') + 1);
      if (/[sd]/.test(flags)) problems.push({ line: at(node), what: `regular expression flag in ${node.text}` });
      if (/\(\?<[=!]|\(\?<[a-zA-Z]/.test(node.text)) problems.push({ line: at(node), what: `lookbehind or named group in ${node.text}` });
    }
    const what = describe(node);
    if (what) problems.push({ line: at(node), what });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return problems;
}
