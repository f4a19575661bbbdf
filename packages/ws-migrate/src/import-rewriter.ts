import { ts } from 'ts-morph';
import { claimDeclaredNames } from './declared-name-claims.js';
import { decideElement, decideUnused, type Decision } from './element-decisions.js';
import { EntityKeys } from './entity-keys.js';
import {
  carrierOf,
  partsOf,
  renderCarrier,
  renderItem,
  replaceListEdit,
  appendToListEdit,
  keepOnlyEdit,
  type Carrier,
  type CarrierElement,
  type ListItem,
} from './import-carriers.js';
import { LEGACY_PACKAGE, isLegacySpecifier } from './legacy-map.js';
import { collectModuleReferences, type ModuleReference } from './module-references.js';
import { NameClaims } from './name-claims.js';
import { ReferenceIndex, renameEdits } from './reference-index.js';
import { isSyntaxError, parseForRewrite, type BoundSource } from './source-parser.js';
import { applyEdits, lineBreakOf, withoutEditsInside, type TextEdit } from './text-edits.js';
import { StatementPlans } from './statement-plans.js';
import { TargetGroups, identityOf, type TargetGroup } from './target-groups.js';
import { rewriteWholeModule } from './whole-module-rewrite.js';

/** The result of rewriting one file. */
export type RewriteOutcome =
  /** `output` equals the input when there was nothing to rewrite. */
  | { readonly kind: 'rewritten'; readonly output: string }
  /** The file has a syntax error at `line`; it must be left as it is. */
  | { readonly kind: 'parse-error'; readonly line: number; readonly message: string };

/**
 * Rewrites one file's legacy imports to their canonical modules and names (see `legacy-map.ts`),
 * with text edits on exact node ranges: comments and formatting elsewhere stay byte-identical,
 * and rewriting the output again changes nothing.
 * @param fileName used for the parser's script kind (by extension)
 */
export function rewriteLegacyImports(fileName: string, text: string): RewriteOutcome {
  if (!text.includes(LEGACY_PACKAGE)) return { kind: 'rewritten', output: text };
  const bound = parseForRewrite(fileName, text);
  if (isSyntaxError(bound))
    return { kind: 'parse-error', line: bound.line, message: bound.message };
  let output: string;
  try {
    output = new LegacyImportRewrite(bound, text).run();
  } catch (error) {
    // A rewriter bug must cost one file, never the run: report it and leave the file alone.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'parse-error',
      line: 1,
      message: `could not be rewritten (${reason}); file left unchanged, please report`,
    };
  }
  if (output !== text) {
    const check = parseForRewrite(fileName, output);
    if (isSyntaxError(check)) {
      return {
        kind: 'parse-error',
        line: check.line,
        message: `the rewrite would not parse (${check.message}); file left unchanged, please report`,
      };
    }
  }
  return { kind: 'rewritten', output };
}

/** A name leaving a legacy carrier, with the carrier element it replaces (none if synthetic). */
interface MovedEntry {
  readonly item: ListItem;
  readonly element: CarrierElement | undefined;
}

interface CarrierPlan {
  readonly carrier: Carrier;
  readonly decisions: Decision[];
}

class LegacyImportRewrite {
  private readonly sourceFile: ts.SourceFile;
  private readonly index: ReferenceIndex;
  private readonly claims = new NameClaims();
  private readonly lineBreak: string;
  private readonly edits: TextEdit[] = [];
  private readonly drops: TextEdit[] = [];
  private readonly renames: { local: ts.Identifier; name: string }[] = [];
  private readonly groups = new TargetGroups();
  private readonly plans = new StatementPlans();
  private readonly keys = new EntityKeys();
  /** List edits of in-place carriers, rendered once every carrier has added its names. */
  private readonly deferred: (() => void)[] = [];

  constructor(
    bound: BoundSource,
    private readonly text: string,
  ) {
    this.sourceFile = bound.sourceFile;
    this.index = new ReferenceIndex(bound.sourceFile, bound.checker);
    this.lineBreak = lineBreakOf(text);
  }

