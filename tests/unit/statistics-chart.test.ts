import { describe, expect, it } from "vitest";
import { chartLayout, scaleFor } from "../../src/features/statistics/bar-chart.js";
import { formatDays, formatPercent } from "../../src/features/statistics/statistics-figures.js";
import { firstDayOf, monthName, shortMonthName } from "../../src/features/statistics/month-labels.js";

const months = (figures: [number, number][]) =>
  figures.map(([received, decided], index) => ({ month: `2026-${String(index + 1).padStart(2, "0")}`, received, decided }));

describe("the scale of the chart", () => {
  it("ends on a round number above the tallest bar, in at most five steps of 1, 2 or 5 times a power of ten", () => {
    expect(scaleFor(0)).toEqual({ top: 1, step: 1 });
    expect(scaleFor(3)).toEqual({ top: 3, step: 1 });
    expect(scaleFor(7)).toEqual({ top: 8, step: 2 });
    expect(scaleFor(10)).toEqual({ top: 10, step: 2 });
    expect(scaleFor(42)).toEqual({ top: 50, step: 10 });
    expect(scaleFor(41_520)).toEqual({ top: 50_000, step: 10_000 });
    expect(scaleFor(12_001)).toEqual({ top: 15_000, step: 5_000 });
  });
});

describe("the bars", () => {
  const layout = chartLayout(
    months([
      [10, 5],
      [0, 0],
      [4, 10],
    ]),
  );
  const [first, empty, third] = layout.groups;

  it("are as tall as their figure on the scale, from the same baseline, a month without any having none", () => {
    const height = layout.plot.bottom - layout.plot.top;
    expect(first!.bars.map((bar) => [bar.series, bar.value, bar.height])).toEqual([
      ["received", 10, height],
      ["decided", 5, height / 2],
    ]);
    expect(empty!.bars.map((bar) => bar.height)).toEqual([0, 0]);
    for (const bar of [...first!.bars, ...third!.bars]) expect(bar.y + bar.height).toBe(layout.plot.bottom);
  });

  it("stand side by side around their month's label, months left to right inside the plot", () => {
    const [received, decided] = first!.bars;
    expect(received!.x + received!.width).toBeLessThan(first!.center);
    expect(decided!.x).toBeGreaterThan(first!.center);
    expect(received!.x).toBeGreaterThanOrEqual(layout.plot.left);
    expect(third!.bars[1]!.x + third!.bars[1]!.width).toBeLessThanOrEqual(layout.plot.right);
    expect(empty!.center).toBeGreaterThan(first!.center);
  });

  it("have ticks from zero at the baseline to the top of the scale, and the year under the first month and each January", () => {
    expect(layout.ticks.map((tick) => tick.value)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(layout.ticks[0]!.y).toBe(layout.plot.bottom);
    expect(layout.ticks.at(-1)!.y).toBe(layout.plot.top);
    const span = chartLayout([
      { month: "2025-12", received: 1, decided: 0 },
      { month: "2026-01", received: 0, decided: 0 },
      { month: "2026-02", received: 0, decided: 0 },
    ]);
    expect(span.groups.map((group) => [group.label, group.year])).toEqual([
      ["déc.", "2025"],
      ["janv.", "2026"],
      ["févr.", null],
    ]);
  });
});

describe("the figures as written", () => {
  it("writes days with one decimal and the French singular, shares as whole percentages, months in French", () => {
    expect(formatDays(5.5)).toBe("5,5 jours");
    expect(formatDays(9.0999)).toBe("9,1 jours");
    expect(formatDays(1)).toBe("1 jour");
    expect(formatDays(0.25)).toBe("0,3 jour");
    expect(formatDays(23)).toBe("23 jours");
    expect(formatPercent(2, 10)).toBe("20 %");
    expect(formatPercent(1, 3)).toBe("33 %");
    expect(formatPercent(0, 0)).toBe("0 %");
    expect(monthName("2026-08")).toBe("août 2026");
    expect(shortMonthName("2026-07")).toBe("juil.");
    expect(firstDayOf("2025-12")).toBe("1er décembre 2025");
  });
});
