/** A tiny typed `document.createElement` wrapper, so views read like the markup they build. */

/** What a child may be: a node, text, or nothing (skipped, for conditional children). */
export type Child = Node | string | null | undefined | false;

/** Attributes of {@link el}. */
export interface ElementOptions {
  className?: string;
  /** Sets `data-testid`: the stable hook of the browser tests. */
  testId?: string;
  /** Sets `textContent` (before the children). */
  text?: string;
  /** Any other attributes (`data-*`, `aria-*`, `type`, …). */
  attrs?: Record<string, string>;
}

/**
 * Creates an element.
 *
 * @example el('button', { className: 'primary', testId: 'send-button', text: 'Send' })
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.testId) element.dataset.testid = options.testId;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {}))
    element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}
