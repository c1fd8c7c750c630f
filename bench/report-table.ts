/** The terminal report: one table of figures per case and target, and one of PASS/MISS per target goal. */
import type { TargetName } from './bench-cases.js';
import type { Verdict } from './evaluate-targets.js';
import type { Figures, ReportRow } from './report-rows.js';

/** Columns left-aligned for the first `textColumns`, right-aligned after. */
export function formatTable(options: { header: string[]; rows: string[][]; textColumns: number }): string {
  const widths = options.header.map((cell, column) => Math.max(cell.length, ...options.rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < options.textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(options.header), rule, ...options.rows.map(line)].join('\n');
}

function number(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return value.toFixed(digits);
}

function withRatio(row: ReportRow, key: keyof Figures, digits: number): string {
  const value = number(row.figures?.[key], digits);
  const ratio = row.toFloor?.[key];
  return ratio === undefined ? value : `${value} (${ratio.toFixed(2)}x)`;
}

export function renderResults(rows: ReportRow[]): string {
  const header = ['case', 'target', 'req/s', 'p50 ms', 'p99 ms', '+p50 ms', '+p99 ms', 'CPU ms/req', 'loop CPU', 'RSS MB', 'anon MB', 'errors'];
  const body: string[][] = [];
  let previousCase = '';
  for (const row of rows) {
    const caseCell = row.caseName === previousCase ? '' : row.caseName;
    previousCase = row.caseName;
    if (!row.figures) {
      body.push([caseCell, row.label, `skipped: ${(row.skipped ?? 'no result').split('\n')[0].slice(0, 90)}`]);
      continue;
    }
    const added = row.target === 'direct';
    body.push([
      caseCell,
      row.label,
      withRatio(row, 'requestsPerSecond', 0),
      withRatio(row, 'p50Ms', 3),
      withRatio(row, 'p99Ms', 3),
      added ? '-' : withRatio(row, 'addedP50Ms', 3),
      added ? '-' : withRatio(row, 'addedP99Ms', 3),
      withRatio(row, 'cpuMsPerRequest', 3),
      number(row.figures.loopCpuMsPerRequest, 3),
      withRatio(row, 'rssPeakMb', 1),
      number(row.figures.rssAnonPeakMb, 1),
      String(row.errors),
    ]);
  }
  return formatTable({ header, rows: body, textColumns: 2 });
}

export function renderVerdicts(verdicts: Verdict[], subjects: TargetName[], labels: Record<string, string>): string {
  const goals = [...new Set(verdicts.map((verdict) => verdict.goal))];
  const cell = (verdict: Verdict | undefined) =>
    !verdict || verdict.pass === undefined ? 'n/a' : `${verdict.pass ? 'PASS' : 'MISS'} ${verdict.measured}`;
  const rows = goals.map((goal) => [goal, ...subjects.map((subject) => cell(verdicts.find((verdict) => verdict.goal === goal && verdict.subject === subject)))]);
  return formatTable({ header: ['target', ...subjects.map((subject) => labels[subject] ?? subject)], rows, textColumns: 1 + subjects.length });
}
