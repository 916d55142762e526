import {
  createTheme,
  darken,
  DEFAULT_THEME,
  type CSSVariablesResolver,
} from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  // Shade 8 keeps light-variant badges and links above WCAG AA contrast (4.5:1) in light mode.
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  defaultRadius: "md",
  fontFamily:
    "Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  headings: { fontWeight: "650" },
  components: {
    Button: { defaultProps: { radius: "md" } },
    Paper: { defaultProps: { withBorder: true, radius: "md" } },
    Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close" } } },
    Notification: {
      defaultProps: {
        closeButtonProps: { "aria-label": "Close notification" },
      },
    },
  },
});

const BADGE_COLORS = [
  "gray",
  "dark",
  "red",
  "orange",
  "yellow",
  "green",
  "cyan",
  "blue",
  "indigo",
  "grape",
] as const;

/**
 * Mantine's "dimmed" grey and the text of light-variant badges/alerts fall below WCAG AA (4.5:1) on
 * their backgrounds. Darker text in light mode and lighter text in dark mode fix both schemes.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
  };
  const dark: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-dark-1)",
  };
  for (const color of BADGE_COLORS) {
    const shade9 = DEFAULT_THEME.colors[color][9];
    light[`--mantine-color-${color}-light-color`] = darken(shade9, 0.4);
    dark[`--mantine-color-${color}-light-color`] =
      color === "dark" || color === "gray"
        ? "var(--mantine-color-dark-0)"
        : `var(--mantine-color-${color}-2)`;
  }
  return { variables: {}, light, dark };
};
