/** The catalog could not answer: down, too slow, failing, rate limiting us past our retries, or the breaker is open. */
export class CatalogUnavailableError extends Error {
  override name = 'CatalogUnavailableError';
}

/** The catalog refused the request itself (a 4xx other than 429): retrying would not help, and it is our bug. */
export class CatalogRequestError extends Error {
  override name = 'CatalogRequestError';
}
