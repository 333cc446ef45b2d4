// Highlighting for SundialQL and PromQL: small stream tokenizers (CodeMirror's StreamLanguage),
// enough to colour keywords, functions, strings, numbers, durations and comments.
import { StreamLanguage, type StringStream } from '@codemirror/language';

export type Language = 'sundialql' | 'promql';

export const SUNDIALQL_KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'ORDER', 'ASC', 'DESC', 'LIMIT', 'OFFSET', 'SLIMIT', 'SOFFSET', 'FILL',
  'AND', 'OR', 'NOT', 'AS', 'INTO', 'ON', 'WITH', 'KEY', 'IN', 'BETWEEN', 'HAVING', 'TZ', 'SHOW', 'DATABASES',
  'MEASUREMENTS', 'MEASUREMENT', 'TAG', 'KEYS', 'VALUES', 'FIELD', 'SERIES', 'QUERIES', 'RETENTION', 'POLICIES',
  'CREATE', 'DROP', 'DATABASE', 'DELETE', 'KILL', 'QUERY', 'EXPLAIN', 'ANALYZE', 'JOIN', 'time', 'now', 'null',
  'none', 'previous', 'linear', 'true', 'false',
];

export const SUNDIALQL_FUNCTIONS = [
  'count', 'sum', 'mean', 'avg', 'median', 'mode', 'min', 'max', 'first', 'last', 'spread', 'stddev', 'variance',
  'percentile', 'approx_percentile', 'distinct', 'count_distinct', 'approx_count_distinct', 'integral', 'top',
  'bottom', 'sample', 'derivative', 'non_negative_derivative', 'difference', 'non_negative_difference',
  'moving_average', 'cumulative_sum', 'elapsed', 'rate', 'corr', 'covar', 'time_bucket', 'abs', 'ceil', 'floor',
  'round', 'sqrt', 'ln', 'log', 'log2', 'log10', 'exp', 'pow',
];

export const PROMQL_KEYWORDS = ['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2'];

export const PROMQL_FUNCTIONS = [
  'sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'predict_linear', 'resets', 'changes',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time',
  'quantile_over_time', 'stddev_over_time', 'stdvar_over_time', 'present_over_time', 'absent', 'absent_over_time',
  'abs', 'ceil', 'floor', 'round', 'clamp', 'clamp_min', 'clamp_max', 'exp', 'ln', 'log2', 'log10', 'sqrt',
  'histogram_quantile', 'label_replace', 'label_join', 'sort', 'sort_desc', 'time', 'timestamp', 'vector', 'scalar',
  'day_of_month', 'day_of_week', 'days_in_month', 'hour', 'minute', 'month', 'year', 'holt_winters',
];

const sundialKeywords = new Set(SUNDIALQL_KEYWORDS.map((k) => k.toLowerCase()));
const sundialFunctions = new Set(SUNDIALQL_FUNCTIONS);
const promKeywords = new Set(PROMQL_KEYWORDS);
const promFunctions = new Set(PROMQL_FUNCTIONS);

function quoted(stream: StringStream, quote: string): void {
  let escaped = false;
  let next: string | void;
  while ((next = stream.next()) !== undefined) {
    if (next === quote && !escaped) return;
    escaped = !escaped && next === '\\';
  }
}

export const sundialQl = StreamLanguage.define<object>({
  name: 'sundialql',
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match('--') || stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    const ch = stream.next();
    if (ch === undefined) return null;
    if (ch === "'") {
      quoted(stream, "'");
      return 'string';
    }
    if (ch === '"') {
      quoted(stream, '"');
      return 'variableName.special';
    }
    if (ch === '/' && stream.match(/^(?:[^/\\]|\\.)+\/[a-z]*/)) return 'regexp';
    if (ch === '$') {
      stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
      return 'variableName.special';
    }
    if (/\d/.test(ch)) {
      stream.match(/^[\d.]*(e[+-]?\d+)?(ns|u|µ|ms|s|m|h|d|w)?/i);
      return 'number';
    }
    if (/[A-Za-z_]/.test(ch)) {
      stream.match(/^[A-Za-z0-9_]*/);
      const word = stream.current();
      if (sundialKeywords.has(word.toLowerCase())) return 'keyword';
      if (sundialFunctions.has(word.toLowerCase()) && stream.match(/^\s*\(/, false)) return 'variableName.function';
      return 'variableName';
    }
    if (/[=<>!~+\-*/%]/.test(ch)) return 'operator';
    return 'punctuation';
  },
});

export const promQl = StreamLanguage.define<object>({
  name: 'promql',
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match('#')) {
      stream.skipToEnd();
      return 'comment';
    }
    const ch = stream.next();
    if (ch === undefined) return null;
    if (ch === '"' || ch === "'" || ch === '`') {
      quoted(stream, ch);
      return 'string';
    }
    if (/\d/.test(ch)) {
      stream.match(/^[\d.]*(e[+-]?\d+)?((ms|s|m|h|d|w|y)\d*)*/i);
      return 'number';
    }
    if (/[A-Za-z_:]/.test(ch)) {
      stream.match(/^[A-Za-z0-9_:]*/);
      const word = stream.current();
      if (promKeywords.has(word)) return 'keyword';
      if (promFunctions.has(word) && stream.match(/^\s*\(/, false)) return 'variableName.function';
      return stream.match(/^\s*(=|!=|=~|!~)/, false) ? 'labelName' : 'variableName';
    }
    if (/[=<>!~+\-*/%^]/.test(ch)) return 'operator';
    return 'punctuation';
  },
});

/** Line and column (1-based) named in an error message: SundialQL's "line L, column C" or PromQL's "L:C: parse error". */
export function errorPosition(message: string): { line: number; column: number } | null {
  const sundial = /line (\d+), column (\d+)/.exec(message);
  if (sundial) return { line: Number(sundial[1]), column: Number(sundial[2]) };
  const prom = /(?:^|[\s"])(\d+):(\d+):/.exec(message);
  if (prom) return { line: Number(prom[1]), column: Number(prom[2]) };
  return null;
}