  run(): string {
    const legacyCarriers: CarrierPlan[] = [];
    const wholeModules: ModuleReference[] = [];
    for (const reference of collectModuleReferences(this.sourceFile)) {
      const carrier = carrierOf(reference);
      if (!isLegacySpecifier(reference.specifier)) {
        if (carrier !== undefined) this.addExistingGroup(carrier);
      } else if (carrier !== undefined && carrier.elements.length > 0) {
        legacyCarriers.push({ carrier, decisions: [] });
      } else {
        wholeModules.push(reference);
      }
    }
    claimDeclaredNames(
      this.claims,
      this.sourceFile,
      this.text,
      legacyCarriers.map((plan) => plan.carrier),
      this.groups,
      this.keys,
    );

    for (const plan of legacyCarriers) {
      for (const element of plan.carrier.elements) {
        const { decision, drops } = decideElement(plan.carrier, element, this.text, this.index);
        plan.decisions.push(decision);
        this.edits.push(...drops);
        this.drops.push(...drops);
      }
    }
    for (const reference of wholeModules) {
      const rewrite = rewriteWholeModule(reference, this.index, this.text);
      if (rewrite === undefined) continue;
      this.edits.push(...rewrite.edits);
      this.drops.push(...rewrite.drops);
    }
    for (const plan of legacyCarriers) {
      plan.decisions.forEach((decision, position) => {
        if (decision.kind === 'unused-or-stay')
          plan.decisions[position] = decideUnused(decision.local, this.index, this.drops);
      });
    }
    // Value carriers first: a type-only name then joins a value import (as `type X`) instead of
    // a second declaration binding the same local name.
    const valueFirst = [
      ...legacyCarriers.filter((plan) => !plan.carrier.typeOnly),
      ...legacyCarriers.filter((plan) => plan.carrier.typeOnly),
    ];
    for (const plan of valueFirst) this.placeCarrier(plan);

    this.renderRenames();
    this.renderGroups();
    this.edits.push(...this.plans.render(this.text, this.lineBreak));
    return applyEdits(this.text, withoutEditsInside(this.edits, this.drops));
  }

  private addExistingGroup(carrier: Carrier): void {
    const present = new Set<string>();
    for (const element of carrier.elements) {
      const parts = partsOf(element, this.text);
      if (parts.imported === undefined) continue;
      const alias = parts.local?.text ?? parts.exported;
      present.add(`${parts.imported}|${alias ?? parts.imported}`);
      if (
        parts.local !== undefined &&
        !parts.typeOnly &&
        !carrier.typeOnly &&
        parts.initializer === undefined
      ) {
        const key = this.keys.keyOf(carrier.form, carrier.scope, carrier.specifier, parts.imported);
        this.keys.recordExisting(key, parts.local.text, carrier.statement.pos);
      }
    }
    this.groups.addExisting(carrier, present);
  }

  /** The local name a moved binding ends with: the canonical name when free, else its own. */
  private chooseLocal(
    carrier: Carrier,
    decision: Extract<Decision, { kind: 'move' }>,
  ): string | undefined {
    const { parts } = decision;
    if (carrier.form === 'export') return parts.exported;
    const local = parts.local;
    if (local === undefined) return undefined;
    const key = this.keys.keyOf(carrier.form, carrier.scope, decision.module, decision.name);
    let chosen = local.text;
    if (local.text === parts.imported && decision.name !== parts.imported) {
      const existing = this.keys.existingLocalFor(key, carrier);
      const usable =
        existing !== undefined && this.claims.tryClaim(existing, key, decision.typeOnly);
      if (usable) chosen = existing;
      else if (this.claims.tryClaim(decision.name, key, decision.typeOnly)) chosen = decision.name;
    } else {
      this.claims.declare(local.text, key, decision.typeOnly);
    }
    if (chosen !== local.text) this.renames.push({ local, name: chosen });
    return chosen;
  }

