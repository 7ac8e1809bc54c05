// Calls to the admin API with the admin token, which the page keeps in sessionStorage (gone when the tab closes).
const TOKEN_KEY = 'adminToken';

export class UnauthorizedError extends Error {}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** GETs an admin API path as JSON; a 401 or 403 throws UnauthorizedError, any other failure an Error with the API's message. */
export async function getJson(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token.get()}` } });
  if (response.status === 401 || response.status === 403) throw new UnauthorizedError((await response.json()).message);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.json().catch(() => ({}))).message ?? ''}`);
  return response.json();
}

export const profileUrl = (name) => `/api/profiling/profiles/${encodeURIComponent(name)}`;
