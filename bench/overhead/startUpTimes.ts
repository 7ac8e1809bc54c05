import { median } from './loadCost.ts';
import { startVariantApp, type VariantServers } from './startVariant.ts';
import type { Variant } from './variants.ts';

/**
 * Start-up time of each variant (spawn to the first healthy /healthz, a fresh database each time) over `count`
 * fresh processes, the variants interleaved and their order rotating: one start varies by ±150 ms on this machine,
 * more than the difference it is meant to show.
 */
export async function startUpTimes(variants: Variant[], count: number, servers: VariantServers): Promise<Map<Variant, { medianMs: number; rangeMs: string }>> {
  const times = new Map(variants.map((variant) => [variant, [] as number[]]));
  for (let sample = 0; sample < count; sample++) {
    for (let index = 0; index < variants.length; index++) {
      const variant = variants[(index + sample) % variants.length]!;
      const app = await startVariantApp(variant, `startup_${variant.key}`, servers);
      await app.stop();
      times.get(variant)!.push(app.startMs);
    }
  }
  return new Map(
    [...times].map(([variant, of]) => [variant, { medianMs: median(of), rangeMs: `${Math.min(...of).toFixed(0)}–${Math.max(...of).toFixed(0)}` }]),
  );
}
