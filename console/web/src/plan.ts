// EXPLAIN [ANALYZE] as a tree: the plan's lines nest by indentation (two spaces a level), each
// node folds; times and counts are emphasised so the expensive step stands out.
import { h } from './dom';

interface PlanNode {
  text: string;
  children: PlanNode[];
}

export function parsePlan(lines: string[]): PlanNode[] {
  const roots: PlanNode[] = [];
  const stack: { depth: number; node: PlanNode }[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const depth = line.length - line.trimStart().length;
    const node: PlanNode = { text: line.trim(), children: [] };
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop();
    (stack.length ? stack[stack.length - 1].node.children : roots).push(node);
    stack.push({ depth, node });
  }
  return roots;
}

/** Figures (counts, times, sizes) in bold; not the digits inside dates and times of day. */
const FIGURE = /(?<![\w:.-])\d+(?:\.\d+)?(?:\s?(?:ms|µs|ns|s|bytes)\b)?(?![\w:-])/g;

function emphasiseFigures(text: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(FIGURE)) {
    parts.push(text.slice(last, m.index), h('b', {}, m[0]));
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function emphasise(text: string): (Node | string)[] {
  const colon = text.indexOf(':');
  if (colon > 0 && /^[a-z /]+$/i.test(text.slice(0, colon))) {
    // "read: 0 chunks ..." → the step name stands apart from its figures.
    return [h('span', { class: 'plan-key' }, text.slice(0, colon + 1)), ...emphasiseFigures(text.slice(colon + 1))];
  }
  return emphasiseFigures(text);
}

function renderNode(node: PlanNode): HTMLElement {
  if (!node.children.length) return h('li', { class: 'plan-leaf' }, ...emphasise(node.text));
  return h('li', {}, h('details', { open: true }, h('summary', {}, ...emphasise(node.text)),
    h('ul', {}, ...node.children.map(renderNode))));
}

export function renderPlan(lines: string[]): HTMLElement {
  return h('div', { class: 'plan' }, h('ul', { class: 'plan-tree' }, ...parsePlan(lines).map(renderNode)));
}
