import { ts } from 'ts-morph';
import type { TextEdit } from './text-edits.js';

/**
 * The edit that drops every argument after the first of a call, e.g. the `mode` of
 * `createWebSocketManager(ctx, mode)`; an empty edit list when there is none; `undefined` when
 * dropping is not safe: an argument is spread, or a dropped one may have side effects (a call,
 * an assignment, `new`, …) that removing it would lose.
 */
export function dropExtraArguments(call: ts.CallExpression): TextEdit[] | undefined {
  const [first, ...extra] = call.arguments;
  if (first === undefined) return [];
  if (ts.isSpreadElement(first)) return undefined;
  const last = extra.at(-1);
  if (last === undefined) return [];
  if (!extra.every(isFreeOfSideEffects)) return undefined;
  return [{ start: first.end, end: last.end, text: '' }];
}

/** Literals, names, property reads and compositions of those. */
function isFreeOfSideEffects(expression: ts.Expression): boolean {
  switch (expression.kind) {
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.OmittedExpression:
      return true;
    case ts.SyntaxKind.PropertyAccessExpression:
      return isFreeOfSideEffects((expression as ts.PropertyAccessExpression).expression);
    case ts.SyntaxKind.ElementAccessExpression: {
      const access = expression as ts.ElementAccessExpression;
      return (
        isFreeOfSideEffects(access.expression) && isFreeOfSideEffects(access.argumentExpression)
      );
    }
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.SatisfiesExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
      return isFreeOfSideEffects(
        (expression as ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression)
          .expression,
      );
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const unary = expression as ts.PrefixUnaryExpression;
      return (
        unary.operator !== ts.SyntaxKind.PlusPlusToken &&
        unary.operator !== ts.SyntaxKind.MinusMinusToken &&
        isFreeOfSideEffects(unary.operand)
      );
    }
    case ts.SyntaxKind.TemplateExpression:
      return (expression as ts.TemplateExpression).templateSpans.every((span) =>
        isFreeOfSideEffects(span.expression),
      );
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (expression as ts.ArrayLiteralExpression).elements.every(isFreeOfSideEffects);
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (expression as ts.ObjectLiteralExpression).properties.every(
        (property) =>
          (ts.isPropertyAssignment(property) &&
            !ts.isComputedPropertyName(property.name) &&
            isFreeOfSideEffects(property.initializer)) ||
          ts.isShorthandPropertyAssignment(property),
      );
    default:
      return false;
  }
}