  private placeCarrier(plan: CarrierPlan): void {
    const { carrier, decisions } = plan;
    const byModule = new Map<string, MovedEntry[]>();
    const add = (module: string, entry: MovedEntry): void => {
      const entries = byModule.get(module);
      if (entries === undefined) byModule.set(module, [entry]);
      else entries.push(entry);
    };
    const semicolon = this.text
      .slice(carrier.statement.getStart(), carrier.statement.end)
      .endsWith(';')
      ? ';'
      : '';
    decisions.forEach((decision, position) => {
      const element = carrier.elements[position];
      if (decision.kind === 'move') {
        const alias = this.chooseLocal(carrier, decision);
        const item = {
          name: decision.name,
          alias,
          typeOnly: decision.typeOnly,
          initializer: decision.parts.initializer,
        };
        add(decision.module, { item, element });
      } else if (decision.kind === 'instance') {
        const key = this.keys.keyOf(carrier.form, carrier.scope, decision.module, decision.name);
        const factory =
          this.keys.existingLocalFor(key, carrier) ?? this.claims.claimFree(decision.name, key);
        add(decision.module, {
          item: { name: decision.name, alias: factory, typeOnly: false, initializer: undefined },
          element: undefined,
        });
        const declaration = `const ${decision.local.text} = ${factory}(${decision.argument})${semicolon}`;
        this.plans.of(this.instanceAnchor(carrier)).instances.push(declaration);
      }
    });

    const stays =
      carrier.hasDefaultImport || decisions.some((decision) => decision.kind === 'stay');
    let inPlace: TargetGroup | undefined;
    const own = new Map<CarrierElement, string>();
    for (const [module, entries] of byModule) {
      const group = this.groups.find(carrier, module);
      if (group !== undefined) {
        for (const entry of entries) this.groups.addItem(group, entry.item);
      } else if (!stays && inPlace === undefined) {
        inPlace = this.groups.create(carrier, module, { kind: 'in-place', carrier });
        for (const entry of entries) {
          if (entry.element === undefined || this.groups.isProvided(inPlace, entry.item)) {
            this.groups.addItem(inPlace, entry.item);
          } else {
            own.set(entry.element, renderItem(carrier.form, entry.item, carrier.typeOnly));
            inPlace.present.add(identityOf(entry.item));
          }
        }
      } else {
        const created = this.groups.create(carrier, module, { kind: 'new', after: carrier });
        for (const entry of entries) this.groups.addItem(created, entry.item);
      }
    }

    if (inPlace !== undefined) this.renderInPlace(carrier, inPlace, own);
    else if (stays) this.renderStaying(carrier, decisions);
    else this.plans.of(carrier.statement).deleted = true;
  }

  /** Where `const centralLogger = …` goes: after the last import, or after the `require`. */
  private instanceAnchor(carrier: Carrier): ts.Statement {
    if (carrier.form !== 'import') return carrier.statement;
    const imports = this.sourceFile.statements.filter(ts.isImportDeclaration);
    return imports.at(-1) ?? carrier.statement;
  }

  private renderInPlace(
    carrier: Carrier,
    group: TargetGroup,
    own: ReadonlyMap<CarrierElement, string>,
  ): void {
    const literal = carrier.literal;
    const quote = this.text.charAt(literal.getStart());
    this.edits.push({
      start: literal.getStart(),
      end: literal.end,
      text: `${quote}${group.module}${quote}`,
    });
    // Items merged in from later carriers are only known once every carrier is placed.
    const ownTexts = carrier.elements.flatMap((element) => {
      const text = own.get(element);
      return text === undefined ? [] : [text];
    });
    if (own.size === carrier.elements.length) {
      for (const element of carrier.elements) {
        const text = own.get(element);
        const original = this.text.slice(element.getStart(), element.end);
        if (text !== undefined && text !== original) {
          this.edits.push({ start: element.getStart(), end: element.end, text });
        }
      }
      this.deferred.push(() => {
        const texts = group.items.map((item) => renderItem(carrier.form, item, carrier.typeOnly));
        if (texts.length > 0) this.edits.push(appendToListEdit(carrier, texts, this.text));
      });
    } else {
      this.deferred.push(() => {
        const texts = [
          ...ownTexts,
          ...group.items.map((item) => renderItem(carrier.form, item, carrier.typeOnly)),
        ];
        this.edits.push(replaceListEdit(carrier, texts, this.text));
      });
    }
  }

  private renderStaying(carrier: Carrier, decisions: readonly Decision[]): void {
    const kept = carrier.elements.filter((_, position) => decisions[position]?.kind === 'stay');
    const edit = keepOnlyEdit(carrier, kept, this.text);
    if (edit !== undefined) this.edits.push(edit);
  }

  private renderRenames(): void {
    for (const { local, name } of this.renames) {
      this.edits.push(...renameEdits(this.index.referencesTo(local), local.text, name));
    }
  }

  private renderGroups(): void {
    for (const run of this.deferred) run();
    for (const group of this.groups.all) {
      if (group.items.length === 0) continue;
      const { anchor } = group;
      if (anchor.kind === 'existing') {
        const texts = group.items.map((item) =>
          renderItem(group.form, item, anchor.carrier.typeOnly),
        );
        this.edits.push(appendToListEdit(anchor.carrier, texts, this.text));
      } else if (anchor.kind === 'new') {
        const texts = group.items.map((item) => renderItem(group.form, item, group.typeOnly));
        this.plans
          .of(anchor.after.statement)
          .carriers.push(
            renderCarrier(anchor.after, group.module, group.typeOnly, texts, this.text),
          );
      }
    }
  }
}
