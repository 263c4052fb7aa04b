/** Read the app's CSS custom properties so canvas charts match the page (and dark mode). */
export function cssVar(name: string, fallback: string): string {
  if (typeof window === "undefined") return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function chartColors() {
  return {
    text: cssVar("--color-text-muted", "#555"),
    grid: cssVar("--color-border", "#ddd"),
    accent: cssVar("--color-accent", "#1f5fbf"),
    accent2: cssVar("--color-accent-2", "#b5651d"),
    gain: cssVar("--color-gain", "#137333"),
    loss: cssVar("--color-loss", "#b3261e"),
    surface: cssVar("--color-surface", "#fff"),
    palette: [
      cssVar("--chart-1", "#1f5fbf"),
      cssVar("--chart-2", "#e08a00"),
      cssVar("--chart-3", "#2a9d8f"),
      cssVar("--chart-4", "#8e44ad"),
      cssVar("--chart-5", "#c0392b"),
      cssVar("--chart-6", "#5d6d7e"),
      cssVar("--chart-7", "#27ae60"),
      cssVar("--chart-8", "#d35400"),
    ],
  };
}
