/** Figures shared by the simulation's two modes (scripts/sim.ts, scripts/sim-processes.ts). */

/** The q-quantile of xs (nearest rank), NaN when empty. */
export const percentile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;
};
