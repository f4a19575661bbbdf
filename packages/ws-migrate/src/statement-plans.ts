import type { ts } from 'ts-morph';
import { indentationAt, lineRemovalRange, type TextEdit } from './text-edits.js';

/** What happens around one statement: new carriers follow it, then created instances. */
export interface StatementPlan {
  /** The statement goes; the lines below, if any, take its place. */
  deleted: boolean;
  readonly carriers: string[];
  readonly instances: string[];
}

/** Statement-level changes of one file, rendered as edits once everything is planned. */
export class StatementPlans {
  private readonly plans = new Map<ts.Statement, StatementPlan>();

  /** The plan of `statement`, created empty on first use. */
  of(statement: ts.Statement): StatementPlan {
    let plan = this.plans.get(statement);
    if (plan === undefined) {
      plan = { deleted: false, carriers: [], instances: [] };
      this.plans.set(statement, plan);
    }
    return plan;
  }

  /**
   * The edits: added lines go after their statement at its indentation; a deleted statement
   * is replaced by its added lines, or removed with its line when it has none.
   */
  render(text: string, lineBreak: string): TextEdit[] {
    const edits: TextEdit[] = [];
    for (const [statement, plan] of this.plans) {
      const start = statement.getStart();
      const end = statement.end;
      const separator = `${lineBreak}${indentationAt(text, start)}`;
      const lines = [...plan.carriers, ...plan.instances];
      if (plan.deleted) {
        if (lines.length > 0) edits.push({ start, end, text: lines.join(separator) });
        else edits.push({ ...lineRemovalRange(text, start, end), text: '' });
      } else if (lines.length > 0) {
        edits.push({ start: end, end, text: lines.map((line) => `${separator}${line}`).join('') });
      }
    }
    return edits;
  }
}
