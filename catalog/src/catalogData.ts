/** One catalog item, as `GET /v1/items` returns it. */
export interface CatalogItem {
  id: string;
  title: string;
  artist: string;
  tags: string[];
  /** 0–100, higher is more popular. */
  popularity: number;
}

/** The genres items are tagged with; any other tag maps onto one of them (see `CatalogData.topIds`). */
export const CATALOG_TAGS = [
  'rock', 'pop', 'jazz', 'blues', 'classical', 'electronic', 'hip-hop', 'folk', 'metal', 'soul',
  'reggae', 'country', 'ambient', 'funk', 'punk', 'latin', 'indie', 'techno', 'house', 'disco',
] as const;

const WORDS = ['midnight', 'river', 'golden', 'echo', 'velvet', 'storm', 'paper', 'neon', 'silent', 'wild', 'blue', 'fire', 'city', 'summer', 'ghost', 'honey'];
const NAMES = ['The Lanterns', 'Mara Quinn', 'Static Owls', 'June Harlow', 'Kites & Keys', 'Otto Brand', 'Low Tide', 'Nadia Voss'];

/** mulberry32: a small seeded PRNG, so the same seed always yields the same catalog. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)] as T;
}

/** A deterministic catalog: items, and per tag its item ids by popularity, most popular first. */
export class CatalogData {
  readonly items: ReadonlyMap<string, CatalogItem>;
  readonly #byTag = new Map<string, string[]>();
  readonly #chart: string[];

  constructor(seed: number, itemCount: number) {
    const random = seededRandom(seed);
    const items = new Map<string, CatalogItem>();
    for (let n = 1; n <= itemCount; n++) {
      const id = `itm_${String(n).padStart(6, '0')}`;
      const tagCount = 1 + Math.floor(random() * 3);
      const tags = [...new Set(Array.from({ length: tagCount }, () => pick(CATALOG_TAGS, random)))];
      const title = `${pick(WORDS, random)} ${pick(WORDS, random)}`;
      items.set(id, { id, title, artist: pick(NAMES, random), tags, popularity: Math.floor(random() * 101) });
    }
    this.items = items;
    const byPopularity = [...items.values()].sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id));
    this.#chart = byPopularity.map((item) => item.id);
    for (const tag of CATALOG_TAGS) this.#byTag.set(tag, byPopularity.filter((item) => item.tags.includes(tag)).map((item) => item.id));
  }

  /**
   * The most popular item ids for a tag, or overall when `tag` is undefined. A tag that is not a genre maps onto
   * one by a stable hash, so every task tag gets an answer, and always the same one.
   */
  topIds(tag: string | undefined, limit: number): string[] {
    if (tag === undefined) return this.#chart.slice(0, limit);
    const ids = this.#byTag.get(tag) ?? this.#byTag.get(CATALOG_TAGS[hash(tag) % CATALOG_TAGS.length] as string) ?? [];
    return ids.slice(0, limit);
  }
}

function hash(text: string): number {
  let value = 2166136261;
  for (const char of text) value = Math.imul(value ^ (char.codePointAt(0) ?? 0), 16777619);
  return value >>> 0;
}
