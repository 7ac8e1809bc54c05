import type { Counter } from '@opentelemetry/api';
import { appMeter } from '../appMeter.ts';
import { memoized } from '../memoized.ts';

export type TaskChange = 'created' | 'updated' | 'deleted';

let changes: Counter | undefined;
const byOperation = memoized((operation: TaskChange) => ({ operation }));

/**
 * Counts one successful task change (`app_tasks_changes_total{operation}` in Prometheus). The counter is created on
 * first use, so it binds to the telemetry set up by then (a no-op without any).
 */
export function countTaskChange(operation: TaskChange): void {
  changes ??= appMeter().createCounter('app.tasks.changes', { description: 'Tasks created, updated and deleted.', unit: '{change}' });
  changes.add(1, byOperation(operation));
}
