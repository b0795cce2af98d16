/**
 * The goals of the scale benchmarks, each printed with the figure the code had when the goal was
 * set ("before"), the figure measured in this run ("now") and the goal itself, side by side.
 *
 * The "before" figures were measured with the same benchmark against the code before the work
 * toward the goals began (see each benchmark's `BEFORE`); they are facts about that code, not
 * thresholds: nothing here fails when a goal is missed.
 */

import { formatTable } from './support';

/** One goal line. */
export interface GoalRow {
  /** What is measured, e.g. `synth, 240 functions in one stack ÷ without`. */
  readonly measure: string;
  /** The figure before the work, as printed (`1.04x`, `212 of 300 failed`). */
  readonly before: string;
  /** The figure of this run, as printed. */
  readonly now: string;
  /** The goal, as printed (`≤ 1.10x`). */
  readonly goal: string;
  /** Whether this run's figure meets the goal; undefined for a figure printed for reference. */
  readonly met?: boolean;
}

/** The goals as an aligned table: measure, before, now, goal, met. */
export function goalTable(rows: readonly GoalRow[]): string {
  return formatTable(
    ['goal (issue 8)', 'before', 'now', 'goal', 'met'],
    rows.map((row) => [row.measure, row.before, row.now, row.goal, row.met === undefined ? '-' : row.met ? 'yes' : 'no']),
  );
}
