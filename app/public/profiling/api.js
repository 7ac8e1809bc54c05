// Calls to the admin API with the admin token, which the page keeps in sessionStorage (gone when the tab closes).
const TOKEN_KEY = 'adminToken';

export class UnauthorizedError extends Error {}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** GETs an admin API path; a 401 or 403 throws UnauthorizedError, any other failure an Error with the API's message. */
async function get(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token.get()}` } });
  if (response.status === 401 || response.status === 403) throw new UnauthorizedError((await response.json()).message);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.json().catch(() => ({}))).message ?? ''}`);
  return response;
}

/** GETs an admin API path as JSON. */
export async function getJson(path) {
  return (await get(path)).json();
}

/** Saves what an admin API path answers as a file: a plain link could not send the bearer token. */
export async function download(path, fileName) {
  const url = URL.createObjectURL(await (await get(path)).blob());
  Object.assign(document.createElement('a'), { href: url, download: fileName }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const profileUrl = (name) => `/api/profiling/profiles/${encodeURIComponent(name)}`;
