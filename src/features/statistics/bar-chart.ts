/**
 * The geometry of « Demandes reçues et décidées par mois »: two bars per
 * month on a scale of round numbers. Pure arithmetic, tested on its own; the
 * SVG itself is written by views/admin/partials/statistics-chart.ejs, drawn
 * on the server so that it needs no JavaScript. No charting library: those
 * that draw SVG run in the browser, and two series of bars are a few lines.
 */
import { shortMonthName } from "./month-labels.js";

export interface ChartMonth {
  month: string;
  received: number;
  decided: number;
}

export type Series = "received" | "decided";

export interface Bar {
  series: Series;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  ticks: { value: number; y: number }[];
  groups: { month: string; label: string; year: string | null; center: number; bars: Bar[] }[];
}

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { left: 64, right: 12, top: 16, bottom: 52 };
const BAR_WIDTH = 16;
const BAR_GAP = 3;

/**
 * The top of the scale and its step: 1, 2 or 5 times a power of ten, so that
 * there are at most five steps above zero and the tallest bar fits. Counts are
 * whole: the step is never under 1.
 */
export function scaleFor(max: number): { top: number; step: number } {
  const target = Math.max(max, 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= target)!,
  );
  return { top: Math.max(step, Math.ceil(max / step) * step), step };
}

export function chartLayout(months: ChartMonth[]): ChartLayout {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: WIDTH - MARGIN.right, bottom: HEIGHT - MARGIN.bottom };
  const { top, step } = scaleFor(Math.max(0, ...months.flatMap((month) => [month.received, month.decided])));
  const plotHeight = plot.bottom - plot.top;
  const yOf = (value: number) => plot.bottom - (value / top) * plotHeight;
  const ticks = Array.from({ length: top / step + 1 }, (_, index) => ({ value: index * step, y: yOf(index * step) }));
  const groupWidth = (plot.right - plot.left) / Math.max(1, months.length);
  const groups = months.map((month, index) => {
    const center = plot.left + groupWidth * (index + 0.5);
    const bar = (series: Series, value: number, x: number): Bar => ({ series, x, y: yOf(value), width: BAR_WIDTH, height: plot.bottom - yOf(value), value });
    // The year under the first month shown and under each January, so every bar's month is unambiguous.
    const year = index === 0 || month.month.endsWith("-01") ? month.month.slice(0, 4) : null;
    return {
      month: month.month,
      label: shortMonthName(month.month),
      year,
      center,
      bars: [bar("received", month.received, center - BAR_GAP / 2 - BAR_WIDTH), bar("decided", month.decided, center + BAR_GAP / 2)],
    };
  });
  return { width: WIDTH, height: HEIGHT, plot, ticks, groups };
}
