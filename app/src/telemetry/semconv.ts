/**
 * Names still in the incubating semantic conventions. Copied here, as the contrib instrumentations do, because
 * `@opentelemetry/semantic-conventions/incubating` is a large module that would cost memory in every process.
 */
export const DB_SYSTEM_NAME_VALUE_REDIS = 'redis';
export const ATTR_DB_CLIENT_CONNECTION_STATE = 'db.client.connection.state';
export const ATTR_DISK_IO_DIRECTION = 'disk.io.direction';
export const METRIC_PROCESS_DISK_IO = 'process.disk.io';
export const ATTR_PROCESS_COMMAND_ARGS = 'process.command_args';
export const ATTR_PROCESS_COMMAND_LINE = 'process.command_line';
export const ATTR_SYSTEM_DEVICE = 'system.device';
export const ATTR_NETWORK_IO_DIRECTION = 'network.io.direction';
export const METRIC_SYSTEM_NETWORK_IO = 'system.network.io';
export const METRIC_SYSTEM_NETWORK_ERRORS = 'system.network.errors';
export const METRIC_SYSTEM_NETWORK_DROPPED = 'system.network.dropped';
export const METRIC_DB_CLIENT_CONNECTION_COUNT = 'db.client.connection.count';
export const METRIC_DB_CLIENT_CONNECTION_MAX = 'db.client.connection.max';
export const METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS = 'db.client.connection.pending_requests';
/** instrumentation-pg's attribute for a prepared statement's name, kept so traces read as before. */
export const ATTR_DB_POSTGRESQL_PLAN = 'db.postgresql.plan';
